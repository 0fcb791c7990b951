import 'fake-indexeddb/auto';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { addInBrowserConnection } from '../src/core/storage/connections';
import type { Connection } from '../src/core/storage/schema';
import { normalizeUsage } from '../src/core/usage/normalize-usage';
import type { StreamUpdate } from './api';
import { createEngine, type Engine } from './engine';
import { memoryLocks, systemClock, type WebGpuPort } from './ports';
import { recordingFetch, withoutTasks } from './test-engine-support';
import { FAKE_DECODE_TPS, FakeWebLlm } from './webgpu/fake-runtime';
import { createWebGpuService } from './webgpu/service';

/**
 * Answers of an In-browser (webgpu) connection go through the in-browser model worker's port
 * (here the real service over FakeWebLlm), never over HTTP; its models are the cached ones.
 */
const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';

let db: ParleyDb;
let engine: Engine | undefined;
let rt: FakeWebLlm;
let gpu: WebGpuPort;
let conn: Connection;
let fetched: ReturnType<typeof recordingFetch>;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-webgpu-${n++}`);
  await withoutTasks(db);
  rt = new FakeWebLlm({ appConfig: prebuiltAppConfig, shards: 3 });
  gpu = createWebGpuService({ runtime: rt, cache: rt, appConfig: prebuiltAppConfig });
  conn = (await addInBrowserConnection(db, 1))!;
  fetched = recordingFetch();
});
afterEach(async () => {
  await engine?.tasksIdle();
  engine?.close();
  await db.delete();
});

function start(port: WebGpuPort | null = gpu): Engine {
  engine = createEngine({ db, fetch: fetched.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:1', webgpu: async () => port });
  return engine;
}

async function ask(e: Engine, model: string, content = 'hello there', onUpdate: (u: StreamUpdate) => void = () => undefined) {
  const t = await sendTurn(db, { chatId: null, content, model, connectionId: conn.id, now: 10 });
  await e.generate({ chatId: t.chatId, messageId: t.assistantId }, onUpdate);
  return (await db.messages.get(t.assistantId))!;
}

describe('an In-browser connection', () => {
  it('answers through the worker port, with load progress first and usage in tokens/s', async () => {
    const updates: StreamUpdate[] = [];
    const m = await ask(start(), LLAMA, 'hello there', (u) => updates.push(u));
    expect(m).toMatchObject({ status: 'done', content: 'You said: hello there', finishReason: 'stop', error: null });
    expect(fetched.bodies).toHaveLength(0);
    const loading = updates.filter((u) => u.type === 'loading');
    expect(loading.length).toBeGreaterThan(3);
    expect(loading.map((u) => (u.type === 'loading' ? u.progress.phase : ''))).toContain('fetch');
    // Progress comes before any text.
    expect(updates.findIndex((u) => u.type === 'delta')).toBeGreaterThan(updates.findLastIndex((u) => u.type === 'loading'));
    expect(normalizeUsage(m.usage, m.metrics)).toMatchObject({ tokensPerSecond: FAKE_DECODE_TPS, source: "server" });
    expect(rt.calls.filter((c) => c.startsWith('reload'))).toEqual([`reload:${LLAMA}`]);
    // The second answer reuses the loaded model: no load, no progress.
    const again: StreamUpdate[] = [];
    await ask(engine!, LLAMA, 'again', (u) => again.push(u));
    expect(again.some((u) => u.type === 'loading')).toBe(false);
    expect(rt.calls.filter((c) => c.startsWith('reload'))).toHaveLength(1);
  });

  it('splits a reasoning model’s <think> block into reasoning', async () => {
    const m = await ask(start(), QWEN3, 'why');
    expect(m.reasoning.trim()).toBe('The user wants an answer. Keep it short.');
    // What follows </think> is kept as the model wrote it (the markdown view ignores the blank lines).
    expect(m.content).toBe('\n\nYou said: why');
  });

  it('a stop ends the answer as stopped and interrupts the generation', async () => {
    const e = start();
    const t = await sendTurn(db, { chatId: null, content: 'one two three four five six seven eight nine ten', model: LLAMA, connectionId: conn.id, now: 10 });
    let stopped = false;
    await e.generate({ chatId: t.chatId, messageId: t.assistantId }, (u) => {
      if (u.type === 'delta' && !stopped) {
        stopped = true;
        void e.stop(t.assistantId);
      }
    });
    const m = (await db.messages.get(t.assistantId))!;
    expect(m).toMatchObject({ status: 'done', finishReason: 'stopped' });
    expect(m.content.length).toBeGreaterThan(0);
    expect(m.content.length).toBeLessThan('You said: one two three four five six seven eight nine ten'.length);
    expect(rt.calls).toContain('interrupt');
  });

  it('a failure of the model is stored as the answer’s error, in words', async () => {
    // web-llm reports running out of GPU memory while loading as a lost device (reload or pick a smaller model).
    rt.fail(LLAMA, { kind: 'oom' });
    const m = await ask(start(), LLAMA);
    expect(m.status).toBe('error');
    expect(m.error).toMatchObject({ code: 'device-lost', message: expect.stringContaining('more GPU memory than is free') });
  });

  it('without a way to the worker the answer fails with a clear error', async () => {
    const m = await ask(start(null), LLAMA);
    expect(m).toMatchObject({ status: 'error', error: { kind: 'internal', message: expect.stringContaining('WebGPU worker') } });
  });

  it('lists the models in the cache (at any age until a refresh), and Verify counts them', async () => {
    const e = start();
    let list = await e.listModels();
    expect(list.models.filter((x) => x.connectionId === conn.id)).toEqual([]);
    await gpu.cached(); // nothing yet
    await ask(e, LLAMA);
    // The stored (empty) list stands until a forced refresh, as after a download in Settings.
    list = await e.listModels();
    expect(list.models.filter((x) => x.connectionId === conn.id)).toEqual([]);
    list = await e.listModels({ force: true });
    expect(list.models.filter((x) => x.connectionId === conn.id).map((x) => [x.id, x.kind])).toEqual([[LLAMA, 'webgpu']]);
    expect(list.statuses.find((s) => s.connectionId === conn.id)).toMatchObject({ ok: true, count: 1, source: 'server' });
    expect(await e.verifyConnection(conn.id)).toEqual({ ok: true, count: 1 });
    expect(fetched.bodies).toHaveLength(0);
  });
});
