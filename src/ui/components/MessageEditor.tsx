import { createSignal } from 'solid-js';
import type { Message } from '../../core/storage/schema';

/**
 * Edits a message in place of its text. A question is sent again as a new branch; an answer
 * is saved as corrected (no request). Ctrl/Cmd+Enter saves, Escape cancels.
 */
export function MessageEditor(props: { message: Message; onSave: (text: string) => Promise<boolean>; onCancel: () => void }) {
  const [text, setText] = createSignal(props.message.content);
  const [busy, setBusy] = createSignal(false);
  const isQuestion = () => props.message.role === 'user';
  const save = async () => {
    if (busy()) return;
    setBusy(true);
    const ok = await props.onSave(text());
    setBusy(false);
    if (ok) props.onCancel();
  };
  return (
    <div class="message-editor">
      <textarea
        data-testid="message-edit-input"
        aria-label={isQuestion() ? 'Edit your message' : 'Edit the answer'}
        value={text()}
        rows={Math.min(16, Math.max(3, text().split('\n').length + 1))}
        ref={(el) => queueMicrotask(() => el.focus())}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') props.onCancel();
          else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); }
        }}
      />
      <div class="row">
        <button class="btn primary small" data-testid="message-edit-save" disabled={busy() || (isQuestion() && text().trim() === '')} onClick={() => void save()}>
          {isQuestion() ? 'Send' : 'Save'}
        </button>
        <button class="btn small" data-testid="message-edit-cancel" onClick={() => props.onCancel()}>Cancel</button>
        <span class="muted small">{isQuestion() ? 'Sends as a new branch; the old one stays.' : 'Saved as corrected; nothing is sent.'}</span>
      </div>
    </div>
  );
}
