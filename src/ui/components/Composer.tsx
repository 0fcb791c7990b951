import { createSignal, For, lazy, onCleanup, Show, Suspense } from 'solid-js';
import { Icon } from './Icon';
import { useApp } from '../app-context';
import { createPendingImages } from '../stores/pending-images';
import type { NewImage } from '../../core/storage/message-images';
import type { PromptMenuControls } from './PromptMenu';
import { DictationButton } from './DictationButton';
import type { MessageContext } from '../../core/storage/schema';
import type { ComposerControls } from '../launch/launch-target';
import { LazyContextChips } from '../launch/lazy-context-chips';

const PromptMenu = lazy(() => import('./PromptMenu').then((m) => ({ default: m.PromptMenu })));

/**
 * The message box. Enter sends, Shift+Enter breaks the line; IME composition is respected.
 * `/` opens the saved-prompt menu (which takes arrows, Enter and Escape while open); the mic
 * appears where the browser can dictate. Images come from the attach button, a paste or a
 * drop, wait as thumbnails, and go with the text (or alone). Pages attached by `?load-url=`
 * wait as chips and go with the text.
 */
export function Composer(props: {
  disabled: boolean;
  running: boolean;
  onSend: (text: string, images: NewImage[], context: MessageContext[]) => Promise<boolean>;
  onStop: () => void;
  /** Lets a launch from the address fill, attach and send (see launch/run-launch.ts). */
  controls?: (c: ComposerControls) => void;
}) {
  const app = useApp();
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [images, imageActions] = createPendingImages((why) => app.toast.show('error', why));
  const [dragging, setDragging] = createSignal(false);
  const [context, setContext] = createSignal<MessageContext[]>([]);
  let ta!: HTMLTextAreaElement;
  let fileInput!: HTMLInputElement;
  let menu: PromptMenuControls | undefined;

  const canSend = () => !props.disabled && !props.running && !busy() && (text().trim() !== '' || images().length > 0 || context().length > 0);
  const submit = async (): Promise<boolean> => {
    if (!canSend()) return false;
    setBusy(true);
    const ok = await props.onSend(text(), images().map(({ blob, mime, name, width, height }) => ({ blob, mime, name, width, height })), context());
    setBusy(false);
    if (ok) {
      setText('');
      setContext([]);
      imageActions.clear();
      resize();
    }
    ta.focus();
    return ok;
  };
  const resize = () => {
    ta.style.height = 'auto';
    ta.style.height = `${Math.min(ta.scrollHeight, 240)}px`;
  };
  /** Replaces the text (an inserted prompt) and leaves the caret at its end, ready to edit or send. */
  const replace = (t: string) => {
    setText(t);
    resize();
    ta.focus();
    ta.setSelectionRange(t.length, t.length);
  };
  /** Dictated words go after what is there, one space between. */
  const append = (said: string) => {
    const cur = text();
    setText(cur === '' || /\s$/.test(cur) ? cur + said : `${cur} ${said}`);
    resize();
  };

  props.controls?.({ fill: replace, attach: (page) => setContext([...context(), page]), submit });

  const hasFiles = (dt: DataTransfer | null) => !!dt && [...dt.types].includes('Files');
  const onPaste = (e: ClipboardEvent) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    // Files on the clipboard are attachments, not text to insert (their names would be pasted).
    e.preventDefault();
    void imageActions.add(files);
  };

  return (
    <div
      class="composer-wrap"
      classList={{ dragging: dragging() }}
      onDragOver={(e) => {
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        setDragging(false);
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        void imageActions.add([...(e.dataTransfer?.files ?? [])]);
      }}
    >
      {/* The saved-prompt menu (and its code) only once the text starts with `/`. */}
      <Show when={text().trimStart().startsWith('/')}>
        {(() => {
          onCleanup(() => {
            menu = undefined;
          });
          return (
            <Suspense>
              <PromptMenu text={text()} onInsert={replace} onCancel={() => ta.focus()} controls={(c) => (menu = c)} />
            </Suspense>
          );
        })()}
      </Show>
      <Show when={images().length > 0}>
        <ul class="composer-images" aria-label="Images to send">
          <For each={images()}>
            {(img) => (
              <li class="composer-attachment" data-testid="composer-attachment" data-name={img.name}>
                <img src={img.url} alt={img.name} title={`${img.name} · ${img.width}×${img.height}`} />
                <button
                  type="button"
                  class="icon-btn"
                  data-testid="composer-attachment-remove"
                  aria-label={`Remove ${img.name}`}
                  onClick={() => imageActions.remove(img.key)}
                >
                  <Icon name="close" size={14} />
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={context().length > 0}>
        <Suspense><LazyContextChips items={context()} testId="composer-context" onRemove={(i) => setContext(context().filter((_, j) => j !== i))} /></Suspense>
      </Show>
      <form class="composer" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <button type="button" class="btn attach" data-testid="composer-attach" aria-label="Attach images" title="Attach images" onClick={() => fileInput.click()}>
          <Icon name="attach" size={18} />
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          multiple
          hidden
          data-testid="composer-file"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            // Cleared so picking the same file again fires change again.
            e.currentTarget.value = '';
            void imageActions.add(files);
          }}
        />
        <textarea
          ref={ta}
          data-testid="composer-input"
          rows={1}
          placeholder="Send a message"
          aria-label="Message"
          value={text()}
          onInput={(e) => { setText(e.currentTarget.value); resize(); void import('../markdown/warm-up').then((m) => m.warmUpMarkdown()); }}
          onPaste={onPaste}
          onKeyDown={(e) => {
            if (menu?.onKeyDown(e)) return;
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <DictationButton onText={append} />
        <Show
          when={props.running}
          fallback={
            <button class="btn primary" type="submit" data-testid="composer-send" disabled={!canSend()} aria-label="Send">
              <Icon name="send" size={18} />
            </button>
          }
        >
          <button class="btn danger" type="button" data-testid="composer-stop" onClick={() => props.onStop()} aria-label="Stop">
            <Icon name="stop" size={18} />
          </button>
        </Show>
      </form>
    </div>
  );
}
