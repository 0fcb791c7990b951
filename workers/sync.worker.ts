import * as Comlink from 'comlink';
import { openDb } from '../src/core/storage/db';
import type { SyncWorkerApi } from './sync/api';
import { createSyncService } from './sync/service';
import type { SyncLocks } from './sync/sync-loop';

/** The sync worker: wires the browser's fetch, IndexedDB and Web Locks into the sync service. */
const locks: SyncLocks | undefined =
  typeof navigator !== 'undefined' && navigator.locks ? { hold: (name, fn, signal) => navigator.locks.request(name, signal ? { signal } : {}, fn) } : undefined;

const service = createSyncService({ db: openDb(), fetch: (url, init) => fetch(url, init), locks });
const api: SyncWorkerApi = {
  configure: (c, p) => service.configure(c, p),
  syncNow: () => service.syncNow(),
  setLive: (live) => service.setLive(live),
  turnOff: () => service.turnOff(),
  start: () => service.start(),
};
Comlink.expose(api);
