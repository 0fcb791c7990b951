import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { nodeOf } from '../storage/message-node';
import { DEVICE_ROW_ID, ensureDeviceId, markSyncApply, outboxMiddleware, type DeviceRow } from './outbox';
import { chat, connection, message } from './test-records';
import type { SyncStateRow } from './types';

let db: ParleyDb;
let n = 0;
let name = '';
beforeEach(async () => {
  name = `test-outbox-${n++}`;
  db = openDb(name);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const outboxIds = async (d: ParleyDb = db) => (await d.syncOutbox.toArray()).map((r) => r.id).sort();
const state = async (id: string, d: ParleyDb = db): Promise<SyncStateRow> => {
  const s = await d.syncState.get(id);
  if (!s) throw new Error(`no syncState for ${id}`);
  return s;
};
/** The outbox emptied, as a push leaves it, so the next write shows alone. */
const pushed = () => db.syncOutbox.clear();

describe('the outbox middleware', () => {
  it('records a new chat with every field stamped at once, then only the field an update changed', async () => {
    await db.chats.put(chat('c1'));
    expect(await outboxIds()).toEqual(['chat:c1']);
    const first = await state('chat:c1');
    expect(Object.keys(first.clocks).sort()).toEqual(Object.keys(chat('c1')).sort());
    expect(new Set(Object.values(first.clocks)).size).toBe(1);
    expect(first.del).toBeNull();
    expect(first.rev).toBeNull();

    await pushed();
    await db.chats.update('c1', { title: 'Renamed' });
    expect(await outboxIds()).toEqual(['chat:c1']);
    const second = await state('chat:c1');
    expect(second.clocks.title! > first.clocks.title!).toBe(true);
    expect({ ...second.clocks, title: undefined }).toEqual({ ...first.clocks, title: undefined });
  });

  it('records nothing for a write that changes nothing (same values, other key order)', async () => {
    await db.chats.put(chat('c1', { tags: ['a'] }));
    const before = await state('chat:c1');
    await pushed();
    const { tags, ...rest } = chat('c1', { tags: ['a'] });
    await db.chats.put({ tags, ...rest });
    await db.chats.update('c1', { title: 'Chat c1' });
    await db.messages.put(message('m1', 'c1'));
    await pushed();
    await db.messages.put({ ...message('m1', 'c1') });
    expect(await outboxIds()).toEqual([]);
    expect(await state('chat:c1')).toEqual(before);
  });

  it('stamps a message as one whole field, for each row of a bulkPut', async () => {
    await db.messages.bulkPut([message('m1', 'c1'), message('m2', 'c1')]);
    expect(await outboxIds()).toEqual(['msg:m1', 'msg:m2']);
    const m1 = await state('msg:m1');
    expect(Object.keys(m1.clocks)).toEqual(['*']);
    await pushed();
    await db.messages.update('m2', { content: 'streamed more' });
    expect(await outboxIds()).toEqual(['msg:m2']);
    expect((await state('msg:m2')).clocks['*']! > m1.clocks['*']!).toBe(true);
  });

  it('records a delete as a tombstone: whole kinds drop their clocks, others keep them', async () => {
    await db.chats.put(chat('c1'));
    await db.messages.put(message('m1', 'c1'));
    const chatBefore = await state('chat:c1');
    await pushed();
    await db.chats.delete('c1');
    await db.messages.delete('m1');
    await db.messages.delete('never-there');
    expect(await outboxIds()).toEqual(['chat:c1', 'msg:m1']);
    const c = await state('chat:c1');
    expect(c.clocks).toEqual(chatBefore.clocks);
    expect(c.del! > chatBefore.clocks.title!).toBe(true);
    const m = await state('msg:m1');
    expect(m.clocks).toEqual({});
    expect(m.del).not.toBeNull();
  });

  it('records where().delete(), modify() and clear()', async () => {
    await db.messages.bulkPut([message('m1', 'c1'), message('m2', 'c1'), message('m3', 'c2')]);
    await db.chats.bulkPut([chat('c1'), chat('c2'), chat('c3', { archived: true })]);
    await pushed();
    await db.messages.where('chatId').equals('c1').delete();
    expect(await outboxIds()).toEqual(['msg:m1', 'msg:m2']);
    expect((await state('msg:m1')).del).not.toBeNull();

    await pushed();
    const before = await state('chat:c2');
    await db.chats.where('id').anyOf(['c1', 'c2']).modify({ pinned: true });
    await db.chats.where('id').anyOf(['c1', 'c2']).modify({ pinned: true }); // already pinned: no change
    await db.chats.toCollection().modify((c) => {
      if (c.id === 'c1') c.title = 'One';
    });
    expect(await outboxIds()).toEqual(['chat:c1', 'chat:c2']);
    const after = await state('chat:c2');
    expect(Object.keys(after.clocks).filter((k) => after.clocks[k] !== before.clocks[k])).toEqual(['pinned']);
    const c1 = await state('chat:c1');
    expect(c1.clocks.title! > c1.clocks.pinned!).toBe(true);

    await pushed();
    await db.messages.clear(); // a deleteRange
    expect(await outboxIds()).toEqual(['msg:m3']);
    expect((await state('msg:m3')).del).not.toBeNull();
  });

  it('records every synced table of a transaction across tables, and nothing of the others', async () => {
    const m = message('m1', 'c1');
    await db.transaction('rw', [db.chats, db.messages, db.nodes, db.knowledge], async () => {
      await db.chats.put(chat('c1', { currentId: 'm1' }));
      await db.messages.add(m);
      await db.nodes.put(nodeOf(m));
      await db.knowledge.put({ id: 'k1', name: 'K', createdAt: 1, updatedAt: 1 } as never);
    });
    expect(await outboxIds()).toEqual(['chat:c1', 'msg:m1']);
    expect(await db.syncState.count()).toBe(3); // and the device row
  });

  it('keeps the Dexie transaction zone for the hooks below it', async () => {
    const seen: string[] = [];
    db.chats.hook('creating', (key) => void seen.push(String(key)));
    db.chats.hook('updating', () => void seen.push('updated'));
    await db.chats.put(chat('c1'));
    await db.chats.update('c1', { title: 'x' });
    expect(seen).toEqual(['c1', 'updated']);
    expect(await outboxIds()).toEqual(['chat:c1']);
  });

  it('leaves no trace of a transaction that aborts', async () => {
    await expect(
      db.transaction('rw', db.chats, async () => {
        await db.chats.put(chat('c1'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await outboxIds()).toEqual([]);
    expect(await db.syncState.count()).toBe(0);
  });

  it('records only the rows of a bulkAdd that were added', async () => {
    await db.messages.add(message('m1', 'c1'));
    await pushed();
    await db.transaction('rw', db.messages, async () => {
      await db.messages.bulkAdd([message('m1', 'c1', { content: 'dup' }), message('m2', 'c1')]).catch(() => undefined);
    });
    expect(await outboxIds()).toEqual(['msg:m2']);
  });

  it('syncs only allowlisted settings and never the In-browser connection', async () => {
    await db.settings.bulkPut([
      { key: 'theme', value: 'dark' },
      { key: 'rag.topK', value: 7 },
      { key: 'ollamaProbed', value: true },
      { key: 'sidebarPinnedHint', value: [] },
      { key: 'sync.status', value: {} },
    ]);
    await db.connections.bulkPut([connection('o1'), connection('w1', { kind: 'webgpu' })]);
    expect(await outboxIds()).toEqual(['conn:o1', 'setting:rag.topK', 'setting:theme']);
    expect(Object.keys((await state('setting:theme')).clocks)).toEqual(['*']);
    await pushed();
    await db.settings.clear();
    await db.connections.clear();
    expect(await outboxIds()).toEqual(['conn:o1', 'setting:rag.topK', 'setting:theme']);
    expect(await db.syncState.get('conn:w1')).toBeUndefined();
  });

  it('keeps one device id in syncState (not in settings, which backups export), written by the first recorded write', async () => {
    await db.chats.put(chat('c1'));
    const row = (await db.syncState.get(DEVICE_ROW_ID)) as DeviceRow | undefined;
    expect(row?.device).toMatch(/^[0-9a-z]{12}$/);
    expect((await state('chat:c1')).clocks.title!.endsWith(`-${row!.device}`)).toBe(true);
    expect(await ensureDeviceId(db)).toBe(row!.device);
    expect(await db.settings.count()).toBe(0);
    expect(await outboxIds()).toEqual(['chat:c1']);
    // A fresh database asked first gets one that later writes use.
    const other = openDb(`${name}-fresh`);
    const device = await ensureDeviceId(other);
    await other.chats.put(chat('c2'));
    expect((await other.syncState.get('chat:c2'))!.clocks.title!.endsWith(`-${device}`)).toBe(true);
    await other.delete();
  });

  it('records nothing of a transaction marked as sync apply', async () => {
    await db.transaction('rw', [db.chats, db.messages], async (tx) => {
      markSyncApply(tx);
      await db.chats.put(chat('c1'));
      await db.messages.bulkPut([message('m1', 'c1')]);
      await db.transaction('rw', db.chats, () => db.chats.update('c1', { title: 'nested' }));
    });
    expect(await db.chats.get('c1')).toMatchObject({ title: 'nested' });
    expect(await outboxIds()).toEqual([]);
    expect(await db.syncState.count()).toBe(0);
    await db.chats.update('c1', { title: 'after' });
    expect(await outboxIds()).toEqual(['chat:c1']);
  });

  it('stamps later than another context did, even when this context\'s wall clock is behind', async () => {
    // A second context on the same database (another tab or worker) whose clock reads 1970.
    const other = openDb(name);
    other.unuse({ stack: 'dbcore', name: 'SyncOutbox' });
    other.use(outboxMiddleware({ now: () => 1000 }));
    await db.chats.put(chat('c1'));
    const a = await state('chat:c1');
    await other.chats.update('c1', { title: 'from the other context' });
    const b = await state('chat:c1', other);
    expect(b.clocks.title! > a.clocks.title!).toBe(true);
    await db.chats.update('c1', { title: 'back here' });
    const c = await state('chat:c1');
    expect(c.clocks.title! > b.clocks.title!).toBe(true);
    // Same device id in both contexts: one browser is one device.
    expect(c.clocks.title!.slice(19)).toBe(b.clocks.title!.slice(19));
    other.close();
  });
});

describe('schema version 9', () => {
  it('upgrades a version 8 database keeping every table and its rows', async () => {
    const old = `test-outbox-v8-${n++}`;
    // Version 8's schema, as db.ts declared it (a fresh database is made at that version directly).
    const v8 = new Dexie(old);
    v8.version(8).stores({
      connections: 'id, kind, createdAt',
      chats: 'id, updatedAt, pinned, archived, folderId, *tags',
      messages: 'id, chatId, [chatId+createdAt], parentId, status',
      settings: 'key',
      modelCache: 'connectionId',
      prompts: 'id, &command, updatedAt',
      blobs: 'id, chatId, messageId',
      nodes: '[chatId+id]',
      folders: 'id, parentId, updatedAt',
      knowledge: 'id, updatedAt',
      documents: 'id, knowledgeId, chatId, status, [knowledgeId+sha256]',
      sources: 'documentId',
      chunks: 'id, knowledgeId, [documentId+index]',
      vectors: '[knowledgeId+embedderId+documentId+first], documentId',
      bm25: 'knowledgeId',
    });
    await v8.open();
    const tables = v8.tables.map((t) => t.name).sort();
    const m = message('m1', 'c1');
    await v8.table('chats').put(chat('c1'));
    await v8.table('messages').put(m);
    await v8.table('nodes').put(nodeOf(m));
    await v8.table('settings').put({ key: 'theme', value: 'dark' });
    await v8.table('vectors').put({ knowledgeId: 'k', embedderId: 'e', documentId: 'd', first: 0, data: [1] });
    await v8.table('bm25').put({ knowledgeId: 'k', data: 'x' });
    v8.close();

    const up = openDb(old);
    await up.open();
    expect(up.verno).toBe(9);
    expect(up.tables.map((t) => t.name).sort()).toEqual([...tables, 'syncOutbox', 'syncState'].sort());
    expect(await up.chats.get('c1')).toEqual(chat('c1'));
    expect(await up.messages.get('m1')).toEqual(m);
    expect(await up.nodes.toArray()).toEqual([nodeOf(m)]);
    expect(await up.settings.get('theme')).toEqual({ key: 'theme', value: 'dark' });
    expect(await up.vectors.count()).toBe(1);
    expect(await up.bm25.count()).toBe(1);
    // Upgrading records nothing; the first edit does.
    expect(await up.syncOutbox.count()).toBe(0);
    await up.chats.update('c1', { pinned: true });
    expect((await up.syncOutbox.toArray()).map((r) => r.id)).toEqual(['chat:c1']);
    await up.delete();
  });
});
