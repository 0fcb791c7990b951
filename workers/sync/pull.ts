import { applyRemote, type ApplyItem } from '../../src/core/sync/apply';
import { decryptDoc, encryptVersion, SyncDecryptError } from '../../src/core/sync/crypto';
import { mergeAll } from '../../src/core/sync/merge';
import { parseDocId } from '../../src/core/sync/records';
import type { SyncDoc, SyncStateRow, Version } from '../../src/core/sync/types';
import type { Checkpoints } from './checkpoint';
import type { ChangeRow, ChangesOptions, CouchDoc, Seq } from './couch';
import type { SyncContext } from './push';

/**
 * Pull (issue 9): `_changes` since the checkpoint, in batches, ids and revisions only
 * (`style=all_docs`: every leaf revision of a document, so a CouchDB conflict is seen even when
 * this device's revision is the winner). A document this device already holds at that revision —
 * its own pushes coming back — is skipped without a request; the others are fetched together
 * (`_all_docs` with their ids, winners with their conflicts), decrypted and merged into the local
 * records in one transaction (applyRemote), then the checkpoint moves. A batch that fails is not
 * applied and its sequence not recorded, so the next pull starts with it again.
 *
 * A document with CouchDB conflict revisions (two devices wrote the same revision's child, or
 * replication between servers) is resolved by the same merge: every leaf is read and merged, the
 * merge is written on the winning revision and the losing ones are deleted, in one `_bulk_docs`.
 * The deleted losers stay leaves (CouchDB keeps them), so such a document's later changes list
 * more than one revision and it is fetched again when it changes; it then has no `_conflicts` and,
 * if it is at this device's revision, nothing more happens.
 */

export interface PullResult {
  /** Documents merged into local records. */
  pulled: number;
  /** Documents not applied: unreadable (another key, tampered), or refused by applyRemote. */
  skipped: Array<{ id: string; reason: string }>;
  /** CouchDB conflicts resolved. */
  resolved: number;
}

export const PULL_BATCH = 200;

export function emptyPull(): PullResult {
  return { pulled: 0, skipped: [], resolved: 0 };
}

/** The `_changes` a pull asks for (the live longpoll too): ids and every leaf revision, no bodies. */
export function changesQuery(since: Seq, limit: number): ChangesOptions {
  return { since, limit, style: 'all_docs' };
}

/** This device holds the document at the only revision the change lists: nothing to fetch. */
function held(row: ChangeRow, state: SyncStateRow | undefined): boolean {
  return row.changes.length === 1 && row.changes[0]!.rev === state?.rev;
}

/** Pulls until the feed is exhausted, moving the checkpoint after each batch; the server's copy at the end. */
export async function pullChanges(ctx: SyncContext, checkpoints: Checkpoints, batchSize = PULL_BATCH): Promise<PullResult> {
  const result = emptyPull();
  await checkpoints.refresh();
  for (;;) {
    const page = await ctx.couch.changes(changesQuery(checkpoints.seq, batchSize));
    await applyChanges(ctx, page.results, result);
    await checkpoints.advance(page.lastSeq);
    const more = page.pending !== undefined ? page.pending > 0 : page.results.length >= batchSize;
    if (!more) break;
  }
  await checkpoints.flush();
  return result;
}

/**
 * Applies one page of changes. Documents this device already holds at that revision (its own
 * pushes coming back) are neither fetched nor decrypted again; the rest come in one request.
 * CouchDB-deleted documents (all leaves deleted: not Parley's tombstones, which are documents
 * of their own) are left alone.
 */
export async function applyChanges(ctx: SyncContext, rows: readonly ChangeRow[], result: PullResult): Promise<void> {
  const candidates = rows.filter((r) => parseDocId(r.id) !== null && !r.deleted);
  if (candidates.length === 0) return;
  const states = await ctx.db.syncState.bulkGet(candidates.map((r) => r.id));
  const wanted = new Map<string, SyncStateRow | undefined>();
  candidates.forEach((row, i) => {
    if (!held(row, states[i])) wanted.set(row.id, states[i]);
  });
  if (wanted.size === 0) return;
  const ids = [...wanted.keys()];
  const docs = await ctx.couch.getDocs(ids, { conflicts: true });
  const items = await Promise.all(
    docs.map(async (doc, i): Promise<ApplyItem | null> => {
      // Deleted or gone since the change was listed.
      if (!doc || doc._deleted) return null;
      if (doc._conflicts && doc._conflicts.length > 0) {
        const item = await resolveConflicts(ctx, doc, result);
        if (item) result.resolved++;
        return item;
      }
      if (wanted.get(ids[i]!)?.rev === doc._rev) return null;
      const version = await readDoc(ctx, doc, result);
      return version ? { version, rev: doc._rev } : null;
    }),
  );
  const ready = items.filter((x): x is ApplyItem => x !== null);
  if (ready.length === 0) return;
  const applied = await applyRemote(ctx.db, ready, ctx.opts);
  result.pulled += applied.applied;
  result.skipped.push(...applied.skipped);
}

/** The version in a document, or null (recorded as skipped) when it cannot be read with this key. */
async function readDoc(ctx: SyncContext, doc: CouchDoc, result: PullResult): Promise<Version | null> {
  try {
    // decryptDoc checks the envelope's shape itself.
    return await decryptDoc(ctx.key, doc as unknown as SyncDoc);
  } catch (err) {
    if (!(err instanceof SyncDecryptError)) throw err;
    result.skipped.push({ id: doc._id, reason: err.message });
    return null;
  }
}

/**
 * Merges every leaf of a conflicted document, writes the merge on the winning revision and
 * deletes the losers. Returns what to apply locally: the merge at its new revision (or at the
 * old winner's, if someone wrote the document meanwhile: the next pull brings that).
 */
async function resolveConflicts(ctx: SyncContext, winner: CouchDoc, result: PullResult): Promise<ApplyItem | null> {
  const losers = winner._conflicts ?? [];
  const others = await Promise.all(losers.map((rev) => ctx.couch.getDoc(winner._id, { rev })));
  const versions: Version[] = [];
  for (const doc of [winner, ...others]) {
    if (!doc || doc._deleted) continue;
    const v = await readDoc(ctx, doc, result);
    if (v) versions.push(v);
  }
  if (versions.length === 0) return null;
  const merged = mergeAll(versions);
  const sealed = await encryptVersion(ctx.key, merged);
  const answers = await ctx.couch.bulkDocs([{ ...sealed, _rev: winner._rev }, ...losers.map((rev) => ({ _id: winner._id, _rev: rev, _deleted: true }))]);
  const first = answers[0];
  return { version: merged, rev: first && 'ok' in first ? first.rev : winner._rev };
}
