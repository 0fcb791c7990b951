import type { Table } from 'dexie';
import type { ParleyDb } from '../storage/db';
import { docId, parseDocId, syncsKey, syncsRecord, TABLE_OF } from './records';
import { SYNC_TYPES, type DocId, type OutboxRow } from './types';

/**
 * Queues every synced record for the next push (issue 9). The outbox only sees writes made
 * since schema version 9, so the first sync with a server (or with a new, empty one) starts
 * here: every record that syncs, and every tombstone this device keeps. With `resetRevs` the
 * known server revisions are forgotten too (another server: its revisions mean nothing here).
 * Returns how many records were queued.
 */
export async function enqueueAll(db: ParleyDb, opts: { resetRevs?: boolean; now?: () => number } = {}): Promise<number> {
  const tables = [...SYNC_TYPES.map((t) => db.table(TABLE_OF[t])), db.syncState, db.syncOutbox];
  return db.transaction('rw', tables, async () => {
    const ids = new Set<DocId>();
    for (const type of SYNC_TYPES) {
      const table: Table<object, string> = db.table(TABLE_OF[type]);
      if (type === 'conn') {
        // Connections are few; their kind decides (the In-browser one never syncs).
        for (const c of await table.toArray()) if (syncsRecord(type, c)) ids.add(docId(type, (c as { id: string }).id));
      } else {
        for (const key of await table.toCollection().primaryKeys()) if (syncsKey(type, key)) ids.add(docId(type, key));
      }
    }
    // Tombstones (not the device row 'parley:device', which names no record).
    for (const id of await db.syncState.toCollection().primaryKeys()) if (parseDocId(id)) ids.add(id);
    if (opts.resetRevs) await db.syncState.toCollection().modify({ rev: null });
    const at = (opts.now ?? Date.now)();
    await db.syncOutbox.bulkPut([...ids].map((id): OutboxRow => ({ id, at })));
    return ids.size;
  });
}
