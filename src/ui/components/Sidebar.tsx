import { For, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import { deleteChat } from '../../core/storage/chats';
import type { Chat } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import { Icon } from './Icon';
import { chatPath } from '../stores/route';

export function Sidebar(props: { onClose: () => void; onShortcuts: () => void }) {
  const app = useApp();
  const chats = createLiveQuery<Chat[]>(
    async () => (await app.db.chats.orderBy('updatedAt').reverse().toArray()).filter((c) => !c.archived),
    [],
    (e) => app.toast.show('error', toAppError(e, 'storage').message),
  );

  const remove = async (chat: Chat) => {
    if (!confirm(`Delete “${chat.title}”? This cannot be undone.`)) return;
    try {
      await deleteChat(app.db, chat.id);
      if (app.route.chatId() === chat.id) app.route.open(null);
    } catch (e) {
      app.toast.show('error', `Could not delete the chat: ${toAppError(e, 'storage').message}`);
    }
  };

  return (
    <nav class="sidebar" aria-label="Chats">
      <div class="sidebar-head">
        <span class="brand">Parley</span>
        <button class="icon-btn only-narrow" aria-label="Close sidebar" onClick={props.onClose}><Icon name="close" /></button>
      </div>
      <button class="btn primary wide" data-testid="new-chat" onClick={() => app.route.open(null)}>
        <Icon name="plus" /> New chat
      </button>
      <ul class="chat-list">
        <For each={chats()}>
          {(chat) => (
            <li
              class="chat-list-item"
              classList={{ active: app.route.chatId() === chat.id }}
              data-testid="chat-list-item"
              data-chat-id={chat.id}
              data-pinned={String(chat.pinned)}
            >
              <a href={chatPath(chat.id)} onClick={(e) => { e.preventDefault(); app.route.open(chat.id); }} title={chat.title}>
                {chat.title}
              </a>
              <button class="icon-btn" data-testid="chat-delete" aria-label={`Delete ${chat.title}`} onClick={() => void remove(chat)}>
                <Icon name="trash" />
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={chats().length === 0}>
        <p class="muted small pad">No chats yet.</p>
      </Show>
      <div class="sidebar-foot">
        <button class="btn wide" data-testid="settings-open" onClick={() => app.settings.setOpen(true)}>
          <Icon name="gear" /> Settings
        </button>
        <button class="btn wide" data-testid="shortcuts-open" onClick={() => props.onShortcuts()}>
          <Icon name="keyboard" /> Keyboard shortcuts
        </button>
      </div>
    </nav>
  );
}
