import type { ParleyDb } from '../../src/core/storage/db';
import { MetaFormatError, WrongPassphraseError } from '../../src/core/sync/crypto';
import { backoffDelay } from './backoff';
import { createCheckpoints, type Checkpoints } from './checkpoint';
import type { Couch } from './couch';
import { openSyncKey } from './open-meta';
import { applyChanges, changesQuery, emptyPull, pullChanges, PULL_BATCH, type PullResult } from './pull';
import { pushOutbox, PUSH_BATCH, type PushResult, type SyncContext } from './push';
import { SyncError } from './sync-error';

/**
 * The sync loop (issue 9): open (the meta document: create it on an empty database, or open it
 * with the passphrase — a wrong one throws WrongPassphraseError before anything is written, here
 * or there), then rounds of push and pull. `syncOnce()` is one round; `startLive()` keeps going:
 * after a round it long-polls `_changes` (applying what arrives) until the outbox changes, and
 * after a failure waits with exponential backoff. Rounds never overlap: within this instance a
 * queue, across tabs the lock 'parley-sync'; the live loop itself holds 'parley-sync-live', so
 * one tab long-polls and another takes over when it closes.
 */

export interface SyncLocks {
  /** Runs `fn` holding the lock `name`. With `signal`, waiting for it ends (rejecting) when the signal aborts. */
  hold<T>(name: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export type LoopState = 'idle' | 'syncing' | 'ok' | 'error';

export interface SyncLoopStatus {
  state: LoopState;
  /** When the last round ended without error, ms. */
  lastSyncAt: number | null;
  /** When this status was made, ms. */
  at: number;
  /** Records waiting in the outbox. */
  pending: number;
  /** The last error in words a user can act on; null after a clean round. */
  error: string | null;
  /** SyncError's kind, 'passphrase', 'meta' or 'internal'. */
  errorKind: string | null;
  /** Records sent and received in the last round. */
  pushed: number;
  pulled: number;
}

export interface SyncRound {
  push: PushResult;
  pull: PullResult;
}

export interface SyncLoopOptions {
  db: ParleyDb;
  couch: Couch;
  /** To create or open the meta document. Without it, `key` (kept from an earlier open) is used. */
  passphrase?: string;
  key?: CryptoKey;
  /** This device's id ('sync.device'): names the server checkpoint `_local/parley-<device>`. */
  deviceId: string;
  /** Sync connections' API keys (the user opted in). */
  includeKeys: boolean;
  now?: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  locks?: SyncLocks;
  onStatus?: (status: SyncLoopStatus) => void;
  /** Calls back when the outbox changes (live: push soon); returns the unsubscribe. */
  subscribeOutbox?: (cb: () => void) => () => void;
  /** PBKDF2 iterations of a new meta document (tests use few). */
  iterations?: number;
  pushBatch?: number;
  pullBatch?: number;
  /** Live: how long the server may hold a longpoll (`timeout=`). Default 25 s. */
  longpollTimeoutMs?: number;
}

export interface SyncLoop {
  /** Checks the database and the passphrase; creates the meta document on an empty database. Returns the key. */
  open(): Promise<CryptoKey>;
  /** One round: push, then pull. Rejects with the error (also in the status). */
  syncOnce(): Promise<SyncRound>;
  startLive(): void;
  /** Ends the live loop (an open longpoll or a backoff wait included) and waits for it. */
  stop(): Promise<void>;
  status(): SyncLoopStatus;
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Words and kind for the status line. */
export function describeError(err: unknown, couch: Couch): { error: string; errorKind: string } {
  if (err instanceof SyncError) return { error: err.message, errorKind: err.kind };
  if (err instanceof WrongPassphraseError) return { error: err.message, errorKind: 'passphrase' };
  if (err instanceof MetaFormatError) {
    return { error: `The database “${couch.db}” on ${couch.server} holds data Parley did not write (${err.message}). Use another database.`, errorKind: 'meta' };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { error: `Sync failed: ${text}`, errorKind: 'internal' };
}

export function createSyncLoop(o: SyncLoopOptions): SyncLoop {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const random = o.random ?? Math.random;
  const syncOpts = { includeKeys: o.includeKeys };
  let key: CryptoKey | undefined;
  let checkpoints: Checkpoints | undefined;
  let opening: Promise<CryptoKey> | undefined;
  let status: SyncLoopStatus = { state: 'idle', lastSyncAt: null, at: now(), pending: 0, error: null, errorKind: null, pushed: 0, pulled: 0 };
  /** Rounds of this instance, one after the other. */
  let queue: Promise<unknown> = Promise.resolve();
  let live: { stop: AbortController; done: Promise<void> } | undefined;
  /** The outbox changed since the last push began. */
  let dirty = true;
  let wake: AbortController | undefined;

  const setStatus = (patch: Partial<SyncLoopStatus>): void => {
    status = { ...status, ...patch, at: now() };
    o.onStatus?.(status);
  };

  /** The key, then the checkpoint; each step kept once it succeeded, so a failed open is simply tried again. */
  async function open(): Promise<CryptoKey> {
    if (!key) {
      opening ??= openSyncKey(o.couch, { passphrase: o.passphrase, key: o.key, iterations: o.iterations }).finally(() => (opening = undefined));
      key = await opening;
    }
    if (!checkpoints) {
      const cp = createCheckpoints(o.db, o.couch, o.deviceId, now);
      await cp.load();
      checkpoints = cp;
    }
    return key;
  }

  const context = (): SyncContext => ({ db: o.db, couch: o.couch, key: key!, opts: syncOpts });

  /** `fn` after the rounds before it, holding the cross-tab lock. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = () => (o.locks ? o.locks.hold('parley-sync', fn) : fn());
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  async function round(pull: boolean): Promise<SyncRound> {
    setStatus({ state: 'syncing' });
    try {
      await open();
      dirty = false;
      const push = await pushOutbox(context(), o.pushBatch ?? PUSH_BATCH);
      const pulled = pull ? await pullChanges(context(), checkpoints!, o.pullBatch ?? PULL_BATCH) : emptyPull();
      const rejected = push.rejected[0];
      setStatus({
        state: 'ok',
        lastSyncAt: now(),
        pending: await o.db.syncOutbox.count(),
        pushed: push.pushed,
        pulled: pulled.pulled,
        error: rejected ? `The sync server at ${o.couch.server} refused ${push.rejected.length} change(s): ${rejected.reason}` : null,
        errorKind: rejected ? 'server' : null,
      });
      return { push, pull: pulled };
    } catch (err) {
      setStatus({ state: 'error', pending: await o.db.syncOutbox.count().catch(() => status.pending), ...describeError(err, o.couch) });
      throw err;
    }
  }

  /** Waits for remote changes (applying them) until one arrives, the outbox changes, or `stop`. Returns whether the feed may hold more. */
  async function idle(stop: AbortSignal): Promise<boolean> {
    if (dirty || stop.aborted) return false;
    const ctrl = new AbortController();
    wake = ctrl;
    const onStop = (): void => ctrl.abort(stop.reason);
    stop.addEventListener('abort', onStop);
    try {
      const cp = checkpoints!;
      await cp.refresh();
      const limit = o.pullBatch ?? PULL_BATCH;
      const page = await o.couch
        .changes({ ...changesQuery(cp.seq, limit), longpoll: true, timeoutMs: o.longpollTimeoutMs ?? 25_000, signal: ctrl.signal })
        .catch((err: unknown) => {
          if (ctrl.signal.aborted) return null; // the outbox changed, or stop
          throw err;
        });
      if (!page || page.results.length === 0) return false;
      await exclusive(async () => {
        const result = emptyPull();
        await applyChanges(context(), page.results, result);
        await cp.advance(page.lastSeq);
        if (result.pulled > 0 || result.resolved > 0) await cp.flush();
        setStatus({ state: 'ok', lastSyncAt: now(), pulled: result.pulled, pushed: 0, pending: await o.db.syncOutbox.count() });
      });
      return page.pending !== undefined ? page.pending > 0 : page.results.length >= limit;
    } finally {
      stop.removeEventListener('abort', onStop);
      wake = undefined;
    }
  }

  async function runLive(stop: AbortSignal): Promise<void> {
    const unsubscribe = o.subscribeOutbox?.(() => {
      dirty = true;
      wake?.abort();
    });
    let failures = 0;
    let behind = true;
    try {
      while (!stop.aborted) {
        try {
          if (behind || dirty) await exclusive(() => round(behind));
          failures = 0;
          behind = await idle(stop);
        } catch (err) {
          if (stop.aborted) break;
          // Trying again cannot help: the key no longer opens the database (set up again with
          // another passphrase) or the database holds something else. The status says so; the
          // user changes the setup, which starts a new loop.
          if (err instanceof WrongPassphraseError || err instanceof MetaFormatError) break;
          failures++;
          behind = true;
          await sleep(backoffDelay(failures, random), stop);
        }
      }
    } finally {
      unsubscribe?.();
    }
  }

  return {
    open,
    syncOnce: () => exclusive(() => round(true)),
    startLive() {
      if (live) return;
      const stop = new AbortController();
      const body = () => (stop.signal.aborted ? Promise.resolve() : runLive(stop.signal));
      // Another tab may hold the live lock for hours: stopping must not wait for it.
      const done = (o.locks ? o.locks.hold('parley-sync-live', body, stop.signal) : body()).catch((err: unknown) => {
        if (stop.signal.aborted) return;
        setStatus({ state: 'error', ...describeError(err, o.couch) });
      });
      live = { stop, done };
    },
    async stop() {
      const l = live;
      if (!l) return;
      live = undefined;
      l.stop.abort(new DOMException('Sync stopped.', 'AbortError'));
      await l.done;
    },
    status: () => status,
  };
}
