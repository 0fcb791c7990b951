import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { branchFrom, deleteChat, emptyMessage, interruptOrphans, loadBranch, sendTurn, titleFromText } from './chats';
import type { Message } from './schema';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-chats-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('sendTurn', () => {
  it('with more models, writes one streaming answer per model slot under the same question', async () => {
    const t = await sendTurn(db, { chatId: null, content: 'Compare', model: 'm1', connectionId: 'c1', now: 1000, also: [{ model: 'm2', connectionId: 'c2' }] });
    const answers = await db.messages.bulkGet(t.assistantIds);
    expect(answers.map((a) => [a?.model, a?.connectionId, a?.modelIdx, a?.parentId, a?.status])).toEqual([
      ['m1', 'c1', 0, t.userId, 'streaming'],
      ['m2', 'c2', 1, t.userId, 'streaming'],
    ]);
    const chat = await db.chats.get(t.chatId);
    expect(chat).toMatchObject({ currentId: t.assistantId, models: ['m1', 'm2'] });
    expect(t.assistantIds[0]).toBe(t.assistantId);
  });

  it('creates a chat with the user message and a streaming assistant message, in order', async () => {
    const t = await sendTurn(db, { chatId: null, content: 'Hello there\nsecond line', model: 'm1', connectionId: 'c1', now: 1000 });
    const chat = await db.chats.get(t.chatId);
    expect(chat?.title).toBe('Hello there');
    expect(chat?.currentId).toBe(t.assistantId);
    const branch = await loadBranch(db, t.chatId);
    expect(branch.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'done', 'Hello there\nsecond line'],
      ['assistant', 'streaming', ''],
    ]);
    expect(branch[1]!.parentId).toBe(t.userId);
    expect(branch[1]!.model).toBe('m1');
  });

  it('appends to an existing chat under its current leaf', async () => {
    const a = await sendTurn(db, { chatId: null, content: 'one', model: 'm', connectionId: 'c', now: 1 });
    const b = await sendTurn(db, { chatId: a.chatId, content: 'two', model: 'm', connectionId: 'c', now: 5 });
    const branch = await loadBranch(db, a.chatId);
    expect(branch.map((m) => m.content)).toEqual(['one', '', 'two', '']);
    expect((await db.messages.get(b.userId))?.parentId).toBe(a.assistantId);
    expect((await db.chats.get(a.chatId))?.updatedAt).toBe(5);
  });

  it('gives a new chat the system prompt and params set before it existed', async () => {
    const t = await sendTurn(db, {
      chatId: null, content: 'hi', model: 'm', connectionId: 'c', now: 1,
      system: 'Be brief.', params: { temperature: 0.3, stop: ['END'], keep_alive: '5m' },
    });
    const chat = await db.chats.get(t.chatId);
    expect(chat?.system).toBe('Be brief.');
    expect(chat?.params).toEqual({ temperature: 0.3, stop: ['END'], keep_alive: '5m' });
    // Without them a new chat starts empty.
    const plain = await db.chats.get((await sendTurn(db, { chatId: null, content: 'x', model: 'm', connectionId: 'c', now: 2 })).chatId);
    expect([plain?.system, plain?.params]).toEqual(['', {}]);
  });

  it('leaves an existing chat’s system prompt and params alone', async () => {
    const a = await sendTurn(db, { chatId: null, content: 'one', model: 'm', connectionId: 'c', now: 1, system: 'S', params: { seed: 1 } });
    await sendTurn(db, { chatId: a.chatId, content: 'two', model: 'm', connectionId: 'c', now: 2, system: 'other', params: { seed: 2 } });
    const chat = await db.chats.get(a.chatId);
    expect([chat?.system, chat?.params]).toEqual(['S', { seed: 1 }]);
  });

  it('writes nothing when the chat is gone', async () => {
    await expect(sendTurn(db, { chatId: 'nope', content: 'x', model: 'm', connectionId: 'c', now: 1 })).rejects.toThrow();
    expect(await db.messages.count()).toBe(0);
  });
});

describe('branchFrom', () => {
  it('walks parents to the root and survives a cycle or a missing parent', () => {
    const a: Message = { ...emptyMessage('c', null, 'user', 1), id: 'a' };
    const b: Message = { ...emptyMessage('c', 'a', 'assistant', 2), id: 'b' };
    const c: Message = { ...emptyMessage('c', 'b', 'user', 3), id: 'c' };
    expect(branchFrom(new Map([a, b, c].map((m) => [m.id, m])), 'c').map((m) => m.id)).toEqual(['a', 'b', 'c']);
    const loopA = { ...a, parentId: 'c' };
    expect(branchFrom(new Map([loopA, b, c].map((m) => [m.id, m])), 'c').map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(branchFrom(new Map([b, c].map((m) => [m.id, m])), 'c').map((m) => m.id)).toEqual(['b', 'c']);
  });
});

describe('deleteChat', () => {
  it('removes the chat and all its messages, and only those', async () => {
    const a = await sendTurn(db, { chatId: null, content: 'one', model: 'm', connectionId: 'c', now: 1 });
    const b = await sendTurn(db, { chatId: null, content: 'two', model: 'm', connectionId: 'c', now: 2 });
    await deleteChat(db, a.chatId);
    expect(await db.chats.get(a.chatId)).toBeUndefined();
    expect(await db.messages.where('chatId').equals(a.chatId).count()).toBe(0);
    expect(await db.messages.where('chatId').equals(b.chatId).count()).toBe(2);
  });
});

describe('interruptOrphans', () => {
  it('marks streaming messages with no live run as interrupted and leaves live ones alone', async () => {
    const a = await sendTurn(db, { chatId: null, content: 'one', model: 'm', connectionId: 'c', now: 1 });
    const b = await sendTurn(db, { chatId: null, content: 'two', model: 'm', connectionId: 'c', now: 2 });
    const ids = await interruptOrphans(db, async (id) => id === b.assistantId, 10);
    expect(ids).toEqual([a.assistantId]);
    expect((await db.messages.get(a.assistantId))?.status).toBe('interrupted');
    expect((await db.messages.get(b.assistantId))?.status).toBe('streaming');
    expect((await db.messages.get(a.userId))?.status).toBe('done');
  });
});

describe('titleFromText', () => {
  it('uses the first non-empty line, shortened', () => {
    expect(titleFromText('\n\n  Plan a trip  \nmore')).toBe('Plan a trip');
    expect(titleFromText('   ')).toBe('New chat');
    expect(titleFromText('x'.repeat(100))).toHaveLength(60);
  });
});
