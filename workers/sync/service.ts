import Dexie from 'dexie';
import type { ParleyDb } from '../../src/core/storage/db';
import { enqueueAll } from '../../src/core/sync/enqueue-all';
import { ensureDeviceId } from '../../src/core/sync/outbox';
import { SYNC_CHECKPOINT_KEY, SYNC_CONFIG_KEY, SYNC_KEY_KEY, SYNC_STATUS_KEY } from '../../src/core/sync/settings';
import type { SyncConfig, SyncFailure, SyncStatus, SyncWorkerApi } from './api';
import { createCouch, type Couch, type FetchPort } from './couch';
import { createSyncLoop, describeError, type SyncLocks, type SyncLoop, type SyncLoopStatus } from './sync-loop';

/**
 * The sync worker's service: keeps the configuration and the key (settings rows 'sync.config'
 * and 'sync.key', never synced), runs one sync loop at a time, and writes every status change to
 * 'sync.status' so each tab's Settings › Sync shows it. The loop itself takes care of tabs: rounds
 * hold the Web Lock 'parley-sync', the live loop 'parley-sync-live'.
 */

export interface SyncServiceDeps {
  db: ParleyDb;
  fetch: FetchPort;
  locks?: SyncLocks;
  now?: () => number;
  /** PBKDF2 iterations of a new meta document (tests use few). */
  iterations?: number;
  /** Live: how long the server may hold a longpoll. */
  longpollTimeoutMs?: number;
}

export interface SyncService extends SyncWorkerApi {
  close(): Promise<void>;
}

const OFF: SyncStatus = { state: 'off', lastSyncAt: null, at: 0, error: null, errorKind: null, pushed: 0, pulled: 0 };

function failure(err: unknown, couch: Couch): SyncFailure {
  const d = describeError(err, couch);
  return { kind: d.errorKind, message: d.error };
}

/** Calls back when this context or any other (Dexie's BroadcastChannel) changes the outbox. */
function subscribeOutbox(db: ParleyDb): (cb: () => void) => () => void {
  const part = `idb://${db.name}/syncOutbox/`;
  return (cb) => {
    const on = (parts: Record<string, unknown>) => {
      if (Object.keys(parts).some((k) => k.startsWith(part))) cb();
    };
    Dexie.on('storagemutated', on);
    return () => Dexie.on.storagemutated.unsubscribe(on);
  };
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  let current: { loop: SyncLoop; couch: Couch; config: SyncConfig } | null = null;
  /** Status writes in order (a late 'syncing' must not land over the 'ok' after it). */
  let writes: Promise<unknown> = Promise.resolve();

  const toStatus = (s: SyncLoopStatus): SyncStatus => ({
    state: s.state,
    lastSyncAt: s.lastSyncAt,
    at: s.at,
    error: s.error,
    errorKind: s.errorKind,
    pushed: s.pushed,
    pulled: s.pulled,
  });
  const writeStatus = (s: SyncStatus) => {
    writes = writes.then(() => db.settings.put({ key: SYNC_STATUS_KEY, value: s })).catch(() => undefined);
    return writes;
  };

  function build(config: SyncConfig, secret: { passphrase: string } | { key: CryptoKey }, deviceId: string) {
    const couch = createCouch({ url: config.url, db: config.db, username: config.username, password: config.password, fetch: deps.fetch });
    const loop = createSyncLoop({
      db,
      couch,
      ...secret,
      deviceId,
      includeKeys: config.includeKeys,
      now,
      locks: deps.locks,
      iterations: deps.iterations,
      longpollTimeoutMs: deps.longpollTimeoutMs,
      subscribeOutbox: subscribeOutbox(db),
      onStatus: (s) => void writeStatus(toStatus(s)),
    });
    return { loop, couch, config };
  }

  async function replace(next: typeof current): Promise<void> {
    const old = current;
    current = next;
    await old?.loop.stop();
  }

  async function savedSetup(): Promise<{ config: SyncConfig; key: CryptoKey } | null> {
    const [c, k] = await db.settings.bulkGet([SYNC_CONFIG_KEY, SYNC_KEY_KEY]);
    const config = c?.value as SyncConfig | undefined;
    const key = k?.value;
    if (!config || typeof config.url !== 'string' || !(key instanceof CryptoKey)) return null;
    return { config, key };
  }

  /** The loop for the saved setup, built on first need (a tab other than the one that configured sync). */
  async function ensureLoop(): Promise<NonNullable<typeof current>> {
    if (current) return current;
    const saved = await savedSetup();
    if (!saved) throw { kind: 'off', message: 'Sync is not set up on this device.' } satisfies SyncFailure;
    const next = build(saved.config, { key: saved.key }, await ensureDeviceId(db));
    await replace(next);
    return next;
  }

  const round = async (c: NonNullable<typeof current>): Promise<SyncStatus> => {
    await c.loop.syncOnce().catch(() => undefined); // the error is in the status
    await writes;
    return toStatus(c.loop.status());
  };

  return {
    async configure(config, passphrase) {
      const deviceId = await ensureDeviceId(db);
      const next = build(config, { passphrase }, deviceId);
      let key: CryptoKey;
      try {
        key = await next.loop.open();
      } catch (err) {
        throw failure(err, next.couch);
      }
      const old = (await db.settings.get(SYNC_CONFIG_KEY))?.value as SyncConfig | undefined;
      const sameDb = !!old && old.url === config.url && old.db === config.db;
      // Another database: everything goes up again, and its revisions and sequence start afresh.
      if (!sameDb) {
        await enqueueAll(db, { resetRevs: true, now });
        await db.settings.delete(SYNC_CHECKPOINT_KEY);
      }
      await db.settings.bulkPut([
        { key: SYNC_CONFIG_KEY, value: config },
        { key: SYNC_KEY_KEY, value: key },
      ]);
      await replace(next);
      const status = await round(next);
      if (config.live) next.loop.startLive();
      return status;
    },
    async syncNow() {
      return round(await ensureLoop());
    },
    async setLive(live) {
      const c = await ensureLoop();
      c.config = { ...c.config, live };
      await db.settings.put({ key: SYNC_CONFIG_KEY, value: c.config });
      if (live) c.loop.startLive();
      else await c.loop.stop();
    },
    async turnOff() {
      await replace(null);
      await writes;
      await db.settings.bulkDelete([SYNC_CONFIG_KEY, SYNC_KEY_KEY, SYNC_CHECKPOINT_KEY]);
      await writeStatus({ ...OFF, at: now() });
    },
    async start() {
      const saved = await savedSetup();
      if (!saved || current) return;
      const c = await ensureLoop();
      if (saved.config.live) c.loop.startLive();
      else void round(c);
    },
    async close() {
      await replace(null);
      await writes;
    },
  };
}
