import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { nodeOf } from '../storage/message-node';
import { applyRemote, localVersion, markPushed } from './apply';
import { enqueueAll } from './enqueue-all';
import { markSyncApply } from './outbox';
import { chat, connection, message, prompt } from './test-records';
import type { Hlc, Version } from './types';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-apply-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

/** Stamps of another device, in 2128: later than anything stamped here today. */
const R1: Hlc = '5000000000000-0000-remote';
const R2: Hlc = '5000000000001-0000-remote';
/** A stamp older than anything stamped here. */
const OLD: Hlc = '0000000000001-0000-remote';

/** A field-wise version with every field at clock h. */
const fieldwise = (id: string, record: object, h: Hlc, del: Hlc | null = null): Version => ({
  id,
  fields: Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { h, v }])),
  del,
});
const whole = (id: string, record: object | null, h: Hlc, del: Hlc | null = null): Version => ({ id, fields: record ? { '*': { h, v: record } } : {}, del });
const outboxIds = async () => (await db.syncOutbox.toArray()).map((r) => r.id).sort();
const noKeys = { includeKeys: false };

describe('applyRemote', () => {
  it('stores a new remote chat and message (with its node), their clocks and revisions, and queues nothing', async () => {
    const m = message('m1', 'c1');
    const res = await applyRemote(db, [{ version: fieldwise('chat:c1', chat('c1'), R1), rev: '1-a' }, { version: whole('msg:m1', m, R1), rev: '1-b' }], noKeys);
    expect(res).toEqual({ applied: 2, skipped: [], needsPush: [] });
    expect(await db.chats.get('c1')).toEqual(chat('c1'));
    expect(await db.messages.get('m1')).toEqual(m);
    expect(await db.nodes.toArray()).toEqual([nodeOf(m)]);
    expect(await db.syncState.get('msg:m1')).toEqual({ id: 'msg:m1', clocks: { '*': R1 }, del: null, rev: '1-b' });
    expect((await db.syncState.get('chat:c1'))!.clocks.title).toBe(R1);
    expect(await outboxIds()).toEqual([]);
    // A local edit afterwards is stamped after the remote one, though the remote clock is ahead of the wall clock.
    await db.chats.update('c1', { title: 'mine' });
    expect((await db.syncState.get('chat:c1'))!.clocks.title! > R1).toBe(true);
    expect(await outboxIds()).toEqual(['chat:c1']);
  });

  it('merges field by field and queues the record when this device has newer fields', async () => {
    await db.chats.put(chat('c1'));
    await db.chats.update('c1', { title: 'edited here' });
    await db.syncOutbox.clear();
    // The server's version: title older than the local edit, pinned newer.
    const remote = fieldwise('chat:c1', chat('c1', { pinned: true, title: 'old title' }), OLD);
    remote.fields.pinned!.h = R1;
    const res = await applyRemote(db, [{ version: remote, rev: '2-x' }], noKeys);
    expect(res.needsPush).toEqual(['chat:c1']);
    expect(await db.chats.get('c1')).toMatchObject({ title: 'edited here', pinned: true });
    expect(await outboxIds()).toEqual(['chat:c1']);
    const local = await localVersion(db, 'chat:c1', noKeys);
    expect(local!.rev).toBe('2-x');
    expect(local!.version.fields.pinned).toEqual({ h: R1, v: true });
    expect(local!.version.fields.title!.v).toBe('edited here');
  });

  it('takes the record out of the outbox when the server has all of it', async () => {
    await db.chats.put(chat('c1'));
    expect(await outboxIds()).toEqual(['chat:c1']);
    const mine = (await localVersion(db, 'chat:c1', noKeys))!.version;
    const res = await applyRemote(db, [{ version: mine, rev: '1-echo' }], noKeys);
    expect(res).toEqual({ applied: 1, skipped: [], needsPush: [] });
    expect(await outboxIds()).toEqual([]);
    expect((await db.syncState.get('chat:c1'))!.rev).toBe('1-echo');
  });

  it('deletes on a newer tombstone (a message with its node and images), keeps a record edited after it', async () => {
    const m = message('m1', 'c1', { attachments: [{ id: 'img1', kind: 'image', mime: 'image/png', name: 'a.png', bytes: 3 }] });
    await db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
      await db.chats.bulkPut([chat('c1'), chat('c2')]);
      await db.messages.put(m);
      await db.nodes.put(nodeOf(m));
      await db.blobs.put({ id: 'img1', chatId: 'c1', messageId: 'm1', blob: new Blob(['abc']), mime: 'image/png' });
    });
    await db.syncOutbox.clear();
    const res = await applyRemote(
      db,
      [
        { version: whole('msg:m1', null, OLD, R1), rev: '3-m' },
        { version: { id: 'chat:c1', fields: {}, del: R1 }, rev: '3-c' },
        // Deleted on the other device before c2's creation here: c2 stays, and the server must hear of it.
        { version: { id: 'chat:c2', fields: {}, del: OLD }, rev: '3-d' },
      ],
      noKeys,
    );
    expect(res.needsPush).toEqual(['chat:c2']);
    expect(await db.messages.count()).toBe(0);
    expect(await db.nodes.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    expect((await db.chats.toArray()).map((c) => c.id)).toEqual(['c2']);
    expect(await db.syncState.get('msg:m1')).toEqual({ id: 'msg:m1', clocks: {}, del: R1, rev: '3-m' });
    expect((await db.syncState.get('chat:c1'))!.del).toBe(R1);
    expect(await outboxIds()).toEqual(['chat:c2']);
    // A remote edit newer than the delete brings the chat back.
    await applyRemote(db, [{ version: fieldwise('chat:c1', chat('c1', { title: 'back' }), R2, R1), rev: '4-c' }], noKeys);
    expect(await db.chats.get('c1')).toMatchObject({ title: 'back' });
  });

  it('skips, and never writes, invalid or unsynced remote records', async () => {
    const res = await applyRemote(
      db,
      [
        { version: fieldwise('chat:c1', { ...chat('c1'), title: 42 }, R1), rev: '1' },
        { version: whole('msg:m1', { ...message('m1', 'c1'), role: 'robot' }, R1), rev: '1' },
        { version: whole('msg:m2', message('other-id', 'c1'), R1), rev: '1' },
        { version: whole('setting:ollamaProbed', { key: 'ollamaProbed', value: true }, R1), rev: '1' },
        { version: fieldwise('conn:w1', connection('w1', { kind: 'webgpu' }), R1), rev: '1' },
        { version: fieldwise('nope:x', chat('x'), R1), rev: '1' },
        { version: whole('setting:theme', { key: 'theme', value: 'dark' }, R1), rev: '1' },
      ],
      noKeys,
    );
    expect(res.applied).toBe(1);
    expect(res.skipped.map((s) => s.id)).toEqual(['setting:ollamaProbed', 'nope:x', 'chat:c1', 'msg:m1', 'msg:m2', 'conn:w1']);
    expect(res.skipped[2]!.reason).toMatch(/invalid chat: title/);
    expect(await db.chats.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await db.connections.count()).toBe(0);
    expect(await db.settings.get('ollamaProbed')).toBeUndefined();
    expect(await db.settings.get('theme')).toEqual({ key: 'theme', value: 'dark' });
    expect((await db.syncState.toArray()).map((s) => s.id)).toEqual(['setting:theme']);
  });

  it('writes nothing of a batch when a write fails inside it', async () => {
    db.nodes.hook('creating', () => {
      throw new Error('disk full');
    });
    await db.syncOutbox.put({ id: 'chat:c1', at: 1 });
    const items = [
      { version: fieldwise('chat:c1', chat('c1'), R1), rev: '1' },
      { version: whole('msg:m1', message('m1', 'c1'), R1), rev: '1' },
    ];
    await expect(applyRemote(db, items, noKeys)).rejects.toThrow('disk full');
    expect(await db.chats.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await db.syncState.count()).toBe(0);
    expect(await outboxIds()).toEqual(['chat:c1']);
  });

  it("keeps a connection's local key and headers (credentials) unless keys sync", async () => {
    await db.connections.put(connection('o1', { key: 'sk-local', headers: { Authorization: 'Bearer local' } }));
    const remote = fieldwise('conn:o1', connection('o1', { key: 'sk-remote', name: 'Renamed', headers: { 'x-api-key': 'remote' } }), R1);
    await applyRemote(db, [{ version: remote, rev: '1' }], noKeys);
    expect(await db.connections.get('o1')).toMatchObject({ key: 'sk-local', name: 'Renamed', headers: { Authorization: 'Bearer local' } });
    // This device's version leaves the key and headers out, and their clocks stay local.
    const mine = (await localVersion(db, 'conn:o1', noKeys))!.version;
    expect(mine.fields.key).toBeUndefined();
    expect(mine.fields.headers).toBeUndefined();
    expect((await db.syncState.get('conn:o1'))!.clocks.key).toBeDefined();
    await applyRemote(db, [{ version: fieldwise('conn:o1', connection('o1', { key: 'sk-remote' }), R2), rev: '2' }], { includeKeys: true });
    expect((await db.connections.get('o1'))!.key).toBe('sk-remote');
    expect((await localVersion(db, 'conn:o1', { includeKeys: true }))!.version.fields.key).toEqual({ h: R2, v: 'sk-remote' });
  });

  it('skips a remote prompt whose command another prompt here holds, and applies the rest', async () => {
    await db.prompts.put(prompt('p1', 'sum'));
    const res = await applyRemote(
      db,
      [
        { version: fieldwise('prompt:p2', prompt('p2', 'sum'), R1), rev: '1' },
        { version: fieldwise('prompt:p3', prompt('p3', 'other'), R1), rev: '1' },
      ],
      noKeys,
    );
    expect(res.skipped).toEqual([{ id: 'prompt:p2', reason: 'the command /sum is used by another prompt here' }]);
    expect((await db.prompts.toArray()).map((p) => p.id).sort()).toEqual(['p1', 'p3']);
  });

  it('merges two versions of one document in a batch', async () => {
    const a = fieldwise('chat:c1', chat('c1', { title: 'a' }), R1);
    const b = fieldwise('chat:c1', chat('c1', { title: 'b' }), R2);
    const res = await applyRemote(db, [{ version: b, rev: '2' }, { version: a, rev: '1-conflict' }], noKeys);
    expect(res.applied).toBe(1);
    expect((await db.chats.get('c1'))!.title).toBe('b');
  });
});

describe('markPushed', () => {
  it('stores the revision and empties the outbox, unless the record changed since it was read', async () => {
    await db.chats.bulkPut([chat('c1'), chat('c2')]);
    const [v1, v2] = [(await localVersion(db, 'chat:c1', noKeys))!.version, (await localVersion(db, 'chat:c2', noKeys))!.version];
    await db.chats.update('c2', { title: 'changed while pushing' });
    await markPushed(db, [{ version: v1, rev: '1-a' }, { version: v2, rev: '1-b' }], noKeys);
    expect(await outboxIds()).toEqual(['chat:c2']);
    expect((await db.syncState.get('chat:c1'))!.rev).toBe('1-a');
    expect((await db.syncState.get('chat:c2'))!.rev).toBe('1-b');
  });
});

describe('enqueueAll', () => {
  it('queues every synced record and tombstone (not unsynced ones), and can forget the server revisions', async () => {
    // Written before the outbox existed, as far as sync knows: rows without bookkeeping.
    await db.transaction('rw', [db.chats, db.messages, db.settings, db.connections], async (tx) => {
      markSyncApply(tx);
      await db.chats.put(chat('c1'));
      await db.messages.put(message('m1', 'c1'));
      await db.settings.bulkPut([{ key: 'theme', value: 'dark' }, { key: 'ollamaProbed', value: true }]);
      await db.connections.bulkPut([connection('o1'), connection('w1', { kind: 'webgpu' })]);
    });
    await db.syncState.put({ id: 'chat:gone', clocks: {}, del: R1, rev: '2-z' });
    expect(await outboxIds()).toEqual([]);
    expect(await enqueueAll(db, { resetRevs: true })).toBe(5);
    expect(await outboxIds()).toEqual(['chat:c1', 'chat:gone', 'conn:o1', 'msg:m1', 'setting:theme']);
    expect((await db.syncState.get('chat:gone'))!.rev).toBeNull();
  });
});
