import { describe, expect, it, vi } from 'vitest';
import { nodeOf } from '../../src/core/storage/message-node';
import { localVersion } from '../../src/core/sync/apply';
import { decryptDoc, encryptVersion, WrongPassphraseError } from '../../src/core/sync/crypto';
import { formatHlc } from '../../src/core/sync/hlc';
import { SYNC_CHECKPOINT_KEY } from '../../src/core/sync/settings';
import { chat, folder, message, prompt } from '../../src/core/sync/test-records';
import type { SyncDoc } from '../../src/core/sync/types';
import { SyncError } from './sync-error';
import { KeyMismatchError } from './open-meta';
import { createSyncLoop } from './sync-loop';
import { serverDocs, snapshot, type Device } from './sync-test-devices';
import { useSyncServer } from './sync-test-server';

const env = useSyncServer();
const device = env.device.bind(env);

/** A, then B, then A: after it both hold everything either had. */
async function syncAll(...ds: Device[]): Promise<void> {
  for (const d of ds) await d.loop.syncOnce();
  await ds[0]?.loop.syncOnce();
}

const writes = () => env.server.requests.filter((r) => r.method !== 'GET' && r.method !== 'OPTIONS' && r.method !== 'HEAD');

describe('sync loop against a real CouchDB-protocol server', () => {
  it('two devices converge: chats, messages (with their tree nodes), folders, prompts, settings', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1', { folderId: 'f1' }));
    const ms = [message('m1', 'c1'), message('m2', 'c1', { parentId: 'm1', role: 'assistant' })];
    // As the app writes them: each message with its tree node.
    await a.db.messages.bulkPut(ms);
    await a.db.nodes.bulkPut(ms.map(nodeOf));
    await a.db.folders.put(folder('f1'));
    await a.db.prompts.put(prompt('p1', 'summarize'));
    await a.db.settings.put({ key: 'theme', value: 'dark' });
    await b.db.chats.put(chat('c2'));
    await b.db.messages.put(message('m3', 'c2'));
    await b.db.nodes.put(nodeOf(message('m3', 'c2')));
    await b.db.settings.put({ key: 'defaultSystem', value: 'Be brief.' });

    await syncAll(a, b);

    const sa = await snapshot(a.db);
    expect(sa.chats?.map((c) => (c as { id: string }).id)).toEqual(['c1', 'c2']);
    expect(sa.messages).toHaveLength(3);
    expect(sa.nodes).toHaveLength(3);
    expect(await snapshot(b.db)).toEqual(sa);
    expect(await a.db.syncOutbox.count()).toBe(0);
    expect(await b.db.syncOutbox.count()).toBe(0);
    expect(a.loop.status()).toMatchObject({ state: 'ok', pending: 0, error: null });
  });

  it('the server holds ciphertext only: ids and revisions readable, no titles or text', async () => {
    const a = await device('a');
    await a.db.chats.put(chat('c1', { title: 'Secret plans' }));
    await a.db.messages.put(message('m1', 'c1', { content: 'the password is swordfish' }));
    await a.loop.syncOnce();
    const raw = JSON.stringify(await serverDocs(env.server));
    expect(raw).toContain('chat:c1');
    expect(raw).toContain('msg:m1');
    expect(raw).not.toMatch(/Secret plans|swordfish/);
  });

  it('concurrent edits of one chat on both devices keep both (the push conflict merges and retries)', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    await syncAll(a, b);
    await a.db.chats.update('c1', { title: 'Renamed on A' });
    await b.db.chats.update('c1', { pinned: true, tags: ['work'] });
    await a.loop.syncOnce();
    const round = await b.loop.syncOnce();
    expect(round.push).toMatchObject({ pushed: 1, conflicts: 1 });
    await a.loop.syncOnce();
    for (const d of [a, b]) expect(await d.db.chats.get('c1')).toMatchObject({ title: 'Renamed on A', pinned: true, tags: ['work'] });
    expect((await serverDocs(env.server)).find((d) => d._id === 'chat:c1')?._conflicts).toBeUndefined();
  });

  it('a delete propagates and stays deleted after both sync again', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.bulkPut([chat('c1'), chat('c2')]);
    await a.db.messages.put(message('m1', 'c1'));
    await syncAll(a, b);
    expect(await b.db.chats.get('c1')).toBeDefined();
    await a.db.transaction('rw', a.db.chats, a.db.messages, a.db.nodes, async () => {
      await a.db.chats.delete('c1');
      await a.db.messages.delete('m1');
      await a.db.nodes.delete(['c1', 'm1']);
    });
    await syncAll(a, b);
    await syncAll(b, a);
    for (const d of [a, b]) {
      expect(await d.db.chats.get('c1')).toBeUndefined();
      expect(await d.db.messages.get('m1')).toBeUndefined();
      expect(await d.db.nodes.count()).toBe(0);
      expect(await d.db.chats.get('c2')).toBeDefined();
    }
  });

  it('a server failing mid-pull: the next round resumes from the checkpoint with no duplicates', async () => {
    const a = await device('a');
    await a.db.chats.bulkPut(Array.from({ length: 12 }, (_, i) => chat(`c${String(i).padStart(2, '0')}`)));
    await a.loop.syncOnce();
    const docsBefore = (await serverDocs(env.server)).length;

    const b = await device('b', { pullBatch: 5 });
    const changesSeen: string[] = [];
    // The second page of changes gets its connection cut.
    env.server.failNext(1, 0, (r) => {
      if (!r.path.includes('/_changes')) return false;
      changesSeen.push(r.path);
      return changesSeen.length === 2;
    });
    const err = await b.loop.syncOnce().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyncError);
    expect(b.loop.status()).toMatchObject({ state: 'error', errorKind: 'cors-or-offline' });
    expect(b.loop.status().error).toMatch(/Could not reach the sync server/);
    // The first page: the meta document (not a record) and 4 chats.
    expect(await b.db.chats.count()).toBe(4);
    const checkpoint = (await b.db.settings.get(SYNC_CHECKPOINT_KEY))?.value as { seq: unknown };

    const before = env.server.requests.length;
    const round = await b.loop.syncOnce();
    const resumed = env.server.requests.slice(before).filter((r) => r.path.includes('/_changes'));
    expect(resumed[0]?.path).toContain(`since=${String(checkpoint.seq)}`);
    expect(round.pull.pulled).toBe(8);
    expect(round.push.pushed).toBe(0);
    expect((await b.db.chats.toArray()).map((c) => c.id)).toEqual((await a.db.chats.toArray()).map((c) => c.id));
    expect(await serverDocs(env.server)).toHaveLength(docsBefore);
    expect(b.loop.status()).toMatchObject({ state: 'ok', error: null });
  });

  it('a wrong passphrase on the second device is an error in words, and writes nothing here or there', async () => {
    const a = await device('a');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    const b = await device('b', { passphrase: 'not the passphrase' });
    await b.db.chats.put(chat('local'));
    const before = { state: await b.db.syncState.toArray(), outbox: await b.db.syncOutbox.toArray(), settings: await b.db.settings.toArray() };
    const writesBefore = writes().length;

    await expect(b.loop.open()).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(b.loop.syncOnce()).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(b.loop.status()).toMatchObject({ state: 'error', errorKind: 'passphrase' });
    expect(b.loop.status().error).toMatch(/Wrong passphrase/);
    expect(writes().length).toBe(writesBefore);
    expect({ state: await b.db.syncState.toArray(), outbox: await b.db.syncOutbox.toArray(), settings: await b.db.settings.toArray() }).toEqual(before);
    expect(await b.db.chats.get('c1')).toBeUndefined();
  });

  it('CouchDB conflict revisions are merged, written on the winner, and the losers removed', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    const key = await a.loop.open();
    const base = (await serverDocs(env.server)).find((d) => d._id === 'chat:c1')!;
    // A renames (a normal push: revision 2-<hash>); another writer's revision 2-fff… of the same
    // parent arrives by replication with new_edits=false, pinning it.
    await a.db.chats.update('c1', { title: 'From A' });
    await a.loop.syncOnce();
    const v = (await localVersion(a.db, 'chat:c1', { includeKeys: false }))!.version;
    // Their edit: pinned, a minute later than anything here (so it wins whatever the device ids).
    const theirs = { ...v, fields: { ...v.fields, title: { ...v.fields.title!, v: 'From A' }, pinned: { h: formatHlc(Date.now() + 60_000, 0, 'other'), v: true } } };
    const sealed = await encryptVersion(key, theirs);
    const parent = String(base._rev);
    const res = await fetch(`${env.server.url}/parley/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ new_edits: false, docs: [{ ...sealed, _rev: '2-ffffffffffffffffffffffffffffffff', _revisions: { start: 2, ids: ['ffffffffffffffffffffffffffffffff', parent.slice(2)] } }] }),
    });
    expect(res.status).toBe(201);
    expect((await serverDocs(env.server)).find((d) => d._id === 'chat:c1')?._conflicts).toHaveLength(1);

    const round = await b.loop.syncOnce();
    expect(round.pull.resolved).toBe(1);
    const after = (await serverDocs(env.server)).find((d) => d._id === 'chat:c1')!;
    expect(after._conflicts).toBeUndefined();
    const merged = await decryptDoc(key, after as unknown as SyncDoc);
    expect(merged.fields.title?.v).toBe('From A');
    expect(merged.fields.pinned?.v).toBe(true);
    expect(await b.db.chats.get('c1')).toMatchObject({ title: 'From A', pinned: true });
    await a.loop.syncOnce();
    expect(await a.db.chats.get('c1')).toMatchObject({ title: 'From A', pinned: true });
  });

  it('a record edited while its push is in flight stays in the outbox and goes next round', async () => {
    let a: Device | undefined;
    let once = true;
    a = await device('a', {
      fetch: async (url, init) => {
        if (once && url.endsWith('/_bulk_docs') && String(init.body).includes('chat:c1')) {
          once = false;
          await a!.db.chats.update('c1', { title: 'Edited during the push' });
        }
        return fetch(url, init);
      },
    });
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    const first = await a.loop.syncOnce();
    expect(first.push.pushed).toBe(1);
    expect(await a.db.syncOutbox.get('chat:c1')).toBeDefined();
    await a.loop.syncOnce();
    expect(await a.db.syncOutbox.count()).toBe(0);
    await b.loop.syncOnce();
    expect(await b.db.chats.get('c1')).toMatchObject({ title: 'Edited during the push' });
  });

  it('holds back a message still streaming, and sends it once done', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    await a.db.messages.put(message('m1', 'c1', { role: 'assistant', status: 'streaming', content: 'Hal' }));
    const first = await a.loop.syncOnce();
    expect(first.push).toMatchObject({ pushed: 1, held: 1 });
    expect(await a.db.syncOutbox.get('msg:m1')).toBeDefined();
    await a.db.messages.update('m1', { status: 'done', content: 'Hello' });
    await a.loop.syncOnce();
    await b.loop.syncOnce();
    expect(await b.db.messages.get('m1')).toMatchObject({ status: 'done', content: 'Hello' });
  });

  it('checkpoints on the server (_local) and here; one new message later costs 3 requests', async () => {
    const a = await device('a');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    const local = (await a.db.settings.get(SYNC_CHECKPOINT_KEY))?.value as { seq: unknown };
    const remote = (await (await fetch(`${env.server.url}/parley/_local/parley-${a.deviceId}`)).json()) as { seq: unknown };
    expect(remote.seq).toEqual(local.seq);

    await a.db.messages.put(message('m1', 'c1'));
    const before = env.server.requests.length;
    await a.loop.syncOnce();
    expect(env.server.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'POST /parley/_bulk_docs',
      'GET /parley/_changes',
      `PUT /parley/_local/parley-${a.deviceId}`,
    ]);
  });

  it('a server that lost this device’s _local checkpoint (database emptied or replaced) is pulled from the start', async () => {
    const a = await device('a');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    const b = await device('b');
    await b.loop.syncOnce();
    const localUrl = `${env.server.url}/parley/_local/parley-${b.deviceId}`;
    const { _rev } = (await (await fetch(localUrl)).json()) as { _rev: string };
    expect((await fetch(`${localUrl}?rev=${_rev}`, { method: 'DELETE' })).status).toBe(200);
    // B's next start (a new loop, as after a reload) reads the checkpoints again.
    const loop = createSyncLoop({ db: b.db, couch: b.couch, passphrase: 'correct horse battery', deviceId: b.deviceId, includeKeys: false });
    const before = env.server.requests.length;
    await loop.syncOnce();
    expect(env.server.requests.slice(before).find((r) => r.path.includes('/_changes'))?.path).toContain('since=0');
    // And the old one, still running, keeps its place.
    const again = env.server.requests.length;
    await b.loop.syncOnce();
    expect(env.server.requests.slice(again).find((r) => r.path.includes('/_changes'))?.path).not.toContain('since=0');
  });

  it('with a kept key instead of the passphrase: syncs while the key fits, refuses once the database was set up again', async () => {
    const a = await device('a');
    await a.db.chats.put(chat('c1'));
    const key = await a.loop.open();
    const b = await device('b');
    const kept = createSyncLoop({ db: b.db, couch: b.couch, key, deviceId: b.deviceId, includeKeys: false });
    await a.loop.syncOnce();
    await kept.syncOnce();
    expect(await b.db.chats.get('c1')).toBeDefined();

    // Someone empties the database and sets it up again with another passphrase.
    await fetch(`${env.server.url}/parley`, { method: 'DELETE' });
    const c = await device('c', { passphrase: 'another one' });
    await c.loop.open();
    await b.db.chats.put(chat('c2'));
    const writesBefore = writes().length;
    const again = createSyncLoop({ db: b.db, couch: b.couch, key, deviceId: b.deviceId, includeKeys: false });
    await expect(again.syncOnce()).rejects.toBeInstanceOf(KeyMismatchError);
    expect(again.status()).toMatchObject({ state: 'error', errorKind: 'passphrase' });
    expect(again.status().error).toMatch(/set up again with another passphrase/);
    expect(writes().length).toBe(writesBefore);
    expect(await b.db.syncOutbox.get('chat:c2')).toBeDefined();

    // Live, the loop does not keep knocking: it ends on the first refusal, with the status saying why.
    let sleeps = 0;
    const live = createSyncLoop({ db: b.db, couch: b.couch, key, deviceId: b.deviceId, includeKeys: false, sleep: async () => void sleeps++ });
    const before = env.server.requests.length;
    live.startLive();
    await vi.waitFor(() => expect(live.status().errorKind).toBe('passphrase'));
    await live.stop();
    expect(sleeps).toBe(0);
    expect(env.server.requests.slice(before).filter((r) => decodeURIComponent(r.path).includes('parley:meta')).length).toBe(1);
  });
});
