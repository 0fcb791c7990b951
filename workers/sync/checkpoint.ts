import type { ParleyDb } from '../../src/core/storage/db';
import { SYNC_CHECKPOINT_KEY } from '../../src/core/sync/settings';
import type { Couch, Seq } from './couch';

/**
 * Where a pull resumes: the last `_changes` sequence applied here. Kept in two places, as the
 * replication protocol does: the settings row 'sync.checkpoint' (this device, written after every
 * applied batch, so an interrupted pull resumes where it stopped) and the server's
 * `_local/parley-<device>` (written at the end of a pull). The server's copy says the database
 * still knows this device: a database that was emptied or replaced has none, and its sequence
 * numbers mean something else, so the pull starts again from 0 (merging is idempotent: pulling
 * twice loses nothing and duplicates nothing).
 */

export interface CheckpointRow {
  /** Which database the sequence belongs to: `<base url>/<db>`. */
  server: string;
  seq: Seq;
  /** When it was written, ms. */
  at: number;
}

export interface Checkpoints {
  /** The sequence to pull from. */
  readonly seq: Seq;
  /** Reads both copies and picks where to start (see above). One request. */
  load(): Promise<Seq>;
  /** Takes this device's copy again: another tab's loop may have pulled since (no request). */
  refresh(): Promise<Seq>;
  /** After a batch is applied: this device's copy. */
  advance(seq: Seq): Promise<void>;
  /** The server's copy, if it lags behind this device's. */
  flush(): Promise<void>;
}

function isSeq(x: unknown): x is Seq {
  return typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));
}

export function localCheckpointId(deviceId: string): string {
  return `parley-${deviceId}`;
}

export function createCheckpoints(db: ParleyDb, couch: Couch, deviceId: string, now: () => number): Checkpoints {
  const server = `${couch.url}/${couch.db}`;
  const localId = localCheckpointId(deviceId);
  let seq: Seq = 0;
  /** What the server's `_local` doc holds, as far as this instance knows (undefined: not read yet). */
  let remoteSeq: Seq | null | undefined;

  return {
    get seq() {
      return seq;
    },

    async load() {
      const row = await db.settings.get(SYNC_CHECKPOINT_KEY);
      const local = row?.value as Partial<CheckpointRow> | undefined;
      const remote = await couch.getLocal(localId);
      remoteSeq = remote && isSeq(remote.seq) ? remote.seq : null;
      const localSeq = local?.server === server && isSeq(local.seq) ? local.seq : null;
      // This device's copy is at least as recent as the server's (written after every batch);
      // the server's only vouches that the sequence still means the same database.
      seq = remoteSeq === null ? 0 : (localSeq ?? remoteSeq);
      // Forget a sequence of a database that is gone, so no tab's refresh() picks it up again.
      if (remoteSeq === null && row !== undefined) await db.settings.delete(SYNC_CHECKPOINT_KEY);
      return seq;
    },

    async refresh() {
      const row = (await db.settings.get(SYNC_CHECKPOINT_KEY))?.value as Partial<CheckpointRow> | undefined;
      if (row?.server === server && isSeq(row.seq)) seq = row.seq;
      return seq;
    },

    async advance(next) {
      if (next === seq) return;
      seq = next;
      const row: CheckpointRow = { server, seq: next, at: now() };
      await db.settings.put({ key: SYNC_CHECKPOINT_KEY, value: row });
    },

    async flush() {
      if (remoteSeq !== undefined && remoteSeq === seq) return;
      await couch.putLocal(localId, { seq, at: now() });
      remoteSeq = seq;
    },
  };
}
