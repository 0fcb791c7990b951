import type { AppServices } from '../app-context';
import { toAppError } from '../../core/errors';
import type { LibraryActions } from './library-actions';

/**
 * The library actions with their code (library-actions.ts and core/storage/library-ops.ts)
 * loaded at the first action: showing the list needs none of it, only renaming, pinning,
 * moving, deleting… do. Every call waits for the same load, so calls keep their order.
 */
export function createLazyLibraryActions(app: AppServices): LibraryActions {
  let loaded: Promise<LibraryActions> | undefined;
  const load = () => (loaded ??= import('./library-actions').then((m) => m.createLibraryActions(app)));
  /** Runs `f` on the loaded actions; if the code cannot be fetched, says so and answers `failed` (the next call tries again). */
  const use = async <T>(f: (a: LibraryActions) => Promise<T>, failed: T): Promise<T> => {
    let actions: LibraryActions;
    try {
      actions = await load();
    } catch (e) {
      loaded = undefined;
      app.toast.show('error', `Could not load the library actions: ${toAppError(e, 'network').message}`);
      return failed;
    }
    return f(actions);
  };

  return {
    rename: (id, title) => use((a) => a.rename(id, title), false),
    pin: (ids, pinned) => use((a) => a.pin(ids, pinned), undefined),
    archive: (ids, archived) => use((a) => a.archive(ids, archived), undefined),
    archiveAll: () => use((a) => a.archiveAll(), undefined),
    unarchiveAll: () => use((a) => a.unarchiveAll(), undefined),
    move: (ids, folderId) => use((a) => a.move(ids, folderId), undefined),
    addTag: (ids, tag) => use((a) => a.addTag(ids, tag), undefined),
    removeTag: (ids, tag) => use((a) => a.removeTag(ids, tag), undefined),
    remove: (ids) => use((a) => a.remove(ids), undefined),
    createFolder: (parentId) => use((a) => a.createFolder(parentId), undefined),
    renameFolder: (id, name) => use((a) => a.renameFolder(id, name), false),
    toggleFolder: (f) => use((a) => a.toggleFolder(f), undefined),
    deleteFolder: (f, withChats) => use((a) => a.deleteFolder(f, withChats), undefined),
    download: (id, format) => use((a) => a.download(id, format), undefined),
  };
}
