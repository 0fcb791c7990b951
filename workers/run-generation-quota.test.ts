import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { STORAGE_FULL_ANSWER } from '../src/core/errors';
import { recordingFetch, testServerConnection, withoutTasks } from './test-engine-support';
import { createEngine, type Engine } from './engine';
import { memoryLocks, systemClock } from './ports';
import type { StreamUpdate } from './api';

/** While set, every IndexedDB put throws QuotaExceededError, as on a full disk. */
let full = false;
const store = IDBObjectStore.prototype as unknown as { put: (this: IDBObjectStore, ...a: unknown[]) => unknown };
const put = store.put;
store.put = function (this: IDBObjectStore, ...args: unknown[]) {
  if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  return put.apply(this, args);
};

let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
beforeEach(async () => {
  full = false;
  db = openDb(`test-run-quota-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  full = false;
  engine?.close();
  await db.delete();
});

it('an answer whose saves are refused for lack of space ends in error with the "storage is full" message for answers', async () => {
  const conn = await testServerConnection(db, 'openai');
  const f = recordingFetch('Hello');
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const turn = await sendTurn(db, { chatId: null, content: 'Hi', model: 'm1', connectionId: conn.id, now: 10 });
  const chatBefore = await db.chats.get(turn.chatId);
  full = true;
  const updates: StreamUpdate[] = [];
  await engine.generate({ chatId: turn.chatId, messageId: turn.assistantId }, (u) => updates.push(u));
  full = false;

  // The text reached the screen; the end says what happened and what to do.
  expect(updates.filter((u) => u.type === 'delta').map((u) => (u.type === 'delta' ? u.text : '')).join('')).toBe('Hello');
  const end = updates.at(-1);
  expect(end).toMatchObject({ type: 'end', status: 'error', error: { kind: 'storage', message: STORAGE_FULL_ANSWER, code: 'QuotaExceededError' } });
  // Nothing half-written: the row is as the turn left it (a reload marks it interrupted), the chat unchanged.
  expect(await db.messages.get(turn.assistantId)).toMatchObject({ status: 'streaming', content: '' });
  expect(await db.chats.get(turn.chatId)).toEqual(chatBefore);
});
