import { describe, expect, it } from 'vitest';
import { FAKE_DECODE_TPS, FakeWebLlm, tokenize } from './fake-runtime';
import type { WebLlmAppConfig, WebLlmChatRequest, WebLlmChunk, WebLlmProgressReport } from './runtime';

const appConfig: WebLlmAppConfig = {
  model_list: [
    { model: 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC', model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', model_lib: 'x.wasm' },
    { model: 'https://huggingface.co/mlc-ai/Qwen3-0.6B-q4f32_1-MLC', model_id: 'Qwen3-0.6B-q4f32_1-MLC', model_lib: 'y.wasm' },
    { model: 'https://huggingface.co/mlc-ai/gemma-2-2b-it-q4f16_1-MLC', model_id: 'gemma-2-2b-it-q4f16_1-MLC', model_lib: 'z.wasm', required_features: ['shader-f16'] },
  ],
};
const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const req = (content: string, extra: Partial<WebLlmChatRequest> = {}): WebLlmChatRequest => ({
  messages: [{ role: 'user', content }],
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});

async function all(it: AsyncIterable<WebLlmChunk>): Promise<WebLlmChunk[]> {
  const out: WebLlmChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('FakeWebLlm load', () => {
  it('reports web-llm progress texts: fetch, then cache from 0 again, shaders, finish', async () => {
    const rt = new FakeWebLlm({ appConfig, shards: 2, shardMB: 10 });
    const reports: WebLlmProgressReport[] = [];
    rt.setInitProgressCallback((r) => reports.push(r));
    await rt.reload(LLAMA);
    const texts = reports.map((r) => r.text.replace(/\d+ secs/, 'N secs'));
    expect(texts).toEqual([
      'Start to fetch params',
      'Fetching param cache[1/2]: 10MB fetched. 50% completed, N secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
      'Fetching param cache[2/2]: 20MB fetched. 100% completed, N secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
      'Loading model from cache[1/2]: 10MB loaded. 50% completed, N secs elapsed.',
      'Loading model from cache[2/2]: 20MB loaded. 100% completed, N secs elapsed.',
      'Loading GPU shader modules[4/8]: 50% completed, N secs elapsed.',
      'Loading GPU shader modules[8/8]: 100% completed, N secs elapsed.',
      'Finish loading on WebGPU - fake',
    ]);
    expect(reports.map((r) => r.progress)).toEqual([0, 0.5, 1, 0.5, 1, 0.5, 1, 1]);
    expect(rt.loadedModel).toBe(LLAMA);
    expect(await rt.hasModelInCache(LLAMA)).toBe(true);
  });

  it('a cached model skips the fetch phase', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA] });
    const texts: string[] = [];
    rt.setInitProgressCallback((r) => texts.push(r.text));
    await rt.reload(LLAMA);
    expect(texts.some((t) => t.startsWith('Fetching') || t.startsWith('Start'))).toBe(false);
    expect(texts[0]).toMatch(/^Loading model from cache\[1\/4\]/);
  });

  it('unload during reload makes reload resolve (as web-llm swallows the abort) and keeps the shards fetched so far', async () => {
    const rt = new FakeWebLlm({ appConfig, shards: 4 });
    rt.setInitProgressCallback((r) => {
      if (r.text.startsWith('Fetching param cache[2/4]')) void rt.unload();
    });
    await expect(rt.reload(LLAMA)).resolves.toBeUndefined();
    expect(rt.loadedModel).toBeNull();
    expect(rt.cachedShards.get(LLAMA)).toBe(2);
    expect(await rt.hasModelInCache(LLAMA)).toBe(false);
  });

  it('fails like web-llm: unknown id, shader-f16, missing file, quota, corrupt shard, OOM', async () => {
    const rt = new FakeWebLlm({ appConfig, f16: false });
    await expect(rt.reload('Nope-MLC')).rejects.toMatchObject({ name: 'ModelNotFoundError', message: expect.stringContaining('Nope-MLC') });
    await expect(rt.reload('gemma-2-2b-it-q4f16_1-MLC')).rejects.toMatchObject({ name: 'ShaderF16SupportError' });
    rt.fail(LLAMA, { kind: 'missing-file' });
    await expect(rt.reload(LLAMA)).rejects.toThrow(TypeError);
    expect(rt.cachedShards.get(LLAMA)).toBe(2);
    rt.fail(LLAMA, { kind: 'quota', shard: 3 });
    await expect(rt.reload(LLAMA)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    rt.fail(LLAMA, { kind: 'corrupt-file', shard: 1 });
    await expect(rt.reload(LLAMA)).rejects.toThrow(/Tensor-cache record range/);
    rt.fail(LLAMA, { kind: 'oom' });
    await expect(rt.reload(LLAMA)).rejects.toMatchObject({ name: 'DeviceLostError', message: expect.stringContaining('OOM') });
    expect(rt.loadedModel).toBeNull();
    rt.fail(LLAMA, undefined);
    await rt.reload(LLAMA);
    expect(rt.loadedModel).toBe(LLAMA);
  });
});

describe('FakeWebLlm chat', () => {
  it('streams content chunks with role, a finish chunk, then usage with extra', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA], reply: () => 'Hello there friend' });
    await rt.reload(LLAMA);
    const chunks = await all(await rt.chat.completions.create(req('hi')));
    expect(chunks.slice(0, 3).map((c) => c.choices[0]?.delta)).toEqual([
      { content: 'Hello ', role: 'assistant' },
      { content: 'there ', role: 'assistant' },
      { content: 'friend', role: 'assistant' },
    ]);
    expect(chunks[3]?.choices).toEqual([{ delta: {}, finish_reason: 'stop', index: 0, logprobs: null }]);
    expect(chunks[4]?.choices).toEqual([]);
    expect(chunks[4]?.usage).toMatchObject({ completion_tokens: 3, extra: { decode_tokens_per_s: FAKE_DECODE_TPS } });
    expect(chunks).toHaveLength(5);
    expect(new Set(chunks.map((c) => c.object))).toEqual(new Set(['chat.completion.chunk']));
  });

  it('no usage chunk without include_usage; max_tokens ends with length', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA], reply: () => 'one two three four' });
    await rt.reload(LLAMA);
    const chunks = await all(await rt.chat.completions.create(req('hi', { stream_options: undefined, max_tokens: 2 })));
    expect(chunks.map((c) => (c.choices.length ? c.choices[0]?.finish_reason : 'usage'))).toEqual([null, null, 'length']);
  });

  it('interruptGenerate ends the stream with finish_reason abort, usage still sent', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA], reply: () => 'a b c d e f g h' });
    await rt.reload(LLAMA);
    const seen: WebLlmChunk[] = [];
    for await (const c of await rt.chat.completions.create(req('hi'))) {
      seen.push(c);
      if (seen.length === 2) rt.interruptGenerate();
    }
    expect(seen.map((c) => (c.choices.length ? c.choices[0]?.finish_reason : 'usage'))).toEqual([null, null, 'abort', 'usage']);
    expect(seen[3]?.usage?.completion_tokens).toBe(2);
  });

  it('an interrupt before the generation starts is lost, as in web-llm', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA], reply: () => 'a b c' });
    await rt.reload(LLAMA);
    const stream = await rt.chat.completions.create(req('hi'));
    rt.interruptGenerate();
    const chunks = await all(stream);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('reasoning models open with a <think> block; ModelNotLoadedError before reload; device lost mid-answer', async () => {
    const rt = new FakeWebLlm({ appConfig, cached: [LLAMA, 'Qwen3-0.6B-q4f32_1-MLC'], failures: { [LLAMA]: { kind: 'device-lost', afterChunks: 1 } } });
    await expect(rt.chat.completions.create(req('hi'))).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
    await rt.reload('Qwen3-0.6B-q4f32_1-MLC');
    const text = (await all(await rt.chat.completions.create(req('hi')))).map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('<think>\nThe user wants an answer. Keep it short.\n</think>\n\nYou said: hi');
    await rt.reload(LLAMA);
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const c of await rt.chat.completions.create(req('hi'))) got.push(c.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/lost/);
    expect(got).toEqual(['You ']);
  });

  it('tokenize keeps every character', () => {
    const s = '<think>\nhmm, ok\n</think>\n\nA < b and  c.';
    expect(tokenize(s).join('')).toBe(s);
    expect(tokenize(s).slice(0, 2)).toEqual(['<think>', '\n']);
  });
});
