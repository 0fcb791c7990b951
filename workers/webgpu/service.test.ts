import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors';
import type { ChatEvent, ChatRequest } from '../../src/core/providers/types';
import { normalizeUsage } from '../../src/core/usage/normalize-usage';
import type { WebGpuApi, WebGpuLoadProgress } from './api';
import { FAKE_DECODE_TPS, FakeWebLlm, type FakeWebLlmOptions } from './fake-runtime';
import { findMissingModelFile } from './failed-file';
import { fakeCacheStorage } from './fake-caches';
import { createWebGpuService, toWebLlmRequest } from './service';

/** Real ids from web-llm's list; the fake serves the real records. */
const appConfig = prebuiltAppConfig;
const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const SMOL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';

function setup(options: Partial<FakeWebLlmOptions> = {}): { rt: FakeWebLlm; api: WebGpuApi } {
  const rt = new FakeWebLlm({ appConfig, ...options });
  return { rt, api: createWebGpuService({ runtime: rt, cache: rt, appConfig }) };
}

const ask = (model: string, content = 'hi'): ChatRequest => ({ model, messages: [{ role: 'user', content }] });

async function run(api: WebGpuApi, id: number, req: ChatRequest, onEvent?: (ev: ChatEvent, all: ChatEvent[]) => void): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  await api.stream(id, req, (ev) => {
    events.push(ev);
    onEvent?.(ev, events);
  });
  return events;
}
const textOf = (evs: ChatEvent[], type: 'text' | 'reasoning' = 'text') => evs.map((e) => (e.type === type ? e.text : '')).join('');
const last = (evs: ChatEvent[]) => evs.at(-1);
const errorOf = (evs: ChatEvent[]): AppError | undefined => {
  const e = last(evs);
  return e?.type === 'error' ? e.error : undefined;
};

describe('load', () => {
  it('maps web-llm progress (bytes, shards, phases) and loads once', async () => {
    const { rt, api } = setup({ shards: 2, shardMB: 50 });
    const seen: WebGpuLoadProgress[] = [];
    expect(await api.load(LLAMA, (p) => seen.push(p))).toEqual({ modelId: LLAMA, alreadyLoaded: false });
    expect(seen.map((p) => p.phase)).toEqual(['start', 'fetch', 'fetch', 'cache', 'cache', 'shaders', 'shaders', 'done']);
    expect(seen[2]).toMatchObject({ progress: 1, shard: { done: 2, total: 2 }, loadedBytes: 100 * 2 ** 20, totalBytes: 100 * 2 ** 20 });
    expect(await api.loaded()).toBe(LLAMA);
    expect(await api.load(LLAMA, (p) => seen.push(p))).toEqual({ modelId: LLAMA, alreadyLoaded: true });
    expect(seen).toHaveLength(8);
    expect(rt.calls.filter((c) => c.startsWith('reload'))).toEqual([`reload:${LLAMA}`]);
  });

  it('switching models unloads the previous one first', async () => {
    const { rt, api } = setup({ cached: [LLAMA, SMOL] });
    await api.load(LLAMA);
    await api.load(SMOL);
    expect(rt.calls).toEqual([`reload:${LLAMA}`, 'unload', `reload:${SMOL}`]);
    expect(await api.loaded()).toBe(SMOL);
  });

  it('cancelLoad stops the download (aborted), keeps what was fetched, and a later load resumes', async () => {
    const { rt, api } = setup({ shards: 6 });
    const pending = api.load(LLAMA, (p) => {
      if (p.shard?.done === 3 && p.phase === 'fetch') void api.cancelLoad();
    });
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect(await api.loaded()).toBeNull();
    expect(rt.cachedShards.get(LLAMA)).toBe(3);
    await api.load(LLAMA);
    expect(await api.loaded()).toBe(LLAMA);
  });

  it('load failures become AppErrors with a code', async () => {
    const { rt, api } = setup({ f16: false });
    await expect(api.load('No-Such-Model-MLC')).rejects.toMatchObject({ kind: 'invalid', code: 'unknown-model' });
    // The f32 variant comes from the model list: offered by id, as gpu-errors' `variant`.
    await expect(api.load('gemma-2-2b-it-q4f16_1-MLC')).rejects.toMatchObject({
      code: 'no-shader-f16',
      action: 'use-f32-variant',
      variant: 'gemma-2-2b-it-q4f32_1-MLC',
      detail: expect.stringContaining('Use the f32 variant "gemma-2-2b-it-q4f32_1-MLC"'),
    });
    // f16 by id only: web-llm gets to the shaders before Dawn refuses.
    await expect(api.load('Llama-3.2-1B-Instruct-q4f16_1-MLC')).rejects.toMatchObject({ code: 'no-shader-f16', variant: LLAMA });
    rt.fail(LLAMA, { kind: 'missing-file' });
    // Without findFailedFile the Cache API's error names no file.
    await expect(api.load(LLAMA)).rejects.toMatchObject({ kind: 'network', code: 'model-file-missing', action: 'check-model-source', message: 'Could not download a model file.' });
    rt.fail(LLAMA, { kind: 'quota' });
    await expect(api.load(LLAMA)).rejects.toMatchObject({ kind: 'storage', code: 'storage-quota', action: 'free-storage' });
    rt.fail(LLAMA, { kind: 'corrupt-file' });
    await expect(api.load(LLAMA)).rejects.toMatchObject({ kind: 'protocol', code: 'model-file-corrupt', action: 'redownload-model' });
    rt.fail(LLAMA, { kind: 'oom' });
    await expect(api.load(LLAMA)).rejects.toMatchObject({ code: 'device-lost', action: 'reload-model', message: expect.stringContaining('GPU memory') });
    expect(await api.loaded()).toBeNull();
  });

  it('a load failure names the missing file: findFailedFile is awaited and its URL reaches the message', async () => {
    const rt = new FakeWebLlm({ appConfig, failures: { [LLAMA]: { kind: 'missing-file', shard: 1 } } });
    const asked: string[] = [];
    const api = createWebGpuService({
      runtime: rt,
      cache: rt,
      appConfig,
      findFailedFile: async (id) => {
        asked.push(id);
        return findMissingModelFile(fakeCacheStorage(rt, appConfig), appConfig, id);
      },
    });
    const url = 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC/resolve/main/params_shard_1.bin';
    await expect(api.load(LLAMA)).rejects.toMatchObject({
      kind: 'network',
      code: 'model-file-missing',
      file: url,
      message: 'Could not download the weights file params_shard_1.bin.',
      detail: expect.stringContaining(`URL: ${url}.`),
    });
    expect(asked).toEqual([LLAMA]);
    // The same through a stream that loads its model first.
    rt.fail(LLAMA, { kind: 'missing-file', shard: 3 });
    expect(errorOf(await run(api, 1, ask(LLAMA)))).toMatchObject({ code: 'model-file-missing', message: 'Could not download the weights file params_shard_3.bin.' });
    // A failure that is not about a file ignores it; a finder that throws is ignored too.
    rt.fail(LLAMA, { kind: 'oom' });
    await expect(api.load(LLAMA)).rejects.toMatchObject({ code: 'device-lost' });
    expect(asked).toEqual([LLAMA, LLAMA, LLAMA]);
    const broken = createWebGpuService({ runtime: rt, cache: rt, appConfig, findFailedFile: () => Promise.reject(new Error('no caches')) });
    rt.fail(SMOL, { kind: 'missing-file' });
    await expect(broken.load(SMOL)).rejects.toMatchObject({ code: 'model-file-missing', message: 'Could not download a model file.' });
  });

  it('the user agent option reaches the no-WebGPU advice', async () => {
    const rt = new FakeWebLlm({ appConfig });
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    const api = createWebGpuService({ runtime: rt, cache: rt, appConfig, userAgent: firefox });
    rt.reload = () => Promise.reject(Object.assign(new Error('WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine.'), { name: 'WebGPUNotAvailableError' }));
    const e = await api.load(LLAMA).then(() => undefined, (err: AppError) => err);
    expect(e).toMatchObject({ code: 'webgpu-unavailable', action: 'enable-webgpu' });
    expect(e?.detail).toContain('Firefox');
  });
});

describe('stream', () => {
  it('text, usage (tokens/s readable by normalizeUsage), done; loads the model first with progress', async () => {
    const { api } = setup({ reply: () => 'Hello from the GPU.' });
    const progress: WebGpuLoadProgress[] = [];
    const events: ChatEvent[] = [];
    await api.stream(1, ask(LLAMA), (ev) => events.push(ev), (p) => progress.push(p));
    expect(progress.at(-1)?.phase).toBe('done');
    expect(textOf(events)).toBe('Hello from the GPU.');
    expect(events.map((e) => e.type)).toEqual(['text', 'text', 'text', 'text', 'usage', 'done']);
    expect(last(events)).toEqual({ type: 'done', finishReason: 'stop' });
    const usage = events.find((e) => e.type === 'usage');
    expect(usage?.type === 'usage' && usage.usage).toMatchObject({ completion_tokens: 4, extra: { decode_tokens_per_s: FAKE_DECODE_TPS } });
    const summary = normalizeUsage(usage?.type === 'usage' ? usage.usage : null, null);
    expect(summary).toMatchObject({ completionTokens: 4, tokensPerSecond: FAKE_DECODE_TPS, source: 'server' });
  });

  it('a <think> block becomes reasoning', async () => {
    const { api } = setup({ cached: [QWEN3], reply: () => 'Four.' });
    const events = await run(api, 1, ask(QWEN3, '2+2?'));
    expect(textOf(events, 'reasoning')).toBe('\nThe user wants an answer. Keep it short.\n');
    expect(textOf(events)).toBe('\n\nFour.');
    expect(last(events)).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('cancel mid-answer: interrupt, text so far kept, ends with one aborted error; the next answer works', async () => {
    const { rt, api } = setup({ cached: [LLAMA], reply: () => 'one two three four five six seven eight' });
    const events = await run(api, 7, ask(LLAMA), (ev, all) => {
      if (ev.type === 'text' && all.length === 2) void api.cancel(7);
    });
    expect(rt.calls).toContain('interrupt');
    expect(rt.generationEnds).toEqual(['abort']);
    expect(textOf(events)).toBe('one two ');
    expect(errorOf(events)).toMatchObject({ kind: 'aborted' });
    expect(events.filter((e) => e.type === 'error' || e.type === 'done')).toHaveLength(1);
    expect(last(await run(api, 8, ask(LLAMA)))).toEqual({ type: 'done', finishReason: 'stop' });
  });

  it('a cancel web-llm loses (before its generation starts) still stops the answer', async () => {
    const { rt, api } = setup({ cached: [LLAMA], reply: () => 'one two three four' });
    await api.load(LLAMA);
    const create = rt.chat.completions.create;
    rt.chat.completions.create = async (req) => {
      const it = await create(req);
      void api.cancel(3); // the generator has not run: web-llm resets the interrupt flag on start
      return it;
    };
    const events = await run(api, 3, ask(LLAMA));
    expect(textOf(events)).toBe('');
    expect(errorOf(events)).toMatchObject({ kind: 'aborted' });
    // Stopped by leaving the loop after the first chunk, not run to the end.
    expect(rt.generationEnds).toEqual(['return']);
    rt.chat.completions.create = create;
    expect(textOf(await run(api, 4, ask(LLAMA)))).toBe('one two three four');
  });

  it('a cancel that overtakes its stream, and one for a queued stream, answer at once', async () => {
    const { rt, api } = setup({ cached: [LLAMA], reply: () => 'a b c' });
    await api.cancel(5);
    expect(errorOf(await run(api, 5, ask(LLAMA)))).toMatchObject({ kind: 'aborted' });
    expect(rt.calls).not.toContain('create');

    const order: string[] = [];
    const first = run(api, 10, ask(LLAMA)).then((evs) => order.push(`first:${last(evs)?.type}`));
    const second = run(api, 11, ask(LLAMA)).then((evs) => order.push(`second:${errorOf(evs)?.kind}`));
    await api.cancel(11);
    await Promise.all([first, second]);
    expect(order).toEqual(['second:aborted', 'first:done']);
    expect(rt.calls.filter((c) => c === 'create')).toHaveLength(1);
  });

  it('cancel while the stream is loading its model cancels the load', async () => {
    const { api } = setup({ shards: 6 });
    const events: ChatEvent[] = [];
    await api.stream(
      2,
      ask(LLAMA),
      (ev) => events.push(ev),
      (p) => {
        if (p.phase === 'fetch' && p.shard?.done === 2) void api.cancel(2);
      },
    );
    expect(events).toEqual([{ type: 'error', error: { kind: 'aborted', message: 'Stopped.' } }]);
    expect(await api.loaded()).toBeNull();
  });

  it('device lost mid-answer: error with code, text kept, model must load again', async () => {
    const { rt, api } = setup({ cached: [LLAMA], reply: () => 'a b c d', failures: { [LLAMA]: { kind: 'device-lost', afterChunks: 2 } } });
    const events = await run(api, 1, ask(LLAMA));
    expect(textOf(events)).toBe('a b ');
    expect(errorOf(events)).toMatchObject({ code: 'device-lost', action: 'reload-model', message: expect.stringContaining('GPU connection was lost') });
    expect(await api.loaded()).toBeNull();
    rt.fail(LLAMA, undefined);
    expect(last(await run(api, 2, ask(LLAMA)))).toEqual({ type: 'done', finishReason: 'stop' });
    expect(rt.calls.filter((c) => c.startsWith('reload'))).toHaveLength(2);
  });

  it('device lost when the answer starts (create rejects) also drops the model', async () => {
    const { rt, api } = setup({ cached: [LLAMA] });
    await api.load(LLAMA);
    const create = rt.chat.completions.create;
    rt.chat.completions.create = () => Promise.reject(new Error('GPUDevice was lost: Device lost during generation (assumed wording).'));
    expect(errorOf(await run(api, 1, ask(LLAMA)))).toMatchObject({ code: 'device-lost', action: 'reload-model' });
    expect(await api.loaded()).toBeNull();
    rt.chat.completions.create = create;
  });

  it('max_tokens ends with done length; an unknown model is an error event', async () => {
    const { api } = setup({ cached: [LLAMA], reply: () => 'a b c d' });
    const events = await run(api, 1, { ...ask(LLAMA), params: { max_tokens: 2 } });
    expect(textOf(events)).toBe('a b ');
    expect(last(events)).toEqual({ type: 'done', finishReason: 'length' });
    expect(errorOf(await run(api, 2, ask('gpt-4o')))).toMatchObject({ kind: 'invalid', code: 'unknown-model' });
  });
});

describe('cache', () => {
  it('cached() lists complete models with their VRAM; delete of the loaded model unloads it first', async () => {
    const { rt, api } = setup({ cached: [LLAMA, SMOL] });
    expect(await api.cached()).toEqual([
      { modelId: LLAMA, vramRequiredMB: 1128.82 },
      { modelId: SMOL, vramRequiredMB: 579.61 },
    ]);
    await api.load(LLAMA);
    await api.delete(LLAMA);
    expect(rt.calls.slice(-2)).toEqual(['unload', `delete:${LLAMA}`]);
    expect(await api.loaded()).toBeNull();
    expect((await api.cached()).map((m) => m.modelId)).toEqual([SMOL]);
    await api.delete(SMOL);
    expect(rt.calls.at(-1)).toBe(`delete:${SMOL}`);
    expect(rt.calls.filter((c) => c === 'unload')).toHaveLength(1);
  });

  it('cached() adds measured sizes and does not wait for a running answer', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA], reply: () => 'a b c d e f' });
    const api = createWebGpuService({ runtime: rt, cache: rt, appConfig, measure: async () => new Map([[LLAMA, 123_456]]) });
    let listed: unknown;
    const events = await run(api, 1, ask(LLAMA), (ev, all) => {
      if (ev.type === 'text' && all.length === 1) void api.cached().then((c) => (listed = { c, textsSoFar: all.length }));
    });
    expect(last(events)?.type).toBe('done');
    expect(listed).toEqual({ c: [{ modelId: LLAMA, vramRequiredMB: 1128.82, bytes: 123_456 }], textsSoFar: expect.any(Number) });
    expect((listed as { textsSoFar: number }).textsSoFar).toBeLessThan(6);
  });

  it('cached() lists a stopped download as partial, after the complete models', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA] });
    const api = createWebGpuService({ runtime: rt, cache: rt, appConfig, measure: async () => new Map([[LLAMA, 9], [SMOL, 5], ['Not-A-Model', 3], [QWEN3, 0]]) });
    expect(await api.cached()).toEqual([
      { modelId: LLAMA, vramRequiredMB: 1128.82, bytes: 9 },
      { modelId: SMOL, bytes: 5, partial: true },
    ]);
  });
});

describe('toWebLlmRequest', () => {
  it('one leading system message, images as data URLs, params mapped, usage asked for', () => {
    const req = toWebLlmRequest({
      model: LLAMA,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is this?', images: [{ mime: 'image/png', base64: 'AAAA' }] },
        { role: 'assistant', content: 'A square.' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Sure?' },
      ],
      params: { temperature: 0.2, max_tokens: 64, stop: [], repeat_penalty: 1.1, seed: 3 },
    });
    expect(req).toEqual({
      messages: [
        { role: 'system', content: 'Be brief.\n\nAnswer in French.' },
        { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: 'A square.' },
        { role: 'user', content: 'Sure?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 64,
      seed: 3,
      repetition_penalty: 1.1,
    });
  });
});
