import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_FIXTURES_DIR, Splitter, startFakeLlm, type FakeLlm } from './server';
import { parseScenario, scenarioPrefix, type Scenario } from './scenario';
import { countTokens, loremMarkdown, tokenize } from './tokens';

let llm: FakeLlm;
const ORIGIN = 'http://127.0.0.1:4317';

beforeAll(async () => {
  llm = await startFakeLlm({ port: 0 });
});
afterAll(async () => {
  await llm.close();
});
beforeEach(() => {
  llm.reset();
});

// ---------------------------------------------------------------------------------------------
// helpers

type JsonObject = Record<string, unknown>;

function post(p: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(llm.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

function chatBody(text: string, extra: JsonObject = {}): JsonObject {
  return { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: text }], ...extra };
}

/** SSE events' data payloads (spec-ish: blank line dispatches; multiple data lines joined). */
function sseData(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data = block
      .split(/\r\n|\n|\r/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length > 0) out.push(data.join('\n'));
  }
  return out;
}

interface Chunk {
  choices: Array<{ index: number; delta: JsonObject; finish_reason: string | null; logprobs: null }>;
  usage?: JsonObject | null;
  object: string;
  id: string;
  model: string;
}

function openAiChunks(text: string): { chunks: Chunk[]; done: boolean; errors: JsonObject[] } {
  const chunks: Chunk[] = [];
  const errors: JsonObject[] = [];
  let done = false;
  for (const d of sseData(text)) {
    if (d === '[DONE]') {
      done = true;
      continue;
    }
    const o = JSON.parse(d) as JsonObject;
    if ('error' in o) errors.push(o);
    else chunks.push(o as unknown as Chunk);
  }
  return { chunks, done, errors };
}

function contentOf(chunks: Chunk[], field = 'content'): string {
  return chunks.map((c) => c.choices[0]?.delta[field]).filter((x): x is string => typeof x === 'string').join('');
}

function ndjson(text: string): JsonObject[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

async function readChunks(res: Response): Promise<Uint8Array[]> {
  const reader = res.body!.getReader();
  const out: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c)));
}

function prefixed(s: Scenario, p: string): string {
  return scenarioPrefix(s) + p;
}

// ---------------------------------------------------------------------------------------------

describe('model listings', () => {
  it('GET /v1/models lists the OpenAI models', async () => {
    const res = await fetch(llm.url + '/v1/models');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { object: string; data: JsonObject[] };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m['id'])).toEqual(['gpt-4o-mini', 'fake-reasoner']);
    for (const m of body.data) {
      expect(m['object']).toBe('model');
      expect(typeof m['created']).toBe('number');
      expect(typeof m['owned_by']).toBe('string');
    }
  });

  it('GET /api/tags and /api/version answer like Ollama', async () => {
    const tags = (await (await fetch(llm.url + '/api/tags')).json()) as { models: JsonObject[] };
    expect(tags.models.map((m) => m['name'])).toEqual(['llama3.2:latest', 'qwen3:0.6b']);
    const m = tags.models[1]!;
    expect(m['model']).toBe('qwen3:0.6b');
    expect(typeof m['modified_at']).toBe('string');
    expect(typeof m['size']).toBe('number');
    expect(m['digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(m['details']).toMatchObject({ format: 'gguf', family: 'qwen3', families: ['qwen3'], parameter_size: '0.6B', quantization_level: 'Q4_K_M' });
    expect(await (await fetch(llm.url + '/api/version')).json()).toEqual({ version: '0.12.0' });
  });

  it('setModels and POST /__fake/models change the lists; reset restores them', async () => {
    llm.setModels('openai', ['a', 'b', 'c']);
    let r = await post('/__fake/models', { kind: 'ollama', ids: ['mistral:7b'] });
    expect(r.status).toBe(200);
    const openai = (await (await fetch(llm.url + '/v1/models')).json()) as { data: JsonObject[] };
    expect(openai.data.map((m) => m['id'])).toEqual(['a', 'b', 'c']);
    const tags = (await (await fetch(llm.url + '/api/tags')).json()) as { models: JsonObject[] };
    expect(tags.models.map((m) => m['name'])).toEqual(['mistral:7b']);
    r = await post('/__fake/models', { kind: 'nope', ids: [] });
    expect(r.status).toBe(400);
    await post('/__fake/reset', {});
    const again = (await (await fetch(llm.url + '/v1/models')).json()) as { data: JsonObject[] };
    expect(again.data.map((m) => m['id'])).toEqual(['gpt-4o-mini', 'fake-reasoner']);
  });
});

describe('OpenAI chat completions', () => {
  it('streams SSE chunks that reassemble to the default echo reply', async () => {
    const res = await post('/v1/chat/completions', chatBody('Hello there, 世界 🎉!'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    // framing: every event is "data: <json>\n\n"
    expect(text).toMatch(/^data: \{/);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    for (const block of text.split('\n\n').filter((b) => b !== '')) expect(block.startsWith('data: ')).toBe(true);
    const { chunks, done } = openAiChunks(text);
    expect(done).toBe(true);
    expect(contentOf(chunks)).toBe('You said: Hello there, 世界 🎉!');
    expect(chunks.length).toBeGreaterThan(5);
    const first = chunks[0]!;
    expect(first.object).toBe('chat.completion.chunk');
    expect(first.id).toMatch(/^chatcmpl-/);
    expect(first.model).toBe('gpt-4o-mini');
    expect(first.choices[0]!.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.every((c) => c.id === first.id)).toBe(true);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect(chunks.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('sends a usage-only chunk with choices:[] when stream_options.include_usage', async () => {
    const res = await post('/v1/chat/completions', chatBody('count me', { stream_options: { include_usage: true } }));
    const { chunks, done } = openAiChunks(await res.text());
    expect(done).toBe(true);
    const usageChunk = chunks[chunks.length - 1]!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ completion_tokens: tokenize('You said: count me').length });
    const u = usageChunk.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks[chunks.length - 2]!.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers a chat.completion JSON when stream is false', async () => {
    const res = await post('/v1/chat/completions', chatBody('plain', { stream: false }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as JsonObject;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'You said: plain' }, finish_reason: 'stop' }],
    });
    expect(body['usage']).toMatchObject({ completion_tokens: tokenize('You said: plain').length });
  });

  it('echoes text parts of multimodal content and the LAST user message', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'You said: first' },
        { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'image_url', image_url: { url: 'data:,' } }] },
      ],
    });
    expect(contentOf(openAiChunks(await res.text()).chunks)).toBe('You said: second');
  });

  it('streams reasoning in delta.reasoning_content before content; finishReason is honoured', async () => {
    llm.queue({ reply: 'Answer **42**.', reasoning: 'Let me think… deeply.', finishReason: 'length' });
    const { chunks } = openAiChunks(await (await post('/v1/chat/completions', chatBody('q'))).text());
    expect(contentOf(chunks, 'reasoning_content')).toBe('Let me think… deeply.');
    expect(contentOf(chunks)).toBe('Answer **42**.');
    const firstContent = chunks.findIndex((c) => typeof c.choices[0]?.delta['content'] === 'string' && c.choices[0]?.delta['content'] !== '');
    const lastReasoning = chunks.findLastIndex((c) => typeof c.choices[0]?.delta['reasoning_content'] === 'string' && c.choices[0]?.delta['reasoning_content'] !== '');
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('length');
  });

  it('the fake-reasoner model reasons by default', async () => {
    const { chunks } = openAiChunks(await (await post('/v1/chat/completions', chatBody('hi', { model: 'fake-reasoner' }))).text());
    expect(contentOf(chunks, 'reasoning_content')).not.toBe('');
    expect(contentOf(chunks)).toBe('You said: hi');
  });

  it('tokens: N streams a deterministic lorem-markdown reply', async () => {
    llm.queue({ tokens: 300 });
    llm.queue({ tokens: 300 });
    const a = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks);
    const b = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('y'))).text()).chunks);
    expect(a).toBe(loremMarkdown(300));
    expect(b).toBe(a);
  });

  it('answers 400 with OpenAI bodies for bad JSON and a missing model', async () => {
    const r1 = await post('/v1/chat/completions', '{not json');
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: JsonObject }).error['type']).toBe('invalid_request_error');
    const r2 = await post('/v1/chat/completions', { messages: [] });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { error: JsonObject }).error['message']).toBe('you must provide a model parameter');
  });
});

describe('Ollama native', () => {
  it('/api/chat streams NDJSON lines with a final done line (Go-style compact JSON)', async () => {
    const res = await post('/api/chat', { model: 'llama3.2:latest', messages: [{ role: 'user', content: 'a<b & c>d' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const raw = await res.text();
    expect(raw).toContain('\\u003c'); // Go escapes <, >, &
    expect(raw).not.toContain(': '); // compact
    const lines = ndjson(raw);
    const last = lines[lines.length - 1]!;
    const body = lines.slice(0, -1);
    for (const l of body) {
      expect(Object.keys(l)).toEqual(['model', 'created_at', 'message', 'done']);
      expect(l['done']).toBe(false);
      expect(l['created_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    }
    expect(body.map((l) => (l['message'] as { content: string }).content).join('')).toBe('You said: a<b & c>d');
    expect(Object.keys(last)).toEqual([
      'model',
      'created_at',
      'message',
      'done_reason',
      'done',
      'total_duration',
      'load_duration',
      'prompt_eval_count',
      'prompt_eval_duration',
      'eval_count',
      'eval_duration',
    ]);
    expect(last).toMatchObject({ model: 'llama3.2:latest', message: { role: 'assistant', content: '' }, done_reason: 'stop', done: true, eval_count: body.length });
  });

  it('/api/chat puts thinking in message.thinking before content', async () => {
    llm.setScenario('qwen3:0.6b', { reasoning: 'hmm, 考える', reply: 'done' });
    const lines = ndjson(await (await post('/api/chat', { model: 'qwen3:0.6b', messages: [{ role: 'user', content: 'x' }] })).text());
    const msgs = lines.slice(0, -1).map((l) => l['message'] as { content: string; thinking?: string });
    expect(msgs.map((m) => m.thinking ?? '').join('')).toBe('hmm, 考える');
    expect(msgs.map((m) => m.content).join('')).toBe('done');
    const firstContent = msgs.findIndex((m) => m.content !== '');
    expect(msgs.slice(firstContent).every((m) => m.thinking === undefined)).toBe(true);
  });

  it('/api/generate streams `response` and answers one object when stream is false', async () => {
    const lines = ndjson(await (await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'gen me' })).text());
    expect(lines.slice(0, -1).map((l) => l['response']).join('')).toBe('You said: gen me');
    expect(lines[lines.length - 1]).toMatchObject({ response: '', done: true, done_reason: 'stop' });
    const one = await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'once', stream: false });
    expect(one.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await one.json()).toMatchObject({ response: 'You said: once', done: true });
    const chat = await post('/api/chat', { model: 'qwen3:0.6b', stream: false, messages: [{ role: 'user', content: 'c' }] });
    expect(await chat.json()).toMatchObject({ message: { role: 'assistant', content: 'You said: c' }, done: true });
  });

  it('answers 400 {"error":"model is required"} without a model', async () => {
    const r = await post('/api/chat', { messages: [] });
    expect(r.status).toBe(400);
    expect(await r.text()).toBe('{"error":"model is required"}');
  });
});

describe('pacing, splitting, delays', () => {
  it('tokensPerSecond paces the deltas (20 tokens at 100 tok/s take >= 150 ms)', async () => {
    const reply = Array.from({ length: 20 }, (_, i) => ` w${'abcdefghijklmnopqrst'[i]}`).join('');
    expect(tokenize(reply)).toHaveLength(20);
    llm.queue({ reply, tokensPerSecond: 100 });
    const t0 = performance.now();
    const res = await post('/v1/chat/completions', chatBody('x'));
    const chunks = await readChunks(res);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(chunks.length).toBeGreaterThan(5); // flushed per delta, not at the end
    expect(contentOf(openAiChunks(concat(chunks).toString('utf8')).chunks)).toBe(reply);
  });

  it('split: "odd" delivers the identical bytes of a fixture in many pieces', async () => {
    const name = 'openai-text-include-usage';
    const expected = readFileSync(path.join(DEFAULT_FIXTURES_DIR, 'streams', `${name}.txt`));
    const res = await fetch(llm.url + prefixed({ fixture: name, split: 'odd' }, '/v1/chat/completions'), { method: 'POST', body: '{}' });
    const chunks = await readChunks(res);
    expect(concat(chunks).equals(expected)).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('split cuts inside multi-byte UTF-8 characters, mid-line and between CR and LF', () => {
    const buf = Buffer.from('data: {"content":"é世🎉"}\r\n\r\n', 'utf8');
    const pieces = new Splitter('odd').cut(buf);
    expect(Buffer.concat(pieces).equals(buf)).toBe(true);
    const decoder = (b: Buffer): boolean => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return true;
      } catch {
        return false;
      }
    };
    expect(pieces.some((p) => !decoder(p))).toBe(true); // some piece ends inside a character
    expect(pieces.some((p) => p[p.length - 1] === 0x0d)).toBe(true); // CR | LF
    expect(new Splitter(4).cut(buf).every((p, i, all) => p.length === 4 || i === all.length - 1)).toBe(true);
  });

  it('split with a generated stream and with pacing still reassembles to the reply', async () => {
    const reply = 'Ünïcödé 日本語 🎉🎉 — done.';
    llm.queue({ reply, split: 3 });
    llm.queue({ reply, split: 'odd', tokensPerSecond: 500 });
    const a = await readChunks(await post('/v1/chat/completions', chatBody('x')));
    expect(contentOf(openAiChunks(concat(a).toString('utf8')).chunks)).toBe(reply);
    expect(a.length).toBeGreaterThan(3);
    const b = await readChunks(await post('/api/chat', { model: 'qwen3:0.6b', messages: [] }));
    const lines = ndjson(concat(b).toString('utf8'));
    expect(lines.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe(reply);
  });

  it('delayMs waits before the response headers', async () => {
    llm.queue({ delayMs: 120 });
    const t0 = performance.now();
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    await res.text();
  });
});

describe('failures mid-stream', () => {
  it('errorAfterTokens (OpenAI): error event after N tokens, then [DONE]', async () => {
    llm.queue({ reply: 'one two three four five six', errorAfterTokens: 3 });
    const text = await (await post('/v1/chat/completions', chatBody('x'))).text();
    const { chunks, errors, done } = openAiChunks(text);
    expect(contentOf(chunks)).toBe('one two three');
    expect(errors).toEqual([{ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } }]);
    expect(done).toBe(true);
    expect(text.endsWith('data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}\n\ndata: [DONE]\n\n')).toBe(true);
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('errorAfterTokens (Ollama): an {"error"} line and no done line', async () => {
    llm.queue({ reply: 'one two three four', errorAfterTokens: 2 });
    const lines = ndjson(await (await post('/api/chat', { model: 'llama3.2:latest', messages: [] })).text());
    expect(lines[lines.length - 1]).toEqual({ error: 'an error was encountered while running the model' });
    expect(lines.some((l) => l['done'] === true)).toBe(false);
    expect(lines.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe('one two');
  });

  it('dropAfterTokens destroys the socket: reading the body rejects', async () => {
    llm.queue({ reply: 'one two three four five', dropAfterTokens: 2 });
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    llm.queue({ reply: 'one two three four five', dropAfterTokens: 2, tokensPerSecond: 1000 });
    const res2 = await post('/api/chat', { model: 'llama3.2:latest', messages: [] });
    const reader = res2.body!.getReader();
    let got = '';
    await expect(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          got += Buffer.from(value).toString('utf8');
        }
      })(),
    ).rejects.toThrow();
    expect(got).toContain('"content":"one"');
    expect(got).not.toContain('"done":true');
  });

  it('hangAfterTokens sends N tokens then stalls; aborting via AbortSignal works', async () => {
    llm.queue({ reply: 'alpha beta gamma delta', hangAfterTokens: 2 });
    const ac = new AbortController();
    const res = await post('/v1/chat/completions', chatBody('x'), {}, ac.signal);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('" beta"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('ended early');
      text += Buffer.from(value).toString('utf8');
    }
    const pending = reader.read();
    const raced = await Promise.race([pending.then(() => 'data'), new Promise((r) => setTimeout(() => r('stalled'), 150))]);
    expect(raced).toBe('stalled');
    ac.abort();
    await expect(pending).rejects.toThrow();
    expect(text).not.toContain('[DONE]');
  });

  it('hang: true never answers; AbortSignal aborts the fetch', async () => {
    llm.queue({ hang: true });
    const t0 = performance.now();
    await expect(post('/v1/chat/completions', chatBody('x'), {}, AbortSignal.timeout(150))).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('close() returns promptly with hung requests and hung streams open', async () => {
    const own = await startFakeLlm({ port: 0 });
    const hung = fetch(`${own.url}${prefixed({ hang: true }, '/v1/chat/completions')}`, { method: 'POST', body: JSON.stringify(chatBody('x')) });
    const res = await fetch(`${own.url}${prefixed({ hangAfterTokens: 1 }, '/api/chat')}`, { method: 'POST', body: '{"model":"m","messages":[]}' });
    const body = res.text();
    hung.catch(() => undefined);
    body.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 30));
    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(500);
    await expect(hung).rejects.toThrow();
    await expect(body).rejects.toThrow();
    await own.close(); // idempotent
  });

  it('ttlMs closes the server by itself', async () => {
    const own = await startFakeLlm({ port: 0, ttlMs: 50 });
    await new Promise((r) => setTimeout(r, 150));
    await expect(fetch(own.url + '/v1/models')).rejects.toThrow();
    await own.close();
  });
});

describe('error statuses, html, unknown routes', () => {
  const statuses = [400, 401, 403, 404, 429, 500, 503] as const;

  it.each(statuses)('OpenAI kind answers %i with the OpenAI error envelope', async (status) => {
    llm.queue({ status });
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toMatch(/^\{\n {4}"error": \{/); // pretty-printed, as api.openai.com does
    const body = JSON.parse(text) as { error: { message: string; type: string; param: unknown; code: unknown } };
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('OpenAI 401 / 404 / 429 / 500 carry the real codes and types', async () => {
    const get = async (s: Scenario, headers: Record<string, string> = {}): Promise<{ error: JsonObject }> =>
      (await (await post(prefixed(s, '/v1/chat/completions'), chatBody('x'), headers)).json()) as { error: JsonObject };
    const e401 = await get({ status: 401 }, { authorization: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz1234' });
    expect(e401.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(e401.error['message']).toBe(
      `Incorrect API key provided: sk-proj-${'*'.repeat(26)}1234. You can find your API key at https://platform.openai.com/account/api-keys.`,
    );
    expect((await get({ status: 404 })).error).toMatchObject({ code: 'model_not_found', message: 'The model `gpt-4o-mini` does not exist or you do not have access to it.' });
    expect((await get({ status: 429 })).error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect((await get({ status: 429, quota: true })).error).toMatchObject({ code: 'insufficient_quota', type: 'insufficient_quota' });
    expect((await get({ status: 500 })).error).toMatchObject({ type: 'server_error', code: null });
  });

  it('Ollama kind answers with {"error":"<string>"} bodies', async () => {
    const get = async (status: (typeof statuses)[number]): Promise<Response> =>
      post(prefixed({ status }, '/api/chat'), { model: 'nope:1b', messages: [] });
    const r404 = await get(404);
    expect(r404.status).toBe(404);
    expect(await r404.text()).toBe(`{"error":"model 'nope:1b' not found"}`);
    expect(await (await get(401)).text()).toBe('{"error":"unauthorized"}');
    const r403 = await get(403);
    expect(r403.status).toBe(403);
    expect(await r403.text()).toBe(''); // gin AbortWithStatus: no body
    for (const s of [400, 429, 500, 503] as const) {
      const r = await get(s);
      expect(r.status).toBe(s);
      const body = (await r.json()) as { error: unknown };
      expect(typeof body.error).toBe('string');
    }
  });

  it('a URL-prefix status applies to model listings too', async () => {
    const r = await fetch(llm.url + prefixed({ status: 401 }, '/v1/models'));
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: JsonObject }).error['code']).toBe('invalid_api_key');
    const o = await fetch(llm.url + prefixed({ status: 500 }, '/api/tags'));
    expect(o.status).toBe(500);
    expect(((await o.json()) as { error: string }).error).toMatch(/llama runner/);
  });

  it('html: true answers 200 text/html with a login page, for chat and listings', async () => {
    for (const p of ['/v1/models', '/api/tags']) {
      const r = await fetch(llm.url + prefixed({ html: true }, p));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await r.text()).toMatch(/^<!DOCTYPE html>[\s\S]*<form/);
    }
    llm.queue({ html: true });
    const c = await post('/v1/chat/completions', chatBody('x'));
    expect(c.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(c.clone().json()).rejects.toThrow();
    await c.text();
  });

  it('unknown routes answer each kind\'s 404', async () => {
    const a = await post('/v1/nope', {});
    expect(a.status).toBe(404);
    expect(((await a.json()) as { error: JsonObject }).error['message']).toBe('Invalid URL (POST /v1/nope)');
    const b = await fetch(llm.url + '/api/nope');
    expect(b.status).toBe(404);
    expect(await b.text()).toBe('404 page not found');
  });
});

describe('CORS', () => {
  it('echoes the Origin on responses and answers preflight with requested headers', async () => {
    const r = await fetch(llm.url + '/v1/models', { headers: { origin: ORIGIN } });
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await r.text();
    const noOrigin = await fetch(llm.url + '/v1/models');
    expect(noOrigin.headers.get('access-control-allow-origin')).toBe('*');
    await noOrigin.text();
    const pre = await fetch(llm.url + '/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-test' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    const allowed = pre.headers.get('access-control-allow-headers')!.split(',').map((s) => s.trim());
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-test']));
    expect(Number(pre.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('cors: false omits every Access-Control-* header, preflight included', async () => {
    const p = prefixed({ cors: false }, '/v1/models');
    const r = await fetch(llm.url + p, { headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    expect([...r.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    await r.text();
    const pre = await fetch(llm.url + p, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
    expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    llm.queue({ cors: false });
    const c = await post('/v1/chat/completions', chatBody('x'), { origin: ORIGIN });
    expect(c.headers.get('access-control-allow-origin')).toBeNull();
    await c.text();
  });

  it('error and streaming responses carry CORS headers too', async () => {
    llm.queue({ status: 429 });
    const r = await post('/v1/chat/completions', chatBody('x'), { origin: ORIGIN });
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(r.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    await r.text();
    const s = await post('/api/chat', { model: 'm', messages: [] }, { origin: ORIGIN });
    expect(s.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await s.text();
  });
});

describe('fixtures', () => {
  const streamsDir = path.join(DEFAULT_FIXTURES_DIR, 'streams');
  const cases = existsSync(streamsDir)
    ? readdirSync(streamsDir)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => f.slice(0, -4))
    : [];

  it('the default fixturesDir is <repo>/../shared/fixtures and has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('serves every fixture byte-exact with the sidecar contentType and status', async () => {
    for (const name of cases) {
      const sidecar = JSON.parse(readFileSync(path.join(streamsDir, `${name}.json`), 'utf8')) as { contentType: string; status: number };
      const expected = readFileSync(path.join(streamsDir, `${name}.txt`));
      const endpoint = sidecar.contentType.includes('ndjson') ? '/api/chat' : '/v1/chat/completions';
      llm.queue({ fixture: name });
      const res = await post(endpoint, { model: 'x', messages: [] });
      expect(res.status, name).toBe(sidecar.status);
      expect(res.headers.get('content-type'), name).toBe(sidecar.contentType);
      expect(Buffer.from(await res.arrayBuffer()).equals(expected), name).toBe(true);
    }
  });

  it('applies tokensPerSecond per event to fixtures', async () => {
    const name = 'ollama-chat-text';
    const expected = readFileSync(path.join(streamsDir, `${name}.txt`));
    const t0 = performance.now();
    const res = await post(prefixed({ fixture: name, tokensPerSecond: 200 }, '/api/chat'), {});
    const chunks = await readChunks(res);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(80); // 22 lines at 200/s ≈ 110 ms
    expect(concat(chunks).equals(expected)).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('answers 500 with an explanation for a missing fixture', async () => {
    llm.queue({ fixture: 'no-such-case' });
    const r = await post('/v1/chat/completions', chatBody('x'));
    expect(r.status).toBe(500);
    expect(await r.text()).toMatch(/no-such-case/);
  });
});

describe('scenario selection', () => {
  it('the URL prefix routes the rest of the path and beats queue and model scenarios', async () => {
    llm.queue({ reply: 'from queue' });
    llm.setScenario('gpt-4o-mini', { reply: 'from model' });
    const viaPrefix = await post(prefixed({ reply: 'from prefix' }, '/v1/chat/completions'), chatBody('x'));
    expect(contentOf(openAiChunks(await viaPrefix.text()).chunks)).toBe('from prefix');
    // the prefix did not consume the queue
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('from queue');
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('from model');
    llm.setScenario('gpt-4o-mini', null);
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('You said: x');
    // a prefixed connection URL works for listings as well
    const models = await fetch(`${llm.url}${prefixed({ reply: 'r' }, '/v1/models')}`);
    expect(models.status).toBe(200);
    await models.text();
  });

  it('the literal encoded URL form from the brief works', async () => {
    const r = await fetch(`${llm.url}/x/%7B%22cors%22%3Afalse%7D/v1/models`, { headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    await r.text();
  });

  it('the queue is FIFO and each entry applies to one chat request (listings do not consume it)', async () => {
    await post('/__fake/queue', { scenario: { reply: 'first' } });
    llm.queue({ reply: 'second' });
    await (await fetch(llm.url + '/v1/models')).text();
    const a = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks);
    const b = ndjson(await (await post('/api/chat', { model: 'qwen3:0.6b', messages: [] })).text());
    const c = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('third'))).text()).chunks);
    expect(a).toBe('first');
    expect(b.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe('second');
    expect(c).toBe('You said: third');
  });

  it('POST /__fake/scenario registers a scenario for a model id', async () => {
    expect((await post('/__fake/scenario', { model: 'qwen3:0.6b', scenario: { reply: 'per model' } })).status).toBe(200);
    const lines = ndjson(await (await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'p' })).text());
    expect(lines.slice(0, -1).map((l) => l['response']).join('')).toBe('per model');
    const other = ndjson(await (await post('/api/generate', { model: 'llama3.2:latest', prompt: 'p' })).text());
    expect(other.slice(0, -1).map((l) => l['response']).join('')).toBe('You said: p');
  });

  it('rejects invalid scenarios (control endpoints, prefix, API)', async () => {
    const r = await post('/__fake/queue', { scenario: { replay: 'typo' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/replay/);
    expect((await post('/__fake/scenario', { model: 'm', scenario: { status: 418 } })).status).toBe(400);
    const bad = await fetch(`${llm.url}/x/%7Bnot-json/v1/models`);
    expect(bad.status).toBe(400);
    await bad.text();
    expect(() => llm.queue({ split: 0 })).toThrow();
    expect(() => parseScenario({ fixture: '../../etc/passwd' })).toThrow();
    expect(parseScenario({ split: 'odd', status: 429, quota: true, tokens: 10 })).toEqual({ split: 'odd', status: 429, quota: true, tokens: 10 });
  });
});

describe('request recording', () => {
  it('records every request with method, path, query, headers and parsed body', async () => {
    await (await fetch(llm.url + '/v1/models?limit=5', { headers: { authorization: 'Bearer sk-test-123' } })).text();
    await (
      await fetch(llm.url + '/v1/chat/completions', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } })
    ).text();
    await (await post(prefixed({ reply: 'r' }, '/v1/chat/completions'), chatBody('rec'), { authorization: 'Bearer sk-abc', 'x-test': 'yes' })).text();
    await (await post('/api/generate', 'plain text body', { 'content-type': 'text/plain' })).text();
    const recs = llm.requests();
    expect(recs.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'OPTIONS /v1/chat/completions',
      'POST /v1/chat/completions',
      'POST /api/generate',
    ]);
    expect(recs[0]!.query).toEqual({ limit: '5' });
    expect(recs[0]!.headers['authorization']).toBe('Bearer sk-test-123');
    expect(recs[1]!.body).toBeNull();
    const chat = recs[2]!;
    expect(chat.headers['authorization']).toBe('Bearer sk-abc');
    expect(chat.headers['x-test']).toBe('yes');
    expect(chat.body).toEqual(chatBody('rec'));
    expect(chat.scenario).toEqual({ reply: 'r' });
    expect(chat.url.startsWith('/x/')).toBe(true);
    expect(recs[3]!.body).toBe('plain text body');
    expect(typeof chat.at).toBe('number');
    // GET /__fake/requests returns the same, and control calls are not recorded
    const viaHttp = (await (await fetch(llm.url + '/__fake/requests')).json()) as unknown[];
    expect(viaHttp).toHaveLength(4);
    llm.reset();
    expect(llm.requests()).toEqual([]);
  });
});

describe('extras', () => {
  it('embeddings: deterministic unit vectors for /v1/embeddings and /api/embed', async () => {
    const a = (await (await post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['red apple', 'red apple', 'blue sky'], dimensions: 32 })).json()) as {
      data: Array<{ embedding: number[]; index: number }>;
    };
    expect(a.data).toHaveLength(3);
    expect(a.data[0]!.embedding).toHaveLength(32);
    expect(a.data[0]!.embedding).toEqual(a.data[1]!.embedding);
    const norm = Math.hypot(...a.data[2]!.embedding);
    expect(norm).toBeCloseTo(1, 5);
    const o = (await (await post('/api/embed', { model: 'nomic-embed-text', input: 'hello' })).json()) as { embeddings: number[][] };
    expect(o.embeddings[0]).toHaveLength(768);
  });
});

describe('tokens.ts', () => {
  it('tokenize is lossless, ~4 chars a token, and never splits surrogate pairs', () => {
    const s = 'Hello, world! Internationalization 12345\n\n```ts\n  const x = 1;\n```\n日本語のテキスト 👨‍👩‍👧 🎉';
    const toks = tokenize(s);
    expect(toks.join('')).toBe(s);
    expect(s.length / toks.length).toBeGreaterThan(2.5);
    expect(s.length / toks.length).toBeLessThan(6);
    for (const t of toks) expect(t).toBe(Buffer.from(t, 'utf8').toString('utf8')); // no lone surrogates
    expect(toks).toContain(' world');
    expect(toks).toContain('\n\n');
  });

  it('loremMarkdown(N) is deterministic, about N tokens, with realistic markdown', () => {
    const md = loremMarkdown(2000);
    expect(loremMarkdown(2000)).toBe(md);
    expect(Math.abs(countTokens(md) - 2000)).toBeLessThan(100);
    const fences = md.match(/^```\w+$/gm) ?? [];
    expect(fences).toHaveLength(3);
    const blocks = md.match(/^```\w+\n[\s\S]*?\n```$/gm) ?? [];
    for (const b of blocks) expect(b.split('\n').length - 2).toBe(40);
    expect(md).toMatch(/^# /m);
    expect(md).toMatch(/^## /m);
    expect(md).toMatch(/^- /m);
    expect(md).toMatch(/^1\. /m);
    expect(md).toMatch(/^\| --- \|/m);
    expect(md).toMatch(/\$\$\n[\s\S]+?\n\$\$/);
    expect(md).toMatch(/[^$]\$[^$\n]+\$[^$]/);
    for (const n of [1, 20, 200, 5000]) expect(Math.abs(countTokens(loremMarkdown(n)) - n)).toBeLessThanOrEqual(Math.max(2, n * 0.05));
  });
});
