import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { emptyMessage, readBranch, sendTurn } from './chats';
import { addMessages, chatNodes, deleteChatMessages, deleteMessages, repairNodes } from './message-rows';
import { nodeOf, type Message } from './schema';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-message-rows-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const msg = (id: string, parentId: string | null, at: number, chatId = 'c1'): Message => ({ ...emptyMessage(chatId, parentId, at % 2 ? 'assistant' : 'user', at), id, content: `text ${id}` });
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe('message rows and their nodes', () => {
  it('adds and deletes both together, and lists a chat oldest first', async () => {
    await db.transaction('rw', db.messages, db.nodes, () => addMessages(db, [msg('b', 'a', 2), msg('a', null, 1), msg('x', null, 1, 'c2')]));
    expect(await chatNodes(db, 'c1')).toEqual([nodeOf(msg('a', null, 1)), nodeOf(msg('b', 'a', 2))]);
    await db.transaction('rw', db.messages, db.nodes, () => deleteMessages(db, 'c1', ['b']));
    expect(ids(await chatNodes(db, 'c1'))).toEqual(['a']);
    expect(await db.messages.get('b')).toBeUndefined();
    await db.transaction('rw', db.messages, db.nodes, () => deleteChatMessages(db, 'c1'));
    expect(await chatNodes(db, 'c1')).toEqual([]);
    expect(await db.messages.where('chatId').equals('c1').count()).toBe(0);
    expect(ids(await chatNodes(db, 'c2'))).toEqual(['x']);
  });

  it('writes nothing of a batch that fails half way', async () => {
    await db.transaction('rw', db.messages, db.nodes, () => addMessages(db, [msg('a', null, 1)]));
    // 'a' exists: bulkAdd of the messages fails, so neither table may keep 'b'.
    await expect(db.transaction('rw', db.messages, db.nodes, () => addMessages(db, [msg('b', 'a', 2), msg('a', null, 1)]))).rejects.toThrow();
    expect(ids(await chatNodes(db, 'c1'))).toEqual(['a']);
    expect(await db.messages.count()).toBe(1);
  });

  it('reads a branch from the nodes and loads only the rows on it', async () => {
    const t1 = await sendTurn(db, { chatId: null, content: 'Q1', model: 'm', connectionId: 'c', now: 1000 });
    const t2 = await sendTurn(db, { chatId: t1.chatId, content: 'Q2', model: 'm', connectionId: 'c', now: 2000 });
    const branch = await readBranch(db, t1.chatId, t2.userId);
    expect(branch.map((m) => m.content)).toEqual(['Q1', '', 'Q2']);
    expect(branch.map((m) => m.id)).toEqual([t1.userId, t1.assistantId, t2.userId]);
    expect(await readBranch(db, t1.chatId, null)).toEqual([]);
  });
});

describe('repairNodes', () => {
  it('leaves a chat whose nodes agree alone', async () => {
    await db.transaction('rw', db.messages, db.nodes, () => addMessages(db, [msg('a', null, 1), msg('b', 'a', 2)]));
    expect(await repairNodes(db, 'c1')).toBe(false);
  });

  it('rebuilds the nodes of a chat written without them, and drops nodes of missing rows', async () => {
    await db.messages.bulkAdd([msg('a', null, 1), msg('b', 'a', 2)]);
    await db.nodes.add(nodeOf(msg('gone', 'a', 3)));
    expect(await repairNodes(db, 'c1')).toBe(true);
    expect(await chatNodes(db, 'c1')).toEqual([nodeOf(msg('a', null, 1)), nodeOf(msg('b', 'a', 2))]);
    expect(await repairNodes(db, 'c1')).toBe(false);
  });

  it('notices the same count with different ids', async () => {
    await db.messages.bulkAdd([msg('a', null, 1)]);
    await db.nodes.add(nodeOf(msg('z', null, 1)));
    expect(await repairNodes(db, 'c1')).toBe(true);
    expect(ids(await chatNodes(db, 'c1'))).toEqual(['a']);
  });
});

describe('upgrade to version 5', () => {
  it('gives every stored message its node, across more than one page of rows', async () => {
    const name = 'nodes-upgrade';
    const v4 = new Dexie(name);
    v4.version(1).stores({ connections: 'id, kind, createdAt', chats: 'id, updatedAt, pinned, archived, folderId', messages: 'id, chatId, [chatId+createdAt], parentId, status', settings: 'key' });
    v4.version(2).stores({ modelCache: 'connectionId' });
    v4.version(3).stores({ prompts: 'id, &command, updatedAt' });
    v4.version(4).stores({ blobs: 'id, chatId, messageId' });
    const rows = Array.from({ length: 2500 }, (_, i) => msg(`m${String(i).padStart(5, '0')}`, i ? `m${String(i - 1).padStart(5, '0')}` : null, i, `c${i % 3}`));
    // A row from before model fields existed.
    const { model: _m, connectionId: _c, modelIdx: _i, ...old } = msg('old', null, 9999, 'c0');
    await v4.table('messages').bulkPut([...rows, old]);
    v4.close();
    const up = openDb(name);
    expect(await up.nodes.count()).toBe(2501);
    expect(await up.nodes.get(['c1', 'm01234'])).toEqual(nodeOf(rows[1234]!));
    expect(await up.nodes.get(['c0', 'old'])).toMatchObject({ model: '', connectionId: '', modelIdx: 0, parentId: null });
    expect((await chatNodes(up, 'c1')).length).toBe(833);
    await up.delete();
  });
});
