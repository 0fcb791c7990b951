import { createSignal, Show } from 'solid-js';
import type { Folder } from '../../core/storage/schema';
import type { LibraryActions } from './library-actions';
import type { Selection } from './create-selection';
import { PopMenu } from './PopMenu';
import { FolderPicker } from './FolderPicker';

/** Bulk actions on the selected chats: delete (with Undo), archive, move to a folder. */
export function SelectionBar(props: { selection: Selection; folders: readonly Folder[]; actions: LibraryActions }) {
  const [moveAt, setMoveAt] = createSignal<DOMRect | null>(null);
  const sel = props.selection;
  const run = (f: (ids: string[]) => Promise<unknown>) => async () => {
    const ids = sel.ids();
    if (ids.length === 0) return;
    await f(ids);
    sel.clear();
  };
  return (
    <div class="lib-selbar" data-testid="selection-bar">
      <span class="lib-selcount" data-testid="selection-count">{sel.count()} selected</span>
      <button class="btn small" data-testid="bulk-archive" disabled={sel.count() === 0} onClick={run((ids) => props.actions.archive(ids, true))}>Archive</button>
      <button class="btn small" data-testid="bulk-move" disabled={sel.count() === 0} onClick={(e) => setMoveAt(e.currentTarget.getBoundingClientRect())}>Move…</button>
      <button class="btn small danger" data-testid="bulk-delete" disabled={sel.count() === 0} onClick={run((ids) => props.actions.remove(ids))}>Delete</button>
      <button class="btn small" data-testid="selection-cancel" onClick={() => sel.clear()}>Cancel</button>
      <Show when={moveAt()}>
        {(at) => (
          <PopMenu anchor={at()} label="Move the selected chats" testId="bulk-move-panel" onClose={() => setMoveAt(null)}>
            <FolderPicker folders={props.folders} onPick={(id) => { setMoveAt(null); void run((ids) => props.actions.move(ids, id))(); }} />
          </PopMenu>
        )}
      </Show>
    </div>
  );
}
