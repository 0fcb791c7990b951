import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import type { Connection } from '../src/core/storage/schema';
import { isAppError } from '../src/core/errors';
import { withoutTasks } from './test-engine-support';
import { createEngine, type Engine } from './engine';
import { memoryLocks, systemClock } from './ports';
import type { StreamUpdate } from './api';

/** A fetch whose response body the test feeds by hand, recording what it was called with. */
function controlledFetch(opts: { status?: number; body?: string; contentType?: string } = {}) {
  const enc = new TextEncoder();
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => { ctrl = c; } });
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    init.signal?.addEventListener('abort', () => {
      try { ctrl.error(new DOMException('The user aborted a request.', 'AbortError')); } catch { /* already closed */ }
    });
    if (opts.body !== undefined) return new Response(opts.body, { status: opts.status ?? 200, headers: { 'content-type': opts.contentType ?? 'application/json' } });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return {
    fetch,
    calls,
    send: (s: string) => ctrl.enqueue(enc.encode(s)),
    close: () => ctrl.close(),
    fail: () => ctrl.error(new TypeError('network error')),
  };
}

const chunk = (text: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
let conn: Connection;

beforeEach(async () => {
  db = openDb(`test-engine-${n++}`);
  await withoutTasks(db);
  const c = await saveConnection(db, { kind: 'openai', url: 'http://127.0.0.1:9/v1', key: 'sk-test' }, 1);
  if (isAppError(c)) throw new Error(c.message);
  conn = c;
});
afterEach(async () => {
  engine?.close();
  await db.delete();
});

async function start(f: ReturnType<typeof controlledFetch>) {
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const turn = await sendTurn(db, { chatId: null, content: 'Hi', model: 'gpt-x', connectionId: conn.id, now: 10 });
  const updates: StreamUpdate[] = [];
  const done = engine.generate({ chatId: turn.chatId, messageId: turn.assistantId }, (u) => updates.push(u));
  return { turn, updates, done, streamed: () => updates.map((u) => (u.type === 'delta' ? u.text : '')).join('') };
}

describe('engine.generate', () => {
  it('streams deltas to the caller and stores the finished message', async () => {
    const f = controlledFetch();
    const r = await start(f);
    f.send(chunk('Hel'));
    f.send(chunk('lo'));
    f.send('data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\ndata: [DONE]\n\n');
    f.close();
    await r.done;
    const m = await db.messages.get(r.turn.assistantId);
    expect(m?.status).toBe('done');
    expect(m?.content).toBe('Hello');
    expect(m?.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2 });
    expect(r.streamed()).toBe('Hello');
    expect(r.updates.at(-1)).toMatchObject({ type: 'end', status: 'done' });
    // The request carried the conversation and the key to the connection's own URL.
    expect(f.calls[0]!.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    const sent = JSON.parse(String(f.calls[0]!.init.body));
    expect(sent.model).toBe('gpt-x');
    expect(sent.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(new Headers(f.calls[0]!.init.headers).get('authorization')).toBe('Bearer sk-test');
  });

  it('persists the growing answer while it streams, before the end', async () => {
    const f = controlledFetch();
    const r = await start(f);
    f.send(chunk('partial answer'));
    await expect.poll(async () => (await db.messages.get(r.turn.assistantId))?.content, { timeout: 3000 }).toBe('partial answer');
    expect((await db.messages.get(r.turn.assistantId))?.status).toBe('streaming');
    f.close();
    await r.done;
  });

  it('stop aborts the request and keeps the partial answer, marked stopped', async () => {
    const f = controlledFetch();
    const r = await start(f);
    f.send(chunk('so far'));
    await expect.poll(() => r.streamed()).toBe('so far');
    await engine!.stop(r.turn.assistantId);
    await r.done;
    expect(f.calls[0]!.init.signal?.aborted).toBe(true);
    const m = await db.messages.get(r.turn.assistantId);
    expect(m).toMatchObject({ status: 'done', finishReason: 'stopped', content: 'so far', error: null });
  });

  it('a dropped connection keeps the partial answer with an error under it', async () => {
    const f = controlledFetch();
    const r = await start(f);
    f.send(chunk('half'));
    await expect.poll(() => r.streamed()).toBe('half');
    f.fail();
    await r.done;
    const m = await db.messages.get(r.turn.assistantId);
    expect(m?.status).toBe('error');
    expect(m?.content).toBe('half');
    expect(m?.error?.kind).toBe('network');
  });

  it('an HTTP error body becomes the message error', async () => {
    const f = controlledFetch({ status: 401, body: '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}' });
    const r = await start(f);
    await r.done;
    const m = await db.messages.get(r.turn.assistantId);
    expect(m?.status).toBe('error');
    expect(m?.error?.message).toContain('Incorrect API key provided');
    expect(m?.error?.status).toBe(401);
  });

  it('fails clearly when the connection was removed', async () => {
    const f = controlledFetch();
    engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
    const turn = await sendTurn(db, { chatId: null, content: 'Hi', model: 'gpt-x', connectionId: conn.id, now: 10 });
    await db.connections.delete(conn.id);
    await engine.generate({ chatId: turn.chatId, messageId: turn.assistantId }, () => undefined);
    const m = await db.messages.get(turn.assistantId);
    expect(m?.status).toBe('error');
    expect(m?.error?.message).toMatch(/connection .* removed/);
    expect(f.calls).toHaveLength(0);
  });
});

describe('engine.recoverInterrupted', () => {
  it('marks only streams with no live run', async () => {
    const f = controlledFetch();
    const r = await start(f);
    const orphan = await sendTurn(db, { chatId: null, content: 'old', model: 'gpt-x', connectionId: conn.id, now: 5 });
    const ids = await engine!.recoverInterrupted();
    expect(ids).toEqual([orphan.assistantId]);
    expect((await db.messages.get(orphan.assistantId))?.status).toBe('interrupted');
    expect((await db.messages.get(r.turn.assistantId))?.status).toBe('streaming');
    f.close();
    await r.done;
  });
});
