import type { ParleyDb } from '../../src/core/storage/db';
import { applyRemote, localVersions, markPushed, type ApplyItem, type SyncOptions } from '../../src/core/sync/apply';
import { decryptDoc, encryptVersion, SyncDecryptError } from '../../src/core/sync/crypto';
import type { DocId, SyncDoc, Version } from '../../src/core/sync/types';
import type { Couch } from './couch';

/**
 * Push (issue 9): the outbox, oldest first, in `_bulk_docs` batches, each document sent with the
 * `_rev` this device last saw. A document the server has moved on from answers 'conflict': its
 * server version is read, merged into the local one (applyRemote), and the merge is sent again
 * on the server's revision. A record edited while its batch was in flight stays in the outbox
 * (markPushed compares what was sent with what is stored now).
 */

export interface SyncContext {
  db: ParleyDb;
  couch: Couch;
  key: CryptoKey;
  opts: SyncOptions;
}

export interface PushResult {
  /** Documents the server took. */
  pushed: number;
  /** 409s met (each resolved by a merge, or left for the next round after three tries). */
  conflicts: number;
  /** Outbox rows left for later: messages still streaming, ids that are not sync documents. */
  held: number;
  /** Documents the server refused for another reason (e.g. a validation function), with its words. */
  rejected: Array<{ id: DocId; reason: string }>;
}

export const PUSH_BATCH = 100;
/** Tries per batch; a document that still conflicts after them waits for the next round. */
const CONFLICT_TRIES = 3;

/** A message whose answer is still arriving: its final text will come in a later write, pushed then. */
function isStreaming(v: Version): boolean {
  const whole = v.fields['*']?.v as { status?: unknown } | undefined;
  return v.id.startsWith('msg:') && whole?.status === 'streaming';
}

export async function pushOutbox(ctx: SyncContext, batchSize = PUSH_BATCH): Promise<PushResult> {
  const result: PushResult = { pushed: 0, conflicts: 0, held: 0, rejected: [] };
  // The ids as they are now; rows added meanwhile go in the next round (the live loop is told).
  const ids = (await ctx.db.syncOutbox.orderBy('at').primaryKeys()) as DocId[];
  for (let i = 0; i < ids.length; i += batchSize) await pushBatch(ctx, ids.slice(i, i + batchSize), result);
  return result;
}

async function pushBatch(ctx: SyncContext, ids: DocId[], result: PushResult): Promise<void> {
  let pending = ids;
  for (let attempt = 0; attempt < CONFLICT_TRIES && pending.length > 0; attempt++) {
    const locals = await localVersions(ctx.db, pending, ctx.opts);
    const items: ApplyItem[] = [];
    for (const item of locals) {
      if (item === null || isStreaming(item.version)) {
        if (attempt === 0) result.held++;
        continue;
      }
      items.push(item);
    }
    if (items.length === 0) return;
    const docs = await Promise.all(
      items.map(async (it): Promise<SyncDoc> => {
        const doc = await encryptVersion(ctx.key, it.version);
        return it.rev === null ? doc : { ...doc, _rev: it.rev };
      }),
    );
    const answers = await ctx.couch.bulkDocs(docs);
    const done: Array<{ version: Version; rev: string }> = [];
    const conflicted: DocId[] = [];
    answers.forEach((a, i) => {
      const item = items[i]!;
      if ('ok' in a) done.push({ version: item.version, rev: a.rev });
      else if (a.error === 'conflict') conflicted.push(item.version.id);
      else result.rejected.push({ id: item.version.id, reason: a.reason ?? a.error });
    });
    if (done.length > 0) await markPushed(ctx.db, done, ctx.opts);
    result.pushed += done.length;
    if (conflicted.length === 0) return;
    result.conflicts += conflicted.length;
    await takeServerVersions(ctx, conflicted, result);
    // What the merge left in the outbox goes again, now on the server's revision.
    const still = await ctx.db.syncOutbox.bulkGet(conflicted);
    pending = conflicted.filter((_, i) => still[i] !== undefined);
  }
}

/** Merges the server's current version of each document into the local one (one `_all_docs` read for all of them). */
async function takeServerVersions(ctx: SyncContext, ids: readonly DocId[], result: PushResult): Promise<void> {
  const remote = await ctx.couch.getDocs(ids);
  const items: ApplyItem[] = [];
  for (const [i, doc] of remote.entries()) {
    const id = ids[i]!;
    if (doc === null) {
      // Removed on the server outside Parley (CouchDB-deleted): write again without a revision.
      await ctx.db.syncState.update(id, { rev: null });
      continue;
    }
    try {
      // decryptDoc checks the envelope's shape itself.
      items.push({ version: await decryptDoc(ctx.key, doc as unknown as SyncDoc), rev: doc._rev });
    } catch (err) {
      if (!(err instanceof SyncDecryptError)) throw err;
      result.rejected.push({ id, reason: `the server's copy cannot be read (${err.reason}); left as it is` });
    }
  }
  if (items.length > 0) await applyRemote(ctx.db, items, ctx.opts);
}
