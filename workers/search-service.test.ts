import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { deleteChat, sendTurn } from '../src/core/storage/chats';
import { addTag, deleteChats, renameChat, restoreChats, setArchived } from '../src/core/storage/library-ops';
import { addMessages, deleteMessages } from '../src/core/storage/message-rows';
import type { Chat, Message } from '../src/core/storage/schema';
import { createSearchService, type SearchService } from './search-service';

let db: ParleyDb;
let svc: SearchService | null = null;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-search-${n++}`);
  await db.open();
});
afterEach(async () => {
  svc?.close();
  svc = null;
  await db.delete();
});

const chatRow = (id: string, title: string, updatedAt: number): Chat => ({
  id, title, createdAt: updatedAt, updatedAt, pinned: false, archived: false, folderId: null, tags: [], currentId: null, models: [], system: '', params: {},
});
const msg = (id: string, chatId: string, content: string, status: Message['status'] = 'done'): Message => ({
  id, chatId, parentId: null, role: 'assistant', content, reasoning: '', refusal: '', model: '', connectionId: '', modelIdx: 0, status, error: null,
  finishReason: null, usage: null, metrics: null, attachments: [], createdAt: 1, updatedAt: 1,
});
async function writeChat(c: Chat, ms: Message[]) {
  await db.transaction('rw', db.chats, db.messages, db.nodes, async () => {
    await db.chats.put(c);
    await addMessages(db, ms);
  });
}
const found = async (q: string) => (await svc!.search(q, 20)).chats.map((c) => [c.chatId, c.messages.map((m) => m.messageId)]);

describe('search service', () => {
  it('builds from what is stored, in pages, and finds words only in message text with snippets', async () => {
    for (let i = 0; i < 30; i++) await writeChat(chatRow(`c${i}`, `Chat ${i}`, i), [msg(`m${i}a`, `c${i}`, `filler words ${i}`), msg(`m${i}b`, `c${i}`, i === 7 ? 'the Zanzibar spice trade' : 'nothing')]);
    const progress: number[] = [];
    svc = createSearchService(db);
    await svc.watch((s) => progress.push(s.indexed));
    await svc.ready();
    expect((await svc.status())).toEqual({ ready: true, indexed: 60, total: 60 });
    const a = await svc.search('zanzi', 20);
    expect(a.chats.map((c) => [c.chatId, c.title.ranges, c.messages[0]?.messageId])).toEqual([['c7', [], 'm7b']]);
    const s = a.chats[0]!.messages[0]!.snippet;
    expect(s.ranges.map(([x, y]) => s.text.slice(x, y))).toEqual(['Zanzibar']);
    expect(progress.at(-1)).toBe(60);
  });

  it('follows new chats, finished answers, renames and deletions after the build', async () => {
    svc = createSearchService(db);
    await svc.ready();
    const t = await sendTurn(db, { chatId: null, content: 'Tell me about marmalade', model: 'm', connectionId: 'c', now: 1000 });
    await svc.settle();
    expect(await found('marmalade')).toEqual([[t.chatId, [t.userId]]]);
    // The answer streams: not indexed until it ends.
    await db.messages.update(t.assistantId, { content: 'Seville oranges half way' });
    await svc.settle();
    expect(await found('seville')).toEqual([]);
    await db.messages.update(t.assistantId, { content: 'Seville oranges are bitter', status: 'done' });
    await svc.settle();
    expect(await found('bitter')).toEqual([[t.chatId, [t.assistantId]]]);
    await renameChat(db, t.chatId, 'Breakfast jams');
    await svc.settle();
    expect((await svc.search('jams', 20)).chats.map((c) => c.titleMatch)).toEqual([true]);
    await deleteChat(db, t.chatId);
    await svc.settle();
    expect(await found('bitter')).toEqual([]);
    expect(await found('jams')).toEqual([]);
  });

  it('catches chats written without a change report, even with an old updatedAt (imports)', async () => {
    svc = createSearchService(db);
    await svc.ready();
    // Written by plain IndexedDB, as another program or an old tab would: no Dexie report.
    const raw = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open(db.name);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const tx = raw.transaction(['chats', 'messages'], 'readwrite');
    tx.objectStore('chats').put(chatRow('old', 'Imported from 2019', 5));
    tx.objectStore('messages').put(msg('old-1', 'old', 'a quokka selfie'));
    await new Promise((ok) => (tx.oncomplete = ok));
    raw.close();
    expect(await found('quokka')).toEqual([]);
    await svc.settle();
    expect(await found('quokka')).toEqual([['old', ['old-1']]]);
  });

  it('drops hits whose rows are gone before the report arrives', async () => {
    await writeChat(chatRow('c', 'Gone soon', 1), [msg('m', 'c', 'ephemeral text')]);
    svc = createSearchService(db);
    await svc.ready();
    svc.close(); // no more reports: the row check alone must hide it
    await db.transaction('rw', db.messages, db.nodes, () => db.messages.delete('m'));
    const a = await svc.search('ephemeral', 20);
    expect(a.chats).toEqual([]);
    expect(a.totalMessages).toBe(0);
  });
  it('follows delete with undo, archiving, tags and one message deleted', async () => {
    await writeChat(chatRow('c', 'Garden', 1), [msg('m1', 'c', 'tomato seedlings'), msg('m2', 'c', 'tomato blight')]);
    svc = createSearchService(db);
    await svc.ready();
    const undo = await deleteChats(db, ['c']);
    await svc.settle();
    expect(await found('tomato')).toEqual([]);
    // Gone from the index itself, not only hidden by the row check at query time.
    expect((await svc.memory()).messages).toBe(0);
    await restoreChats(db, undo); // rows come back with their old updatedAt
    await svc.settle();
    expect(await found('tomato')).toEqual([['c', ['m1', 'm2']]]);
    await setArchived(db, ['c'], true);
    await addTag(db, ['c'], 'Plants');
    await svc.settle();
    const a = await svc.search('tag:plants blight', 20);
    expect(a.chats.map((c) => [c.chatId, c.archived, c.messages.map((m) => m.messageId)])).toEqual([['c', true, ['m2']]]);
    await db.transaction('rw', db.messages, db.nodes, () => deleteMessages(db, 'c', ['m2']));
    await svc.settle();
    expect(await found('tomato')).toEqual([['c', ['m1']]]);
    expect((await svc.memory()).messages).toBe(1);
  });

  it('a table cleared (a range, not keys) empties the results', async () => {
    await writeChat(chatRow('c', 'Kept title', 1), [msg('m', 'c', 'saffron risotto')]);
    svc = createSearchService(db);
    await svc.ready();
    await db.transaction('rw', db.messages, db.nodes, async () => {
      await db.messages.clear();
      await db.nodes.clear();
    });
    await svc.settle();
    expect(await found('saffron')).toEqual([]);
    expect((await svc.memory()).messages).toBe(0);
    expect(await found('kept')).toEqual([['c', []]]);
  });
  it('shows an edited message as it is now, not as an earlier answer read it', async () => {
    await writeChat(chatRow('c', 'Notes', 1), [msg('m', 'c', 'tomato seedlings')]);
    svc = createSearchService(db);
    await svc.ready();
    const snippet = async () => (await svc!.search('tomato', 20)).chats[0]?.messages[0]?.snippet.text;
    expect(await snippet()).toBe('tomato seedlings');
    await db.messages.update('m', { content: 'tomato plants, staked' });
    await svc.settle();
    expect(await snippet()).toBe('tomato plants, staked');
  });
});
