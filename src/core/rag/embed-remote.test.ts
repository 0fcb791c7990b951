import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../providers/test-fetch';
import {
  buildOllamaEmbedRequest,
  buildOpenAIEmbeddingsRequest,
  embedTimeoutMessage,
  l2normalize,
  ollamaEmbedder,
  openaiEmbedder,
  parseOllamaEmbeddings,
  parseOpenAIEmbeddings,
  type EmbedConnection,
} from './embed-remote';

/** The recorded replies in ../shared/fixtures/embeddings (beside the repository, not in it). */
const root = path.resolve(__dirname, '../../../../shared/fixtures/embeddings');
const present = existsSync(root);
const fixture = (name: string) => readFileSync(path.join(root, name), 'utf8');
const sidecar = (name: string) => JSON.parse(fixture(`${name}.json`)) as { expected: { count: number; dimensions: number; first3: number[] } };

const openai: EmbedConnection = { id: 'c1', kind: 'openai', url: 'https://api.example.com/v1/', key: 'sk-1' };
const ollama: EmbedConnection = { id: 'c2', kind: 'ollama', url: 'http://localhost:11434' };

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const norm = (v: Float32Array) => Math.hypot(...v);
const sentInputs = (init: RequestInit) => (JSON.parse(String(init.body)) as { input: string[] }).input;

/** An OpenAI-style server giving text i the vector [len, i+1, 0] (not normalized), data in reverse order. */
function openAIServer(dims = 3) {
  return fakeFetch((_url, init) => {
    const input = sentInputs(init);
    const data = input.map((t, index) => ({ object: 'embedding', index, embedding: [t.length, index + 1, ...new Array<number>(dims - 2).fill(0)] }));
    return json({ object: 'list', data: data.reverse(), model: 'm' });
  });
}

describe.skipIf(!present)('recorded replies', () => {
  it('OpenAI /v1/embeddings: one 1536-dim vector, normalized, same direction', async () => {
    const exp = sidecar('openai-v1-embeddings').expected;
    const { fetch, calls } = fakeFetch(() => new Response(fixture('openai-v1-embeddings.body.json'), { headers: { 'content-type': 'application/json' } }));
    const [v] = await openaiEmbedder(openai, 'text-embedding-ada-002', fetch).embed(['Hello world']);
    expect(calls[0]!.url).toBe('https://api.example.com/v1/embeddings');
    expect(v).toHaveLength(exp.dimensions);
    expect(norm(v!)).toBeCloseTo(1, 5);
    // ada-002 vectors already have length ≈ 1, so the first values barely move.
    exp.first3.forEach((x, i) => expect(v![i]).toBeCloseTo(x, 4));
  });

  it('Ollama /api/embed: one 768-dim vector, normalized, proportional to the recording', async () => {
    const exp = sidecar('ollama-api-embed').expected;
    const body = fixture('ollama-api-embed.body.json');
    const raw = (JSON.parse(body) as { embeddings: number[][] }).embeddings[0]!;
    const { fetch, calls } = fakeFetch(() => new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }));
    const e = ollamaEmbedder(ollama, 'nomic-embed-text', fetch);
    const [v] = await e.embed(['hello']);
    expect(calls[0]!.url).toBe('http://localhost:11434/api/embed');
    expect(v).toHaveLength(exp.dimensions);
    expect(e.dims).toBe(exp.dimensions);
    expect(norm(v!)).toBeCloseTo(1, 5);
    const scale = Math.hypot(...raw);
    exp.first3.forEach((x, i) => expect(v![i]).toBeCloseTo(x / scale, 5));
  });

  it('a recorded body with one vector, asked for two texts, is a count error', () => {
    const body = JSON.parse(fixture('openai-v1-embeddings.body.json')) as unknown;
    expect(() => parseOpenAIEmbeddings(body, 2)).toThrow(/returned 1 embeddings for 2 texts/);
    expect(() => parseOllamaEmbeddings(JSON.parse(fixture('ollama-api-embed.body.json')), 2)).toThrow(/1 embeddings for 2 texts/);
  });
});

describe('requests', () => {
  it('OpenAI: POST base/embeddings with the key, {model, input}', () => {
    const r = buildOpenAIEmbeddingsRequest(openai, 'text-embedding-3-small', ['a', 'b']);
    expect(r.url).toBe('https://api.example.com/v1/embeddings');
    expect(r.init.method).toBe('POST');
    expect(r.init.headers['Authorization']).toBe('Bearer sk-1');
    expect(r.init.redirect).toBe('manual');
    expect(JSON.parse(r.init.body!)).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'] });
  });

  it('Azure: the deployment path with api-version and the api-key header', () => {
    const az: EmbedConnection = { id: 'a', kind: 'openai', url: 'https://res.openai.azure.com/openai/', key: 'k', azure: { apiVersion: '2024-06-01' } };
    const r = buildOpenAIEmbeddingsRequest(az, 'my embed', ['x']);
    expect(r.url).toBe('https://res.openai.azure.com/openai/deployments/my%20embed/embeddings?api-version=2024-06-01');
    expect(r.init.headers['api-key']).toBe('k');
    expect(r.init.headers['Authorization']).toBeUndefined();
  });

  it('Ollama: POST url/api/embed, the connection headers override ours', () => {
    const r = buildOllamaEmbedRequest({ ...ollama, headers: { 'X-Proxy': '1' } }, 'nomic-embed-text', ['x']);
    expect(r.url).toBe('http://localhost:11434/api/embed');
    expect(r.init.headers).toEqual({ 'content-type': 'application/json', 'X-Proxy': '1' });
    expect(JSON.parse(r.init.body!)).toEqual({ model: 'nomic-embed-text', input: ['x'] });
  });
});

describe('embedders', () => {
  it('ids name engine, connection and model', () => {
    const { fetch } = fakeFetch(() => json({}));
    expect(openaiEmbedder(openai, 'm', fetch).id).toBe('openai:c1:m');
    expect(ollamaEmbedder(ollama, 'n', fetch).id).toBe('ollama:c2:n');
  });

  it('batches by `batch`, orders by index, normalizes each vector', async () => {
    const { fetch, calls } = openAIServer();
    const e = openaiEmbedder(openai, 'm', fetch, { batch: 2 });
    expect(e.maxBatch).toBe(2);
    const texts = ['aaa', 'b', 'cc', 'dddd', 'e'];
    const out = await e.embed(texts);
    expect(calls.map((c) => sentInputs(c.init))).toEqual([['aaa', 'b'], ['cc', 'dddd'], ['e']]);
    // Within each batch of the fake, text i (0-based in the batch) is [len, i+1, 0].
    const expected = [[3, 1], [1, 2], [2, 1], [4, 2], [1, 1]].map(([a, b]) => [a! / Math.hypot(a!, b!), b! / Math.hypot(a!, b!), 0]);
    out.forEach((v, i) => expected[i]!.forEach((x, j) => expect(v[j]).toBeCloseTo(x, 6)));
  });

  it('default batch is 64 texts per call', async () => {
    const { fetch, calls } = openAIServer();
    const out = await openaiEmbedder(openai, 'm', fetch).embed(Array.from({ length: 130 }, (_, i) => `t${i}`));
    expect(out).toHaveLength(130);
    expect(calls.map((c) => sentInputs(c.init).length)).toEqual([64, 64, 2]);
  });

  it('reads base64 embeddings (encoding_format base64)', () => {
    const b64 = Buffer.from(new Float32Array([3, 4]).buffer).toString('base64');
    expect(parseOpenAIEmbeddings({ data: [{ index: 0, embedding: b64 }] }, 1)).toEqual([[3, 4]]);
  });

  it('a change of dimensions between batches is an error that names both sizes', async () => {
    let call = 0;
    const { fetch } = fakeFetch((_u, init) => json({ embeddings: sentInputs(init).map(() => new Array<number>(call++ === 0 ? 4 : 3).fill(1)) }));
    const e = ollamaEmbedder(ollama, 'n', fetch, { batch: 1 });
    await expect(e.embed(['a', 'b'])).rejects.toMatchObject({ kind: 'protocol', code: 'dimension_mismatch', message: expect.stringContaining('4 → 3') });
  });

  it('… also between two embed() calls of one embedder', async () => {
    let dims = 5;
    const { fetch } = fakeFetch((_u, init) => json({ embeddings: sentInputs(init).map(() => new Array<number>(dims).fill(1)) }));
    const e = ollamaEmbedder(ollama, 'n', fetch);
    await e.embed(['a']);
    dims = 6;
    await expect(e.embed(['b'])).rejects.toMatchObject({ code: 'dimension_mismatch' });
  });

  it('wrong counts, repeated or out-of-range indexes, and empty or NaN vectors are protocol errors', async () => {
    expect(() => parseOpenAIEmbeddings({ data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [1] }] }, 2)).toThrow(/missing or repeated/);
    expect(() => parseOpenAIEmbeddings({ data: [{ index: 1, embedding: [1] }] }, 1)).toThrow(/missing or repeated/);
    expect(() => parseOllamaEmbeddings({ embeddings: [[1]] }, 3)).toThrow(/1 embeddings for 3 texts/);
    const empty = fakeFetch(() => json({ embeddings: [[]] }));
    await expect(ollamaEmbedder(ollama, 'n', empty.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'protocol', message: expect.stringMatching(/empty/) });
    // JSON numbers cannot be NaN (the schema refuses 1e999), but base64 floats can.
    const nanB64 = Buffer.from(new Float32Array([NaN, 1]).buffer).toString('base64');
    const nan = fakeFetch(() => json({ data: [{ index: 0, embedding: nanB64 }] }));
    await expect(openaiEmbedder(openai, 'm', nan.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'protocol', message: expect.stringMatching(/non-numeric/) });
  });

  it('a body of another shape is a protocol error, with the server’s words when it sent an error', () => {
    expect(() => parseOpenAIEmbeddings({ object: 'list' }, 1)).toThrow(/not in the expected format/);
    expect(() => parseOllamaEmbeddings({ error: 'model "x" does not support embeddings' }, 1)).toThrow('model "x" does not support embeddings');
  });

  it('HTTP errors keep the server’s message and status', async () => {
    const { fetch } = fakeFetch(() => json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, 401));
    await expect(openaiEmbedder(openai, 'm', fetch).embed(['a'])).rejects.toMatchObject({
      kind: 'http',
      status: 401,
      code: 'invalid_api_key',
      message: 'Incorrect API key provided',
    });
    const notFound = fakeFetch(() => json({ error: 'model "nope" not found, try pulling it first' }, 404));
    await expect(ollamaEmbedder(ollama, 'nope', notFound.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'http', status: 404, message: expect.stringMatching(/not found/) });
  });

  it('a web page, non-JSON, an unreachable server and a redirect each get their own error', async () => {
    const page = fakeFetch(() => new Response('<!doctype html><p>login', { headers: { 'content-type': 'text/html' } }));
    await expect(openaiEmbedder(openai, 'm', page.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'protocol', message: expect.stringMatching(/web page/) });
    const junk = fakeFetch(() => new Response('not json'));
    await expect(openaiEmbedder(openai, 'm', junk.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'protocol', message: expect.stringMatching(/not JSON/) });
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(ollamaEmbedder(ollama, 'n', down.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'network' });
    const moved = fakeFetch(() => new Response(null, { status: 301, headers: { location: 'https://elsewhere/' } }));
    await expect(openaiEmbedder(openai, 'm', moved.fetch).embed(['a'])).rejects.toMatchObject({ kind: 'http', message: expect.stringMatching(/redirect/) });
  });

  it('an aborted signal stops before the next batch and makes no request', async () => {
    const ac = new AbortController();
    const { fetch, calls } = fakeFetch((_u, init) => {
      ac.abort();
      return json({ embeddings: sentInputs(init).map(() => [1, 0]) });
    });
    await expect(ollamaEmbedder(ollama, 'n', fetch, { batch: 1 }).embed(['a', 'b', 'c'], ac.signal)).rejects.toMatchObject({ kind: 'aborted' });
    expect(calls).toHaveLength(1);
  });

  it('no texts, no request', async () => {
    const { fetch, calls } = openAIServer();
    expect(await openaiEmbedder(openai, 'm', fetch).embed([])).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});

describe('a server that never answers', () => {
  /** A fetch that neither answers nor gives up by itself; it records the signal it was given. */
  const silent = (honoursAbort: boolean) => {
    const signals: AbortSignal[] = [];
    const f = fakeFetch(
      (_url, init) =>
        new Promise<Response>((_, reject) => {
          signals.push(init.signal!);
          if (honoursAbort) init.signal!.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
        }),
    );
    return { ...f, signals };
  };

  it('an abort aborts the HTTP request (the fetch sees its signal aborted) and rejects as aborted', async () => {
    const s = silent(true);
    const ac = new AbortController();
    const p = ollamaEmbedder(ollama, 'm', s.fetch).embed(['a'], ac.signal);
    await expect.poll(() => s.signals.length).toBe(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
    expect(s.signals[0]!.aborted).toBe(true);
  });

  it('after the timeout: the request is aborted and the error says the server did not answer in time', async () => {
    for (const honoursAbort of [true, false]) {
      const s = silent(honoursAbort);
      const p = openaiEmbedder(openai, 'm', s.fetch, { timeoutMs: 20 }).embed(['a']);
      await expect(p).rejects.toMatchObject({ kind: 'timeout', code: 'embed_timeout', message: embedTimeoutMessage(20) });
      expect(s.signals[0]!.aborted).toBe(true);
    }
    expect(embedTimeoutMessage(120_000)).toMatch(/^The embedding server did not answer within 120 s/);
  });
});

describe('l2normalize', () => {
  it('scales to length 1 and leaves a zero vector alone', () => {
    expect(Array.from(l2normalize(new Float32Array([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(Array.from(l2normalize(new Float32Array([0, 0])))).toEqual([0, 0]);
  });
});
