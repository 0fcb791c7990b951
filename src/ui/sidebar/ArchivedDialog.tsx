import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import type { ChatSummary } from '../../core/library-view/build-rows';
import type { LibraryActions } from './library-actions';
import { createVirtualWindow } from '../picker/create-virtual-window';
import { chatPath } from '../stores/route';
import { Icon } from '../components/Icon';

const ROW = 36;

/**
 * The Archived view (Open WebUI's "Archived chats"): archived chats, newest first, to open,
 * unarchive or delete; "Unarchive all", and "Archive all" for the list. Virtual, like the list.
 */
export function ArchivedDialog(props: { archived: readonly ChatSummary[]; listCount: number; actions: LibraryActions; onClose: () => void }) {
  const app = useApp();
  const [q, setQ] = createSignal('');
  const shown = createMemo(() => {
    const s = q().trim().toLowerCase();
    return s === '' ? props.archived : props.archived.filter((c) => c.title.toLowerCase().includes(s));
  });
  const win = createVirtualWindow(() => shown().length, ROW, 8);
  const slice = () => shown().slice(win.range().start, win.range().end);
  // Escape closes the dialog wherever the focus is (a button that just turned disabled drops it).
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.stopPropagation(); props.onClose(); }
  };
  onMount(() => document.addEventListener('keydown', onKey, true));
  onCleanup(() => document.removeEventListener('keydown', onKey, true));

  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div class="modal" role="dialog" aria-modal="true" aria-label="Archived chats" data-testid="archived-dialog"
>
        <div class="modal-head">
          <h2>Archived chats</h2>
          <button class="icon-btn" aria-label="Close archived chats" data-testid="archived-close" onClick={() => props.onClose()}><Icon name="close" /></button>
        </div>
        <input type="search" class="lib-search" placeholder="Filter archived chats" aria-label="Filter archived chats" data-testid="archived-search"
          value={q()} onInput={(e) => { setQ(e.currentTarget.value); win.reset(); }} />
        <Show when={shown().length > 0} fallback={<p class="muted pad" data-testid="archived-empty">{props.archived.length === 0 ? 'No archived chats.' : 'No archived chat matches.'}</p>}>
          <div class="archived-list" ref={(el) => queueMicrotask(() => win.attach(el))} onScroll={() => win.onScroll()}>
            <ul class="lib-rows" style={{ height: `${win.height()}px` }}>
              <For each={slice()}>
                {(c, i) => (
                  <li class="lib-row" data-testid="archived-item" data-chat-id={c.id} style={{ transform: `translateY(${(win.range().start + i()) * ROW}px)`, height: `${ROW}px` }}>
                    <a href={chatPath(c.id)} title={c.title} onClick={(e) => { e.preventDefault(); props.onClose(); app.route.open(c.id); }}>{c.title}</a>
                    <span class="muted small">{new Date(c.updatedAt).toLocaleDateString()}</span>
                    <button class="btn small" data-testid="archived-unarchive" onClick={() => void props.actions.archive([c.id], false)}>Unarchive</button>
                    <button class="icon-btn" data-testid="archived-delete" aria-label={`Delete ${c.title}`} onClick={() => void props.actions.remove([c.id])}><Icon name="trash" size={14} /></button>
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Show>
        <div class="archived-actions">
          <button class="btn" data-testid="archive-all" disabled={props.listCount === 0} onClick={() => void props.actions.archiveAll()}>Archive all chats</button>
          <button class="btn" data-testid="archived-unarchive-all" disabled={props.archived.length === 0} onClick={() => void props.actions.unarchiveAll()}>Unarchive all</button>
        </div>
      </div>
    </div>
  );
}
