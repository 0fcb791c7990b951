import { createMemo, createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import { paramsToText, readParams, type ParamsText } from '../../core/params';
import { SETTINGS } from '../../core/storage/settings-keys';
import type { Chat } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import { createParamsEditor, ParamsForm } from './ParamsForm';
import type { ChatDraft } from './ChatControls';

/** Loaded on first open (with the params schema), so the first load does not carry it. */
export function ChatControlsPanel(props: { chat: Chat | null; draft: ChatDraft; onClose: () => void }) {
  const app = useApp();
  const isNew = () => app.route.chatId() === null;
  const defaults = createLiveQuery<unknown>(async () => (await app.db.settings.get(SETTINGS.defaultParams))?.value, undefined);
  const placeholders = createMemo(() => paramsToText(readParams(defaults())));

  return (
    <div
      class="chat-controls-panel"
      role="dialog"
      aria-label="Chat settings"
      data-testid="chat-controls-panel"
      onKeyDown={(e) => { if (e.key === 'Escape') props.onClose(); }}
    >
      <Show when={isNew() || props.chat} fallback={<p class="muted small">Loading…</p>}>
        <ChatControlsForm chat={props.chat} draft={props.draft} isNew={isNew()} placeholders={placeholders()} onClose={props.onClose} />
      </Show>
    </div>
  );
}

/** Mounted once the values to edit are known; it reads them once, so a write elsewhere never clobbers typing. */
function ChatControlsForm(props: {
  chat: Chat | null;
  draft: ChatDraft;
  isNew: boolean;
  placeholders: ParamsText;
  onClose: () => void;
}) {
  const app = useApp();
  const start = props.isNew ? props.draft[0]() : { system: props.chat?.system ?? '', params: readParams(props.chat?.params) };
  const [system, setSystem] = createSignal(start.system);
  const editor = createParamsEditor(start.params);
  const [saveError, setSaveError] = createSignal('');

  const save = async (e: Event) => {
    e.preventDefault();
    setSaveError('');
    const params = editor[1].validate();
    if (!params) return;
    if (props.isNew) {
      props.draft[1].set({ system: system(), params });
      props.onClose();
      return;
    }
    const chat = props.chat;
    if (!chat) return;
    try {
      // Not a new message: updatedAt stays, so the chat keeps its place in the sidebar.
      const n = await app.db.chats.update(chat.id, { system: system(), params: { ...params } });
      if (n === 0) throw new Error('This chat no longer exists.');
      props.onClose();
    } catch (err) {
      setSaveError(`Could not save: ${toAppError(err, 'storage').message}`);
    }
  };

  return (
    <form class="chat-controls-form" onSubmit={save}>
      <div class="chat-controls-head">
        <strong>This chat</strong>
        <span class="muted small">
          {props.isNew ? 'Applied when you send the first message.' : 'Used from the next message on.'} Empty fields use the defaults from Settings.
        </span>
      </div>
      <label class="chat-system">
        System prompt
        <textarea
          rows={3}
          data-testid="chat-system"
          value={system()}
          placeholder="e.g. You are a concise assistant."
          onInput={(e) => setSystem(e.currentTarget.value)}
        />
      </label>
      <ParamsForm editor={editor} placeholders={props.placeholders} />
      <Show when={saveError()}>
        <p class="error small" role="alert">{saveError()}</p>
      </Show>
      <div class="row">
        <button class="btn primary" type="submit" data-testid="chat-controls-save">Save</button>
        <button class="btn" type="button" onClick={props.onClose}>Cancel</button>
      </div>
    </form>
  );
}
