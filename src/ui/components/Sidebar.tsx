import { createEffect, createSignal, For, lazy, Show, Suspense } from 'solid-js';
import { useApp } from '../app-context';
import { REVEAL_MESSAGE_EVENT, type RevealRequest } from './reveal-message';
import { toAppError } from '../../core/errors';
import { Icon } from './Icon';
import { createLibraryView } from '../sidebar/create-library-view';
import { createLazyLibraryActions } from '../sidebar/lazy-library-actions';
import { createSelection } from '../sidebar/create-selection';
import { ChatList } from '../sidebar/ChatList';
import { SidebarIcon } from '../sidebar/SidebarIcon';
import '../sidebar/sidebar.css';

/** Search results: loaded when the search field is first focused (the index code stays out of the first load). */
const loadSearch = () => import('../search/SearchResults').then((m) => ({ default: m.SearchResults }));
const SearchResults = lazy(loadSearch);
/** The Archived view: loaded when first opened. */
const ArchivedDialog = lazy(() => import('../sidebar/ArchivedDialog').then((m) => ({ default: m.ArchivedDialog })));
/** The bulk actions bar: loaded when selecting starts. */
const SelectionBar = lazy(() => import('../sidebar/SelectionBar').then((m) => ({ default: m.SelectionBar })));


export function Sidebar(props: { onClose: () => void; onShortcuts: () => void }) {
  const app = useApp();
  const view = createLibraryView(app.db, (e) => app.toast.show('error', `Could not read the chat list: ${toAppError(e, 'storage').message}`));
  const actions = createLazyLibraryActions(app);
  const selection = createSelection();
  const [query, setQuery] = createSignal('');
  const [renaming, setRenaming] = createSignal<string | null>(null);
  const [archivedOpen, setArchivedOpen] = createSignal(false);
  // Chats that left the list (deleted, archived) leave the selection too.
  createEffect(() => {
    if (selection.count() > 0) selection.keep(new Set(view.chats().map((c) => c.id)));
  });

  const newFolder = async () => {
    const f = await actions.createFolder();
    if (f) setRenaming(`f:${f.id}`);
  };
  const openResult = (chatId: string, messageId: string | null) => {
    app.route.open(chatId);
    // The chat view brings the message into view and marks the searched words in it.
    if (messageId) window.dispatchEvent(new CustomEvent<RevealRequest>(REVEAL_MESSAGE_EVENT, { detail: { chatId, messageId, query: query() } }));
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
      <input
        type="search"
        class="lib-search"
        data-testid="chat-search"
        placeholder="Search chats"
        aria-label="Search chats"
        value={query()}
        onFocus={() => void loadSearch().catch(() => undefined)}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => { if (e.key === 'Escape' && query() !== '') { e.stopPropagation(); setQuery(''); } }}
      />
      <Show
        when={query().trim() === ''}
        fallback={<div class="lib-scroll"><Suspense><SearchResults query={query()} onOpen={openResult} /></Suspense></div>}
      >
        <div class="lib-tools">
          <select data-testid="tag-filter" aria-label="Show chats with tag" value={view.tag() ?? ''} onChange={(e) => view.setTag(e.currentTarget.value || null)}
            disabled={view.tags().length === 0}>
            <option value="">{view.tags().length === 0 ? 'No tags' : 'All tags'}</option>
            <For each={view.tags()}>{(t) => <option value={t.tag}>#{t.tag} ({t.count})</option>}</For>
          </select>
          <button class="icon-btn" data-testid="folder-create" aria-label="New folder" title="New folder" onClick={() => void newFolder()}>
            <SidebarIcon name="folder" /><Icon name="plus" size={10} />
          </button>
          <button class="icon-btn" data-testid="select-mode" aria-label="Select chats" title="Select chats" aria-pressed={selection.active()}
            onClick={() => (selection.active() ? selection.clear() : selection.setCheckboxes(true))}>
            <SidebarIcon name="select" />
          </button>
        </div>
        <Show when={selection.active()}>
          <Suspense><SelectionBar selection={selection} folders={view.folders()} actions={actions} /></Suspense>
        </Show>
        <ChatList view={view} actions={actions} selection={selection} renaming={renaming()} setRenaming={setRenaming} />
        <Show when={view.loaded() && view.rows().length === 0}>
          <p class="muted small lib-empty">{view.tag() ? 'No chat has this tag.' : 'No chats yet.'}</p>
        </Show>
      </Show>
      <div class="sidebar-foot">
        <button class="btn wide" data-testid="archived-open" onClick={() => setArchivedOpen(true)}>
          <SidebarIcon name="archive" /> Archived chats <Show when={view.archived().length > 0}><span class="muted">({view.archived().length})</span></Show>
        </button>
        <button class="btn wide" data-testid="knowledge-open" onClick={() => app.knowledge.setOpen(true)}>
          <Icon name="book" /> Knowledge
        </button>
        <button class="btn wide" data-testid="settings-open" onClick={() => app.settings.setOpen(true)}>
          <Icon name="gear" /> Settings
        </button>
        <button class="btn wide" data-testid="shortcuts-open" onClick={() => props.onShortcuts()}>
          <Icon name="keyboard" /> Keyboard shortcuts
        </button>
      </div>
      <Show when={archivedOpen()}>
        <Suspense>
          <ArchivedDialog archived={view.archived()} listCount={view.chats().length} actions={actions} onClose={() => setArchivedOpen(false)} />
        </Suspense>
      </Show>
    </nav>
  );
}
