import type { AppServices } from '../app-context';
import { toAppError } from '../../core/errors';
import type { Folder } from '../../core/storage/schema';
import * as ops from '../../core/storage/library-ops';
import { sweepOrphanFiles } from '../stores/orphan-files';

/** How a count of chats reads in a notice. */
const chats = (n: number) => (n === 1 ? 'chat' : `${n} chats`);

/**
 * The library writes of `core/storage/library-ops.ts` wired to the UI: notices for errors,
 * and Undo for what removes chats from sight (delete, archive, folder delete).
 */
export function createLibraryActions(app: AppServices) {
  const fail = (what: string, e: unknown) =>
    app.toast.show('error', e instanceof ops.LibraryInputError ? e.message : `${what}: ${toAppError(e, 'storage').message}`);
  const attempt = async <T>(what: string, f: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await f();
    } catch (e) {
      fail(what, e);
      return undefined;
    }
  };
  const closeIfOpen = (ids: readonly string[]) => {
    const open = app.route.chatId();
    if (open && ids.includes(open)) app.route.open(null);
  };

  return {
    rename: async (id: string, title: string) => (await attempt('Could not rename', () => ops.renameChat(app.db, id, title))) !== undefined,
    pin: (ids: readonly string[], pinned: boolean) => attempt('Could not pin', () => ops.setPinned(app.db, ids, pinned)),
    async archive(ids: readonly string[], archived: boolean) {
      const done = await attempt(archived ? 'Could not archive' : 'Could not unarchive', () => ops.setArchived(app.db, ids, archived));
      if (!done || done.length === 0) return;
      if (archived) closeIfOpen(done);
      app.toast.show('info', `${archived ? 'Archived' : 'Restored'} ${done.length === 1 ? 'the chat' : `${done.length} chats`}.`, {
        label: 'Undo',
        run: () => void attempt('Could not undo', () => ops.setArchived(app.db, done, !archived)),
      });
    },
    async archiveAll() {
      const done = await attempt('Could not archive', () => ops.archiveAll(app.db));
      if (!done || done.length === 0) return;
      closeIfOpen(done);
      app.toast.show('info', `Archived ${chats(done.length)}.`, { label: 'Undo', run: () => void attempt('Could not undo', () => ops.setArchived(app.db, done, false)) });
    },
    async unarchiveAll() {
      const done = await attempt('Could not unarchive', () => ops.unarchiveAll(app.db));
      if (!done || done.length === 0) return;
      app.toast.show('info', `Restored ${chats(done.length)}.`, { label: 'Undo', run: () => void attempt('Could not undo', () => ops.setArchived(app.db, done, true)) });
    },
    move: (ids: readonly string[], folderId: string | null) => attempt('Could not move', () => ops.moveToFolder(app.db, ids, folderId)),
    addTag: (ids: readonly string[], tag: string) => attempt('Could not add the tag', () => ops.addTag(app.db, ids, tag)),
    removeTag: (ids: readonly string[], tag: string) => attempt('Could not remove the tag', () => ops.removeTag(app.db, ids, tag)),
    /** Deletes at once (no confirm dialog) and offers Undo, which puts every row back. */
    async remove(ids: readonly string[]) {
      const gone = await attempt('Could not delete', () => ops.deleteChats(app.db, ids));
      if (!gone || gone.chats.length === 0) return;
      closeIfOpen(gone.chats.map((c) => c.id));
      const n = gone.chats.length;
      app.toast.show('info', n === 1 ? `Deleted “${gone.chats[0]!.title}”.` : `Deleted ${n} chats.`, {
        label: 'Undo',
        run: () => void attempt('Could not undo', () => ops.restoreChats(app.db, gone)),
        expired: () => void sweepOrphanFiles(app.db, { chatIds: gone.chats.map((c) => c.id) }),
      });
    },
    createFolder: (parentId: string | null = null) => attempt('Could not create the folder', () => ops.createFolder(app.db, { parentId, now: Date.now() })),
    renameFolder: async (id: string, name: string) =>
      (await attempt('Could not rename the folder', () => ops.renameFolder(app.db, id, name, Date.now()))) !== undefined,
    toggleFolder: (f: Folder) => attempt('Could not save the folder', () => ops.setFolderExpanded(app.db, f.id, !f.expanded)),
    async deleteFolder(f: Folder, withChats: boolean) {
      const gone = await attempt('Could not delete the folder', () => ops.deleteFolder(app.db, f.id, { withChats }));
      if (!gone) return;
      if (gone.deleted) closeIfOpen(gone.deleted.chats.map((c) => c.id));
      const inside = gone.deleted ? `and ${chats(gone.deleted.chats.length)} in it` : gone.moved.length > 0 ? `(its ${chats(gone.moved.length)} moved out)` : '';
      app.toast.show('info', `Deleted the folder “${f.name}” ${inside}`.trim() + '.', {
        label: 'Undo',
        run: () => void attempt('Could not undo', () => ops.restoreFolder(app.db, gone)),
        expired: () => void sweepOrphanFiles(app.db, { chatIds: gone.deleted?.chats.map((c) => c.id) ?? [] }),
      });
    },
    /** Loaded on use: the export code is not part of the first load. */
    async download(id: string, format: 'json' | 'md') {
      try {
        const m = await import('../data/download-chat');
        await m.downloadChat(app.db, id, format);
      } catch (e) {
        app.toast.show('error', `Could not download the chat: ${toAppError(e, 'storage').message}`);
      }
    },
  };
}
export type LibraryActions = ReturnType<typeof createLibraryActions>;
