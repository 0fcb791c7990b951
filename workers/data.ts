import type { ParleyDb } from '../src/core/storage/db';
import type { Clock } from './ports';
import type { DataApi, ExportOutcome, ImportOutcome } from './data-api';
import { appError, toAppError } from '../src/core/errors';
import { ImportFileError, readImport } from '../src/core/library/read-import';
import { cleanupStagedImport, describeImport, ImportWriter, NothingToImport } from '../src/core/storage/import-chats';
import { allChatsAsOpenWebUI, backupOf } from '../src/core/storage/export-chats';
import { datedName } from '../src/core/library/markdown-export';

/** Progress is sent at most this often (bytes): each report is one message to the UI thread. */
const PROGRESS_STEP = 512 * 1024;

export function createDataService(db: ParleyDb, clock: Pick<Clock, 'now'>): DataApi {
  return {
    async importFile(file, onProgress): Promise<ImportOutcome> {
      const total = file.size;
      let last = 0;
      const writer = new ImportWriter(db);
      try {
        // Messages a previous import staged and never committed (the tab closed midway).
        await cleanupStagedImport(db);
        const parsed = await readImport(file.stream(), {
          now: clock.now(),
          onProgress: (read) => {
            if (read - last >= PROGRESS_STEP || read === total) {
              last = read;
              onProgress?.(read, total);
            }
          },
          onChat: (c) => writer.add(c),
        });
        const r = await writer.commit(parsed.format, parsed.extras);
        return { ok: true, text: describeImport(r), chats: r.chats, messages: r.messages, already: r.already, skipped: r.skipped.length, chatIds: r.chatIds };
      } catch (e) {
        await writer.rollback().catch(() => undefined);
        if (e instanceof ImportFileError || e instanceof NothingToImport) return { ok: false, error: appError('invalid', e.message) };
        return { ok: false, error: toAppError(e, 'storage') };
      }
    },

    async exportAll(): Promise<ExportOutcome> {
      try {
        const { parts, chats } = await allChatsAsOpenWebUI(db);
        return { ok: true, blob: new Blob(parts, { type: 'application/json' }), fileName: datedName('parley-chats', clock.now(), 'json'), chats };
      } catch (e) {
        return { ok: false, error: toAppError(e, 'storage') };
      }
    },

    async exportBackup(includeKeys): Promise<ExportOutcome> {
      try {
        const now = clock.now();
        const backup = await backupOf(db, { includeKeys, now });
        const images = backup.imagesOmitted;
        const note = images > 0 ? `The backup holds everything but the ${images === 1 ? 'image' : `${images} images`} attached to messages.` : undefined;
        return { ok: true, blob: new Blob([JSON.stringify(backup)], { type: 'application/json' }), fileName: datedName('parley-backup', now, 'json'), chats: backup.tables.chats.length, ...(note ? { note } : {}) };
      } catch (e) {
        return { ok: false, error: toAppError(e, 'storage') };
      }
    },
  };
}
