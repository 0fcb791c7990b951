import { createSignal, For, lazy, onCleanup, onMount, Show, Suspense } from 'solid-js';
import { useApp } from '../app-context';
import { createVirtualWindow } from '../picker/create-virtual-window';
import type { LibraryView } from './create-library-view';
import type { LibraryActions } from './library-actions';
import type { Selection } from './create-selection';
import type { Folder } from '../../core/storage/schema';
import { ChatRow, DRAG_TYPE, FolderRow } from './LibraryRows';

/** The ⋯ menus (and the folder picker and tag editor in them): loaded when a menu first opens. */
const ChatMenu = lazy(() => import('./ChatMenu').then((m) => ({ default: m.ChatMenu })));
const FolderMenu = lazy(() => import('./FolderMenu').then((m) => ({ default: m.FolderMenu })));

/** Height of every line of the list, px (headings included), as in sidebar.css `--lib-row` (40 px for touch). */
export const ROW = 32;

/** The ids dragged, from a drop's data; anything else dropped is ignored. */
function draggedIds(e: DragEvent): string[] | null {
  try {
    const v: unknown = JSON.parse(e.dataTransfer?.getData(DRAG_TYPE) || 'null');
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}
const carriesChats = (e: DragEvent) => !!e.dataTransfer?.types.includes(DRAG_TYPE);

/**
 * The chat library as one virtual list: only the lines near the viewport are in the DOM, so
 * 10,000 chats cost what 40 do. Chats open on click; Ctrl/⌘- and Shift-click select; a chat
 * dragged onto a folder moves there, dropped elsewhere in the list it leaves its folder.
 */
export function ChatList(props: { view: LibraryView; actions: LibraryActions; selection: Selection; renaming: string | null; setRenaming: (key: string | null) => void }) {
  const app = useApp();
  const rows = props.view.rows;
  // Read from the CSS, which makes rows taller in narrow layouts and under a finger.
  const [rowHeight, setRowHeight] = createSignal(ROW);
  const win = createVirtualWindow(() => rows().length, rowHeight, 10);
  const [menu, setMenu] = createSignal<{ kind: 'chat' | 'folder'; id: string; anchor: DOMRect } | null>(null);
  const [dropOn, setDropOn] = createSignal<string | null>(null);
  let scroller: HTMLDivElement | undefined;

  onMount(() => {
    if (!scroller) return;
    const measure = (el: HTMLElement) => {
      setRowHeight(parseFloat(getComputedStyle(el).getPropertyValue('--lib-row')) || ROW);
      win.attach(el);
    };
    measure(scroller);
    // The drawer and window change size: the window of rendered lines (and their height) follows.
    const ro = new ResizeObserver(() => scroller && measure(scroller));
    ro.observe(scroller);
    onCleanup(() => ro.disconnect());
  });

  /** The lines in view: the same objects from one render to the next, so For keeps their DOM. */
  const visible = () => {
    const { start, end } = win.range();
    return rows().slice(start, end);
  };
  /** Chat ids in list order, for Shift-click ranges. */
  const order = () => rows().flatMap((r) => (r.kind === 'chat' ? [r.chat.id] : []));
  const chatById = (id: string) => props.view.chats().find((c) => c.id === id) ?? props.view.archived().find((c) => c.id === id);
  const folderById = (id: string) => props.view.folders().find((f) => f.id === id);

  const onChatClick = (e: MouseEvent, id: string) => {
    const sel = props.selection;
    if (e.shiftKey) { e.preventDefault(); sel.extend(id, order()); return; }
    if (e.ctrlKey || e.metaKey || sel.active()) { e.preventDefault(); sel.toggle(id); return; }
    e.preventDefault();
    app.route.open(id);
  };
  const onDragStart = (e: DragEvent, id: string) => {
    const ids = props.selection.has(id) ? props.selection.ids() : [id];
    e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify(ids));
    e.dataTransfer?.setData('text/plain', ids.length === 1 ? (chatById(id)?.title ?? '') : `${ids.length} chats`);
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
  };
  const dropInto = (e: DragEvent, folderId: string | null) => {
    const ids = draggedIds(e);
    setDropOn(null);
    if (!ids) return;
    e.preventDefault();
    e.stopPropagation();
    void props.actions.move(ids, folderId);
  };
  const renameChat = async (id: string, v: string | null) => {
    props.setRenaming(null);
    const c = chatById(id);
    if (v !== null && c && v.trim() !== c.title) await props.actions.rename(id, v);
  };
  const renameFolder = async (f: Folder, v: string | null) => {
    props.setRenaming(null);
    if (v !== null && v.trim() !== f.name) await props.actions.renameFolder(f.id, v);
  };

  return (
    <div
      class="lib-scroll"
      ref={scroller}
      data-testid="chat-list"
      onScroll={() => { win.onScroll(); setMenu(null); }}
      onDragOver={(e) => { if (carriesChats(e)) e.preventDefault(); }}
      onDrop={(e) => dropInto(e, null)}
    >
      <ul class="lib-rows" style={{ height: `${win.height()}px` }} aria-label="Chats">
        <For each={visible()}>
          {(row, i) => {
            const top = () => (win.range().start + i()) * rowHeight();
            // A list item like the others (a <ul> may hold only items): screen readers read "Today" before its chats.
            if (row.kind === 'heading') return <li class="lib-row lib-heading" style={{ transform: `translateY(${top()}px)` }}>{row.label}</li>;
            if (row.kind === 'folder') {
              const f = row.folder;
              return (
                <FolderRow
                  folder={f}
                  depth={row.depth}
                  count={props.view.complete() ? row.count : null}
                  top={top()}
                  renaming={props.renaming === row.key}
                  dropping={dropOn() === f.id}
                  onToggle={() => void props.actions.toggleFolder(f)}
                  onRename={() => props.setRenaming(row.key)}
                  onRenameDone={(name) => void renameFolder(f, name)}
                  onMenu={(anchor) => setMenu({ kind: 'folder', id: f.id, anchor })}
                  onDragOver={(e) => { if (carriesChats(e)) { e.preventDefault(); e.stopPropagation(); setDropOn(f.id); } }}
                  onDragLeave={() => setDropOn((x) => (x === f.id ? null : x))}
                  onDrop={(e) => dropInto(e, f.id)}
                />
              );
            }
            const c = row.chat;
            return (
              <ChatRow
                chat={c}
                depth={row.depth}
                top={top()}
                active={app.route.chatId() === c.id}
                selected={props.selection.has(c.id)}
                selecting={props.selection.active()}
                renaming={props.renaming === row.key}
                onClick={(e) => onChatClick(e, c.id)}
                onCheck={(e) => (e.shiftKey ? props.selection.extend(c.id, order()) : props.selection.toggle(c.id))}
                onMenu={(anchor) => setMenu({ kind: 'chat', id: c.id, anchor })}
                onDelete={() => void props.actions.remove([c.id])}
                onStartRename={() => props.setRenaming(row.key)}
                onRenameDone={(title) => void renameChat(c.id, title)}
                onDragStart={(e) => onDragStart(e, c.id)}
              />
            );
          }}
        </For>
      </ul>
      <Suspense>
        <Show when={menu()?.kind === 'chat' && menu()} keyed>
          {(m) => (
            <Show when={chatById(m.id)}>
              {(chat) => (
                <ChatMenu chat={chat()} anchor={m.anchor} folders={props.view.folders()} actions={props.actions}
                  onRename={() => props.setRenaming(`c:${m.id}`)} onClose={() => setMenu(null)} />
              )}
            </Show>
          )}
        </Show>
        <Show when={menu()?.kind === 'folder' && menu()} keyed>
          {(m) => (
            <Show when={folderById(m.id)}>
              {(f) => <FolderMenu folder={f()} anchor={m.anchor} actions={props.actions} onRename={props.setRenaming} onClose={() => setMenu(null)} />}
            </Show>
          )}
        </Show>
      </Suspense>
    </div>
  );
}
