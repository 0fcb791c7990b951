import { For } from 'solid-js';
import type { Folder } from '../../core/storage/schema';
import { foldersByParent } from '../../core/library-view/folder-tree';

/** Folders in tree order with their depth, for a "Move to…" list. */
function flatten(folders: readonly Folder[]): Array<{ folder: Folder; depth: number }> {
  const tree = foldersByParent(folders);
  const out: Array<{ folder: Folder; depth: number }> = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const folder of tree.get(parent) ?? []) {
      if (seen.has(folder.id)) continue;
      seen.add(folder.id);
      out.push({ folder, depth });
      walk(folder.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * "Move to…": every folder, and "No folder" to take chats out. The keyboard and touch way of
 * doing what dragging a chat onto a folder does.
 */
export function FolderPicker(props: {
  folders: readonly Folder[];
  /** Where the chat is now (that choice is disabled); undefined for several chats. */
  current?: string | null;
  onPick: (folderId: string | null) => void;
}) {
  return (
    <>
      <div class="lib-menu-title">Move to…</div>
      <button role="menuitem" data-testid="chat-move-target" data-folder-id="" disabled={props.current === null} onClick={() => props.onPick(null)}>
        No folder
      </button>
      <For each={flatten(props.folders)}>
        {(f) => (
          <button
            role="menuitem"
            data-testid="chat-move-target"
            data-folder-id={f.folder.id}
            disabled={props.current === f.folder.id}
            style={{ 'padding-left': `${8 + f.depth * 14}px` }}
            onClick={() => props.onPick(f.folder.id)}
          >
            {f.folder.name}
          </button>
        )}
      </For>
    </>
  );
}
