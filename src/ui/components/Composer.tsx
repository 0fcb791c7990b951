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
import { createFileDrop } from './file-drop';
// Two small pure functions: the picker's own code loads only once `#` is typed.
import { dropHashQuery, hashQuery as readHashQuery } from '../knowledge/knowledge-query';

const PromptMenu = lazy(() => import('./PromptMenu').then((m) => ({ default: m.PromptMenu })));
/** The `#` knowledge picker and the chips of attached bases and files: loaded when first needed. */
const KnowledgeMenu = lazy(() => import('../knowledge/ComposerKnowledge').then((m) => ({ default: m.KnowledgeMenu })));
const ComposerKnowledge = lazy(() => import('../knowledge/ComposerKnowledge').then((m) => ({ default: m.ComposerKnowledge })));

/** The knowledge bases of the chat the composer sends to (chat.knowledgeIds, or a new chat's draft). */
export interface ComposerKnowledgeControls {
  ids: () => string[];
  toggle(id: string): void;
  /** Opens the knowledge panel (from the picker, when there is no base yet). */
  manage(): void;
}

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
  /** `files`: documents attached to this one message (not images), indexed for it alone. */
  onSend: (text: string, images: NewImage[], context: MessageContext[], files: File[]) => Promise<boolean>;
  knowledge?: ComposerKnowledgeControls;
  onStop: () => void;
  /** Lets a launch from the address fill, attach and send (see launch/run-launch.ts). */
  controls?: (c: ComposerControls) => void;
}) {
  const app = useApp();
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [images, imageActions] = createPendingImages((why) => app.toast.show('error', why));
  const [context, setContext] = createSignal<MessageContext[]>([]);
  const [files, setFiles] = createSignal<Array<{ key: string; file: File }>>([]);
  /** The picker opened by the book button (the `#` one follows the text). */
  const [picking, setPicking] = createSignal(false);
  /** The paperclip's menu (images, files, knowledge), when the chat can take knowledge. */
  const [attachMenu, setAttachMenu] = createSignal(false);
  /** A press outside the open menu, or Escape, closes it. */
  const closeOnOutside = (el: HTMLElement) => {
    const onDown = (e: PointerEvent) => {
      if (!el.contains(e.target as Node) && !(e.target as Element).closest?.('[data-testid="composer-attach"]')) setAttachMenu(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') { e.preventDefault(); setAttachMenu(false); }
    };
    window.addEventListener('pointerdown', onDown, true);
    el.addEventListener('keydown', onKey);
    onCleanup(() => window.removeEventListener('pointerdown', onDown, true));
  };
  /** The text at which Escape closed the `#` picker: closed until the text changes. */
  const [hashDismissed, setHashDismissed] = createSignal<string | null>(null);
  let ta!: HTMLTextAreaElement;
  let fileInput!: HTMLInputElement;
  let docInput!: HTMLInputElement;
  let menu: PromptMenuControls | undefined;
  let kMenu: PromptMenuControls | undefined;
  let nextFile = 0;
  const hashQuery = () => (props.knowledge && text() !== hashDismissed() ? readHashQuery(text()) : null);
  const addFiles = (list: File[]) => setFiles([...files(), ...list.map((file) => ({ key: `f${nextFile++}`, file }))]);
  /** Images wait as thumbnails; other files go with the message as documents (when this chat can take them). */
  const addAny = (list: File[]) => {
    const docs = props.knowledge ? list.filter((f) => !f.type.startsWith('image/')) : [];
    if (docs.length > 0) addFiles(docs);
    const images = list.filter((f) => !docs.includes(f));
    if (images.length > 0) void imageActions.add(images);
  };
  const pickBase = (id: string) => {
    props.knowledge?.toggle(id);
    if (hashQuery() !== null) replace(dropHashQuery(text()));
    setPicking(false);
  };

  const canSend = () => !props.disabled && !props.running && !busy() && (text().trim() !== '' || images().length > 0 || context().length > 0 || files().length > 0);
  const submit = async (): Promise<boolean> => {
    if (!canSend()) return false;
    setBusy(true);
    const ok = await props.onSend(text(), images().map(({ blob, mime, name, width, height }) => ({ blob, mime, name, width, height })), context(), files().map((f) => f.file));
    setBusy(false);
    if (ok) {
      setText('');
      setContext([]);
      setFiles([]);
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

  const drop = createFileDrop((files) => addAny(files));
  const onPaste = (e: ClipboardEvent) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    // Files on the clipboard are attachments, not text to insert (their names would be pasted).
    e.preventDefault();
    addAny(files);
  };

  return (
    <div
      class="composer-wrap"
      classList={{ dragging: drop.dragging() }}
      {...drop.handlers}
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
      {/* The knowledge picker: `#word` at the end of the text, or the book button. */}
      <Show when={props.knowledge && (picking() || hashQuery() !== null)}>
        {(() => {
          onCleanup(() => {
            kMenu = undefined;
          });
          return (
            <Suspense>
              <KnowledgeMenu
                query={hashQuery() ?? ''}
                attached={props.knowledge!.ids()}
                onPick={pickBase}
                onClose={() => { setPicking(false); setHashDismissed(text()); ta.focus(); }}
                onManage={() => { setPicking(false); props.knowledge!.manage(); }}
                controls={(c) => (kMenu = c)}
              />
            </Suspense>
          );
        })()}
      </Show>
      <Show when={(props.knowledge?.ids().length ?? 0) > 0 || files().length > 0}>
        <Suspense>
          <ComposerKnowledge
            knowledgeIds={props.knowledge?.ids() ?? []}
            onDetach={(id) => props.knowledge?.toggle(id)}
            files={files().map((f) => ({ key: f.key, name: f.file.name, size: f.file.size }))}
            onRemoveFile={(key) => setFiles(files().filter((f) => f.key !== key))}
          />
        </Suspense>
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
        {/* With knowledge, the paperclip offers images, files for this message and the chat's
            knowledge bases (one button: at 320 px the text box needs the room). */}
        <button
          type="button"
          class="btn attach"
          data-testid="composer-attach"
          aria-label={props.knowledge ? 'Attach' : 'Attach images'}
          title={props.knowledge ? 'Attach images, files or knowledge' : 'Attach images'}
          aria-haspopup={props.knowledge ? 'menu' : undefined}
          aria-expanded={props.knowledge ? attachMenu() : undefined}
          onClick={() => (props.knowledge ? setAttachMenu(!attachMenu()) : fileInput.click())}
        >
          <Icon name="attach" size={18} />
        </button>
        <Show when={attachMenu() && props.knowledge}>
          <ul class="prompt-menu attach-menu" role="menu" aria-label="Attach" ref={(el) => closeOnOutside(el)}>
            <li role="none"><button type="button" role="menuitem" data-testid="composer-attach-image" onClick={() => { setAttachMenu(false); fileInput.click(); }}>
              <Icon name="attach" /> Images
            </button></li>
            <li role="none"><button type="button" role="menuitem" data-testid="composer-attach-file" onClick={() => { setAttachMenu(false); docInput.click(); }}>
              <Icon name="file" /> <span>Files for this message <span class="muted small">(PDF, text, Word…)</span></span>
            </button></li>
            <li role="none"><button type="button" role="menuitem" data-testid="knowledge-attach" onClick={() => { setAttachMenu(false); setPicking(true); ta.focus(); }}>
              <Icon name="book" /> <span>Knowledge for this chat <span class="muted small">(or type #)</span></span>
            </button></li>
          </ul>
        </Show>
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
        <input
          ref={docInput}
          type="file"
          multiple
          hidden
          data-testid="composer-doc-file"
          onChange={(e) => {
            const list = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            addFiles(list);
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
          // The picker opened from the paperclip closes when the focus leaves (its options keep it here).
          onBlur={() => setPicking(false)}
          onKeyDown={(e) => {
            if (kMenu?.onKeyDown(e)) return;
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
