import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCouchServer, type CouchServer } from '../../e2e/couch-server/server';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { SYNC_CONFIG_KEY, SYNC_KEY_KEY, SYNC_STATUS_KEY } from '../../src/core/sync/settings';
import { chat } from '../../src/core/sync/test-records';
import type { SyncConfig, SyncStatus } from './api';
import { createSyncService, type SyncService } from './service';
import { serverDocs } from './sync-test-devices';

let server: CouchServer;
const open: Array<{ db: ParleyDb; service: SyncService }> = [];
let n = 0;
beforeEach(async () => {
  server = await startCouchServer();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.service.close();
    await o.db.delete();
  }
  await server.close();
});

function device() {
  const db = openDb(`sync-service-${n++}-${Date.now()}`);
  const service = createSyncService({ db, fetch: (url, init) => fetch(url, init), iterations: 1000, longpollTimeoutMs: 500 });
  open.push({ db, service });
  return { db, service };
}
const config = (over: Partial<SyncConfig> = {}): SyncConfig => ({ url: server.url, db: 'parley', username: '', password: '', includeKeys: false, live: false, ...over });
const setting = async (db: ParleyDb, key: string) => (await db.settings.get(key))?.value;

describe('sync service', () => {
  it('configure: sets the database up, sends what was here before sync, saves the setup and a status every tab reads', async () => {
    const a = device();
    await a.db.chats.put(chat('before'));
    const status = await a.service.configure(config(), 'correct horse battery');
    expect(status).toMatchObject({ state: 'ok', error: null, pushed: 1 });
    expect((await serverDocs(server)).map((d) => d._id).sort()).toEqual(['chat:before', 'parley:meta']);
    expect(await setting(a.db, SYNC_CONFIG_KEY)).toEqual(config());
    expect(await setting(a.db, SYNC_KEY_KEY)).toBeInstanceOf(CryptoKey);
    expect(((await setting(a.db, SYNC_STATUS_KEY)) as SyncStatus).state).toBe('ok');
  });

  it('a second device with the wrong passphrase is refused in words and writes nothing, here or there', async () => {
    const a = device();
    await a.db.chats.put(chat('c1'));
    await a.service.configure(config(), 'correct horse battery');
    const before = await serverDocs(server);
    const b = device();
    await b.db.chats.put(chat('mine'));
    await expect(b.service.configure(config(), 'wrong horse battery')).rejects.toMatchObject({ kind: 'passphrase', message: expect.stringMatching(/passphrase/i) });
    expect(await setting(b.db, SYNC_CONFIG_KEY)).toBeUndefined();
    expect(await setting(b.db, SYNC_KEY_KEY)).toBeUndefined();
    expect((await b.db.chats.toArray()).map((c) => c.id)).toEqual(['mine']);
    expect(await serverDocs(server)).toEqual(before);
  });

  it('the right passphrase on a second device brings everything down; a restart syncs with the kept key, no passphrase', async () => {
    const a = device();
    await a.db.chats.put(chat('c1'));
    await a.service.configure(config(), 'correct horse battery');
    const b = device();
    await b.service.configure(config(), 'correct horse battery');
    expect((await b.db.chats.toArray()).map((c) => c.id)).toEqual(['c1']);
    await a.db.chats.put(chat('c2'));
    await a.service.syncNow();
    // B's worker restarts (a reload): a new service on the same database.
    await b.service.close();
    const again = createSyncService({ db: b.db, fetch: (url, init) => fetch(url, init), iterations: 1000 });
    open.push({ db: b.db, service: again });
    const s = await again.syncNow();
    expect(s).toMatchObject({ state: 'ok', pulled: 1 });
    expect((await b.db.chats.toArray()).map((c) => c.id).sort()).toEqual(['c1', 'c2']);
  });

  it('turn off: forgets server, credentials and key, keeps every local record; Sync now then says sync is off', async () => {
    const a = device();
    await a.db.chats.put(chat('c1'));
    await a.service.configure(config({ password: 'pw' }), 'correct horse battery');
    await a.service.turnOff();
    expect(await setting(a.db, SYNC_CONFIG_KEY)).toBeUndefined();
    expect(await setting(a.db, SYNC_KEY_KEY)).toBeUndefined();
    expect(((await setting(a.db, SYNC_STATUS_KEY)) as SyncStatus).state).toBe('off');
    expect((await a.db.chats.toArray()).map((c) => c.id)).toEqual(['c1']);
    await expect(a.service.syncNow()).rejects.toMatchObject({ kind: 'off' });
  });

  it('a server that refuses the credentials: refused in words, nothing saved', async () => {
    await server.close();
    server = await startCouchServer({ auth: { user: 'ana', password: 'secret' } });
    const a = device();
    await expect(a.service.configure(config({ username: 'ana', password: 'nope' }), 'correct horse battery')).rejects.toMatchObject({ kind: 'auth' });
    expect(await setting(a.db, SYNC_CONFIG_KEY)).toBeUndefined();
    const ok = await a.service.configure(config({ username: 'ana', password: 'secret' }), 'correct horse battery');
    expect(ok.state).toBe('ok');
  });
});
