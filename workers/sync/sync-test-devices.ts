import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { ensureDeviceId } from '../../src/core/sync/outbox';
import { settingSyncs } from '../../src/core/sync/records';
import type { CouchServer } from '../../e2e/couch-server/server';
import { createCouch, type Couch, type FetchPort } from './couch';
import { createSyncLoop, type SyncLoop, type SyncLoopOptions } from './sync-loop';

/** Two (or more) browsers in one test: each a fake-indexeddb ParleyDb with its own device id, syncing to one test server. */

export interface Device {
  name: string;
  db: ParleyDb;
  deviceId: string;
  couch: Couch;
  loop: SyncLoop;
}

let n = 0;

export async function makeDevice(
  server: CouchServer,
  name: string,
  over: Omit<Partial<SyncLoopOptions>, 'db' | 'couch' | 'deviceId'> & { fetch?: FetchPort; live?: boolean } = {},
): Promise<Device> {
  const db = openDb(`sync-loop-${name}-${n++}-${Date.now()}`);
  await db.open();
  const deviceId = await ensureDeviceId(db);
  const { fetch: fetchPort, live, ...loopOptions } = over;
  const couch = createCouch({ url: server.url, db: 'parley', fetch: fetchPort ?? ((url, init) => fetch(url, init)), longpollGraceMs: 500 });
  const loop = createSyncLoop({
    db,
    couch,
    passphrase: 'correct horse battery',
    deviceId,
    includeKeys: false,
    iterations: 1000,
    ...(live ? { subscribeOutbox: outboxSubscription(db) } : {}),
    ...loopOptions,
  });
  return { name, db, deviceId, couch, loop };
}

/** The outbox port as the worker would give it: Dexie's liveQuery on the outbox. */
export function outboxSubscription(db: ParleyDb): SyncLoopOptions['subscribeOutbox'] {
  return (cb) => {
    const sub = liveQuery(() => db.syncOutbox.count()).subscribe({ next: () => cb() });
    return () => sub.unsubscribe();
  };
}

/** What a user sees of a device: the synced tables, sorted, plus the message tree's nodes. */
export async function snapshot(db: ParleyDb): Promise<Record<string, unknown[]>> {
  const byId = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => a.id.localeCompare(b.id));
  return {
    chats: byId(await db.chats.toArray()),
    messages: byId(await db.messages.toArray()),
    nodes: await db.nodes.toArray(),
    folders: byId(await db.folders.toArray()),
    prompts: byId(await db.prompts.toArray()),
    settings: (await db.settings.toArray()).filter((s) => settingSyncs(s.key)).sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** Every document on the server, as stored (ciphertext), without `_local` ones. */
export async function serverDocs(server: CouchServer): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${server.url}/parley/_all_docs?include_docs=true&conflicts=true`);
  const body = (await res.json()) as { rows: Array<{ doc: Record<string, unknown> }> };
  return body.rows.map((r) => r.doc);
}

export async function closeDevices(devices: Device[]): Promise<void> {
  for (const d of devices) {
    await d.loop.stop();
    await d.db.delete();
  }
}

