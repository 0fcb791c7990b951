import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import { isAppError } from '../src/core/errors';
import { normalizeUsage } from '../src/core/usage/normalize-usage';
import { withoutTasks } from './test-engine-support';
import { createEngine, type Engine } from './engine';
import { memoryLocks, type Clock } from './ports';
import type { StreamUpdate } from './api';

/**
 * A clock whose `now` only moves when the test says so; timers are real (the engine's 0 ms
 * flushes must still run) but every timestamp the engine records is one the test set.
 */
function fakeClock(start: number) {
  let now = start;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return { clock, set: (t: number) => { now = t; } };
}

/** A fetch whose body the test feeds by hand; OpenAI SSE or Ollama NDJSON by the URL. */
function controlledFetch() {
  const enc = new TextEncoder();
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => { ctrl = c; } });
  let called!: () => void;
  const fetched = new Promise<void>((r) => { called = r; });
  const fetch = async (url: string, init: RequestInit) => {
    called();
    init.signal?.addEventListener('abort', () => {
      try { ctrl.error(new DOMException('The user aborted a request.', 'AbortError')); } catch { /* already closed */ }
    });
    const type = url.endsWith('/api/chat') ? 'application/x-ndjson' : 'text/event-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  };
  return { fetch, fetched, send: (s: string) => ctrl.enqueue(enc.encode(s)), close: () => ctrl.close() };
}

const sse = (delta: Record<string, unknown>) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
const ndjson = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ model: 'qwen3', message: { role: 'assistant', content: '', ...message }, done: false, ...extra })}\n`;

let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-metrics-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  engine?.close();
  await db.delete();
});

/** Starts a run at clock 1000 through a connection of `kind`; `at(t, bytes, seen)` feeds bytes at time t. */
async function start(kind: 'openai' | 'ollama') {
  const conn = await saveConnection(db, { kind, url: kind === 'openai' ? 'http://127.0.0.1:9/v1' : 'http://127.0.0.1:9' }, 1);
  if (isAppError(conn)) throw new Error(conn.message);
  const time = fakeClock(1000);
  const f = controlledFetch();
  engine = createEngine({ db, fetch: f.fetch, clock: time.clock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const turn = await sendTurn(db, { chatId: null, content: 'Hi', model: 'm1', connectionId: conn.id, now: 10 });
  const updates: StreamUpdate[] = [];
  const done = engine.generate({ chatId: turn.chatId, messageId: turn.assistantId }, (u) => updates.push(u));
  // The engine reads the chat and settings first; the clock may move only once the request is out.
  await f.fetched;
  const streamed = () => updates.map((u) => (u.type === 'delta' ? u.text + u.reasoning : '')).join('');
  return {
    done,
    stored: () => db.messages.get(turn.assistantId),
    /** Sets the clock to `t`, sends `bytes`, and waits until the UI was sent `until` (so the engine saw them at `t`). */
    async at(t: number, bytes: string, until: string) {
      time.set(t);
      f.send(bytes);
      const deadline = Date.now() + 2000;
      while (!streamed().endsWith(until)) {
        if (Date.now() > deadline) throw new Error(`never streamed “${until}”; got “${streamed()}”`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    async end(t: number, bytes = '') {
      time.set(t);
      if (bytes) f.send(bytes);
      f.close();
      await done;
    },
  };
}

describe('runGeneration records when things happened', () => {
  it('OpenAI text: start, first token and end; no reasoning times', async () => {
    const r = await start('openai');
    await r.at(1400, sse({ content: 'Hel' }), 'Hel');
    await r.at(1800, sse({ content: 'lo' }), 'lo');
    await r.end(2400, 'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":12}}\n\ndata: [DONE]\n\n');
    const m = await r.stored();
    expect(m?.status).toBe('done');
    expect(m?.metrics).toEqual({ startedAt: 1000, firstTokenAt: 1400, endedAt: 2400 });
    // What the usage line makes of it: the server's counts over the measured generation time.
    expect(normalizeUsage(m?.usage ?? null, m?.metrics ?? null)).toMatchObject({ promptTokens: 3, completionTokens: 12, tokensPerSecond: 12, ttftMs: 400 });
  });

  it('reasoning: from the first reasoning to the first text after it, not to the last text', async () => {
    const r = await start('openai');
    await r.at(1200, sse({ reasoning_content: 'Let me ' }), 'Let me ');
    await r.at(3000, sse({ reasoning_content: 'think.' }), 'think.');
    await r.at(5400, sse({ content: 'Answer' }), 'Answer');
    await r.at(5600, sse({ content: ' here' }), ' here');
    await r.end(6000, 'data: [DONE]\n\n');
    const m = await r.stored();
    expect(m?.reasoning).toBe('Let me think.');
    expect(m?.metrics).toEqual({ startedAt: 1000, firstTokenAt: 1200, reasoningStartedAt: 1200, reasoningEndedAt: 5400, endedAt: 6000 });
    expect(normalizeUsage(null, m?.metrics ?? null).reasoningMs).toBe(4200);
  });

  it('Ollama thinking that never reaches text ends at the last reasoning event', async () => {
    const r = await start('ollama');
    await r.at(1100, ndjson({ thinking: 'Hmm' }), 'Hmm');
    await r.at(1900, ndjson({ thinking: ', well' }), ', well');
    const usage = { prompt_eval_count: 5, eval_count: 2, eval_duration: 500_000_000 };
    await r.end(2500, `${JSON.stringify({ model: 'qwen3', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', ...usage })}\n`);
    const m = await r.stored();
    expect(m?.metrics).toEqual({ startedAt: 1000, firstTokenAt: 1100, reasoningStartedAt: 1100, reasoningEndedAt: 1900, endedAt: 2500 });
    expect(m?.usage).toEqual(usage);
    // The server's speed wins over the measured one: 2 tokens in 0.5 s.
    expect(normalizeUsage(m?.usage ?? null, m?.metrics ?? null).tokensPerSecond).toBe(4);
  });

  it('a stream that ends before any token has only its start and end', async () => {
    const r = await start('openai');
    await r.end(1700, 'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n');
    const m = await r.stored();
    expect(m?.status).toBe('error');
    expect(m?.metrics).toEqual({ startedAt: 1000, endedAt: 1700 });
  });
});
