import { createSignal, Show } from 'solid-js';
import { Icon } from './Icon';
import { warmUpMarkdown } from '../markdown/warm-up';
import { PromptMenu, type PromptMenuControls } from './PromptMenu';
import { DictationButton } from './DictationButton';

/**
 * The message box. Enter sends, Shift+Enter breaks the line; IME composition is respected.
 * `/` opens the saved-prompt menu (which takes arrows, Enter and Escape while open); the mic
 * appears where the browser can dictate.
 */
export function Composer(props: { disabled: boolean; running: boolean; onSend: (text: string) => Promise<boolean>; onStop: () => void }) {
  const [text, setText] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let ta!: HTMLTextAreaElement;
  let menu: PromptMenuControls | undefined;

  const canSend = () => !props.disabled && !props.running && !busy() && text().trim() !== '';
  const submit = async () => {
    if (!canSend()) return;
    setBusy(true);
    const ok = await props.onSend(text());
    setBusy(false);
    if (ok) {
      setText('');
      resize();
    }
    ta.focus();
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

  return (
    <div class="composer-wrap">
      <PromptMenu text={text()} onInsert={replace} onCancel={() => ta.focus()} controls={(c) => (menu = c)} />
      <form class="composer" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <textarea
          ref={ta}
          data-testid="composer-input"
          rows={1}
          placeholder="Send a message"
          aria-label="Message"
          value={text()}
          onInput={(e) => { setText(e.currentTarget.value); resize(); void warmUpMarkdown(); }}
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
