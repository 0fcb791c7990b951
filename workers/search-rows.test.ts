import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { addMessages } from '../src/core/storage/message-rows';
import type { Message } from '../src/core/storage/schema';
import { MessageRows } from './search-rows';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-search-rows-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const msg = (id: string, content: string): Message => ({
  id, chatId: 'c', parentId: null, role: 'user', content, reasoning: '', refusal: '', model: '', connectionId: '', modelIdx: 0, status: 'done', error: null,
  finishReason: null, usage: null, metrics: null, attachments: [], createdAt: 1, updatedAt: 1,
});
const write = (ms: Message[]) => db.transaction('rw', db.messages, db.nodes, () => addMessages(db, ms));
const text = async (rows: MessageRows, ids: string[]) => [...(await rows.get(ids)).values()].map((r) => r.content);

describe('MessageRows', () => {
  it('keeps what it read until a report names the row', async () => {
    await write([msg('a', 'one'), msg('b', 'two')]);
    const rows = new MessageRows(db);
    expect(await text(rows, ['a', 'b', 'gone'])).toEqual(['one', 'two']);
    await db.messages.update('a', { content: 'ONE' });
    // No report yet: the kept row is what a query shows (the index is a report behind anyway).
    expect(await text(rows, ['a'])).toEqual(['one']);
    rows.forget(['a']);
    expect((await text(rows, ['a', 'b'])).sort()).toEqual(['ONE', 'two']);
    rows.clear();
    expect(rows.size).toBe(0);
  });

  it('does not keep a read that a report overtook', async () => {
    await write([msg('a', 'old')]);
    const rows = new MessageRows(db);
    const reading = rows.get(['a']);
    rows.forget(['a']); // the report arrives while the read is under way
    expect([...(await reading).values()].map((r) => r.content)).toEqual(['old']);
    expect(rows.size).toBe(0);
  });
});
