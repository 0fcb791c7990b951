import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { sendTurn } from './chats';
import { createFolder } from './library-ops';
import { STORAGE_FULL, toAppError } from '../errors';

/**
 * A full disk, in the three ways IndexedDB reports it: `put`/`add` throws at once; the
 * request fails later with a QuotaExceededError (and aborts its transaction); or every
 * request succeeds and the transaction is aborted when it commits, with the QuotaExceededError
 * as its `error` (what Chromium does when the commit crosses the quota). The last two reach
 * into fake-indexeddb's internals (`_requests`, `_start`, `_abort`), the only way to fail there.
 * Every write must then leave nothing of itself behind and reach the user as "storage is full".
 */
type Mode = 'off' | 'throw' | 'request' | 'commit';
let mode: Mode = 'off';
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
interface FakeTx {
  _requests: Array<{ operation: () => unknown; request: { readyState: string } }>;
  _state: string;
  _wrote?: boolean;
  _start(): void;
  _abort(name: string): void;
}
const store = IDBObjectStore.prototype as unknown as Record<'put' | 'add', (this: IDBObjectStore, ...a: unknown[]) => unknown>;
const original = { put: store.put, add: store.add };
for (const name of ['put', 'add'] as const) {
  store[name] = function (this: IDBObjectStore, ...args: unknown[]) {
    if (mode === 'throw') throw quota();
    const req = original[name].apply(this, args);
    const tx = this.transaction as unknown as FakeTx;
    tx._wrote = true;
    if (mode === 'request') {
      tx._requests[tx._requests.length - 1]!.operation = () => {
        throw quota();
      };
    }
    return req;
  };
}
const txProto = IDBTransaction.prototype as unknown as FakeTx;
const start = txProto._start;
txProto._start = function (this: FakeTx) {
  const idle = this._requests.every((r) => r.request.readyState === 'done');
  if (mode === 'commit' && this._wrote && idle && this._state !== 'finished') return this._abort('QuotaExceededError');
  start.call(this);
};

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  mode = 'off';
  db = openDb(`test-quota-${n++}`);
  await db.open();
});
afterEach(async () => {
  mode = 'off';
  await db.delete();
});

async function counts() {
  return { chats: await db.chats.count(), messages: await db.messages.count(), nodes: await db.nodes.count(), folders: await db.folders.count() };
}

describe.each(['throw', 'request', 'commit'] as const)('a full disk (%s)', (how) => {
  it('a refused turn leaves the chat as it was: no orphan question, no half chat', async () => {
    const first = await sendTurn(db, { chatId: null, content: 'first', model: 'm', connectionId: 'c', now: 1000 });
    const before = await counts();
    const chatBefore = await db.chats.get(first.chatId);

    mode = how;
    const inChat = await sendTurn(db, { chatId: first.chatId, content: 'second', model: 'm', connectionId: 'c', now: 2000 }).catch((e: unknown) => e);
    const fresh = await sendTurn(db, { chatId: null, content: 'new chat', model: 'm', connectionId: 'c', now: 3000 }).catch((e: unknown) => e);
    mode = 'off';

    for (const e of [inChat, fresh]) {
      expect(e).toBeInstanceOf(Error);
      expect(toAppError(e, 'storage')).toMatchObject({ kind: 'storage', message: STORAGE_FULL });
    }
    expect(await counts()).toEqual(before);
    expect(await db.chats.get(first.chatId)).toEqual(chatBefore);
    expect((await db.messages.toArray()).map((m) => m.content).sort()).toEqual(['', 'first']);

    // Space again: the same write goes through.
    await sendTurn(db, { chatId: first.chatId, content: 'second', model: 'm', connectionId: 'c', now: 4000 });
    expect(await counts()).toMatchObject({ chats: 1, messages: 4, nodes: 4 });
  });

  it('a refused folder is not created', async () => {
    mode = how;
    const e = await createFolder(db, { parentId: null, now: 1 }).catch((x: unknown) => x);
    mode = 'off';
    expect(toAppError(e).message).toBe(STORAGE_FULL);
    expect(await db.folders.count()).toBe(0);
  });
});

describe('toAppError on quota errors', () => {
  it.each([
    ['the DOMException', quota()],
    ['Dexie.QuotaExceededError', new Dexie.QuotaExceededError('full', quota())],
    ['Dexie.AbortError wrapping it', new Dexie.AbortError('Transaction aborted', quota())],
    ['Dexie.BulkError holding it', new Dexie.BulkError('1 of 2 failed', { 1: quota() })],
    ['an error whose cause it is', new Error('write failed', { cause: quota() })],
    ['a plain object named so (another realm)', { name: 'QuotaExceededError', message: 'full' }],
  ])('maps %s to the clear message', (_, err) => {
    expect(toAppError(err, 'internal')).toMatchObject({ kind: 'storage', message: STORAGE_FULL, code: 'QuotaExceededError' });
  });

  it('leaves other errors alone: a plain abort is still "Stopped."', () => {
    expect(toAppError(new DOMException('x', 'AbortError')).kind).toBe('aborted');
    expect(toAppError(new Dexie.AbortError('Transaction aborted', new DOMException('x', 'AbortError'))).message).not.toBe(STORAGE_FULL);
    expect(toAppError(new Dexie.ConstraintError('Key already exists')).message).not.toBe(STORAGE_FULL);
  });
});
