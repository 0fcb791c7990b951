import type { Folder } from '../../core/storage/schema';
import type { LibraryActions } from './library-actions';
import { PopMenu } from './PopMenu';
import { Icon } from '../components/Icon';

/** One folder's ⋯ menu: rename, new folder inside, delete with or without its chats. */
export function FolderMenu(props: {
  folder: Folder;
  anchor: DOMRect;
  actions: LibraryActions;
  /** Starts renaming the folder whose row key is given (`f:<id>`). */
  onRename: (key: string) => void;
  onClose: () => void;
}) {
  const act = (f: () => unknown) => () => { props.onClose(); void f(); };
  return (
    <PopMenu anchor={props.anchor} label={`Actions for folder ${props.folder.name}`} testId="folder-menu-panel" onClose={props.onClose}>
      <button role="menuitem" data-testid="folder-rename" onClick={act(() => props.onRename(`f:${props.folder.id}`))}><Icon name="edit" /> Rename</button>
      <button role="menuitem" data-testid="folder-create-sub" onClick={act(() => props.actions.createFolder(props.folder.id).then((nf) => nf && props.onRename(`f:${nf.id}`)))}>
        <Icon name="plus" /> New folder inside
      </button>
      <hr />
      <button role="menuitem" class="danger" data-testid="folder-delete" onClick={act(() => props.actions.deleteFolder(props.folder, false))}>
        <Icon name="trash" /> Delete folder (keep its chats)
      </button>
      <button role="menuitem" class="danger" data-testid="folder-delete-all" onClick={act(() => props.actions.deleteFolder(props.folder, true))}>
        <Icon name="trash" /> Delete folder and its chats
      </button>
    </PopMenu>
  );
}
