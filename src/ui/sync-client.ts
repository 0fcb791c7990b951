import * as Comlink from 'comlink';
import type { SyncWorkerApi } from '../../workers/sync/api';

/**
 * The page's sync worker (workers/sync.worker.ts), started when sync is configured (at start-up)
 * or when Settings › Sync is used: import this module lazily. Each tab has one; the worker in the
 * tab holding the 'parley-sync' Web Lock does the syncing, the others pass it their requests.
 */
let shared: { worker: Worker; remote: Comlink.Remote<SyncWorkerApi> } | null = null;

export function syncClient(): Comlink.Remote<SyncWorkerApi> {
  if (shared) return shared.remote;
  const worker = new Worker(new URL('../../workers/sync.worker.ts', import.meta.url), { type: 'module', name: 'parley-sync' });
  shared = { worker, remote: Comlink.wrap<SyncWorkerApi>(worker) };
  return shared.remote;
}
