import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../src/core/providers/test-fetch';
import type { LocalEmbedConfig } from '../embed-api';
import { rows, type TransformersLike } from './local';
import { storeKey, type CachesPort } from './model-store';
import { configKey, createEmbedService } from './service';

/** A stand-in for transformers.js: records env and pipeline calls; vectors are [len, 1] normalized. */
function fakeTransformers(opts: { failOn?: 'webgpu' | 'all'; missing?: boolean } = {}) {
  const calls: Array<{ model: string; options: Record<string, unknown> }> = [];
  let disposed = 0;
  const tf: TransformersLike = {
    env: {
      allowRemoteModels: true,
      allowLocalModels: true,
      localModelPath: '/models/',
      remoteHost: '',
      remotePathTemplate: '',
      useBrowserCache: true,
      useCustomCache: false,
      customCache: null,
      fetch: () => Promise.reject(new Error('no network in this test')),
      backends: { onnx: { wasm: {} } },
    },
    async pipeline(_task, model, options) {
      calls.push({ model, options });
      if (opts.missing) throw new Error('`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "/models/x/config.json".');
      if (opts.failOn === 'all' || (opts.failOn === 'webgpu' && options['device'] === 'webgpu')) throw new Error('no available backend found');
      const run = async (texts: string[]) => {
        const data = new Float32Array(texts.flatMap((t) => [t.length / Math.hypot(t.length, 1), 1 / Math.hypot(t.length, 1)]));
        return { dims: [texts.length, 2], data };
      };
      return Object.assign(run, { dispose: () => void disposed++ });
    },
  };
  return { tf, calls, disposed: () => disposed };
}

const noCaches: CachesPort = { open: () => Promise.reject(new Error('no caches in this test')) };

function service(tf: TransformersLike, opts: { gpu?: boolean; fetch?: ReturnType<typeof fakeFetch>['fetch'] } = {}) {
  return createEmbedService({
    transformers: async () => tf,
    caches: noCaches,
    wasmPaths: { wasm: '/assets/ort.wasm', mjs: '/assets/ort.mjs' },
    hasWebGPU: async () => opts.gpu ?? false,
    fetch: opts.fetch ?? fakeFetch(() => new Response('{}')).fetch,
  });
}

const tiny: LocalEmbedConfig = { engine: 'local', modelId: 'parley/tiny-embedder', baseUrl: 'http://127.0.0.1:9/models', pathTemplate: '{model}/', dtype: 'fp32' };

describe('embed service: in-browser engine', () => {
  it('configures transformers.js: downloads only from the mirror, its own cache, local wasm, no proxy worker', async () => {
    const { tf, calls } = fakeTransformers();
    const info = await service(tf).load(tiny);
    expect(info).toEqual({ id: 'local:parley/tiny-embedder', maxBatch: 32, dims: 2, device: 'wasm', dtype: 'fp32' });
    expect(tf.env).toMatchObject({ allowRemoteModels: true, allowLocalModels: true, localModelPath: '/parley-local-models/', remoteHost: 'http://127.0.0.1:9/models/', remotePathTemplate: '{model}/', useBrowserCache: false, useCustomCache: true, useWasmCache: false });
    expect(tf.env.backends.onnx.wasm).toEqual({ wasmPaths: { wasm: '/assets/ort.wasm', mjs: '/assets/ort.mjs' }, proxy: false });
    expect(calls[0]).toMatchObject({ model: 'parley/tiny-embedder', options: { device: 'wasm', dtype: 'fp32' } });
  });

  it('without a base URL nothing is downloaded (remote models off)', async () => {
    const { tf } = fakeTransformers();
    await service(tf).load({ engine: 'local', modelId: 'm' });
    expect(tf.env.allowRemoteModels).toBe(false);
  });

  it('"local" files are answered by the store: a miss is a 404 without a request; mirror files go to the network', async () => {
    const { tf } = fakeTransformers();
    const http = fakeFetch(() => new Response('{}'));
    await service(tf, { fetch: http.fetch }).load(tiny);
    const miss = await tf.env.fetch('/parley-local-models/parley/tiny-embedder/config.json');
    expect(miss.status).toBe(404);
    expect(http.calls).toEqual([]);
    await tf.env.fetch('http://127.0.0.1:9/models/parley/tiny-embedder/config.json');
    expect(http.calls.map((c) => c.url)).toEqual(['http://127.0.0.1:9/models/parley/tiny-embedder/config.json']);
  });

  it('auto picks WebGPU (fp32) when there is an adapter, WASM (q8) when not', async () => {
    const gpu = fakeTransformers();
    expect(await service(gpu.tf, { gpu: true }).load({ engine: 'local', modelId: 'm' })).toMatchObject({ device: 'webgpu', dtype: 'fp32', id: 'local:m' });
    const cpu = fakeTransformers();
    expect(await service(cpu.tf, { gpu: false }).load({ engine: 'local', modelId: 'm' })).toMatchObject({ device: 'wasm', dtype: 'q8', id: 'local:m' });
  });

  it('asked for WebGPU where there is none: WASM from the start (transformers.js never tries WebGPU), same weights, a note', async () => {
    const { tf, calls } = fakeTransformers();
    const info = await service(tf, { gpu: false }).load({ engine: 'local', modelId: 'm', device: 'webgpu' });
    expect(calls.map((c) => c.options['device'])).toEqual(['wasm']);
    expect(info).toMatchObject({ device: 'wasm', dtype: 'fp32', id: 'local:m', note: expect.stringMatching(/WebGPU is not available/) });
  });

  it('WebGPU failing is reported with its code (the client retries on WASM in a fresh worker: this one is spent)', async () => {
    const { tf, calls } = fakeTransformers({ failOn: 'webgpu' });
    await expect(service(tf, { gpu: true }).load({ ...tiny, device: 'auto' })).rejects.toMatchObject({
      code: 'webgpu_failed',
      detail: 'no available backend found',
    });
    expect(calls.map((c) => c.options['device'])).toEqual(['webgpu']);
  });

  it('a failure inside transformers.js asks for a fresh worker; missing files do not', async () => {
    await expect(service(fakeTransformers({ failOn: 'all' }).tf).load(tiny)).rejects.toMatchObject({ code: 'engine_reset' });
    await expect(service(fakeTransformers({ missing: true }).tf).load(tiny)).rejects.not.toHaveProperty('code');
  });

  it('missing files with downloads off: a message that says to import or set a source', async () => {
    const { tf } = fakeTransformers({ missing: true });
    await expect(service(tf).load({ engine: 'local', modelId: 'm' })).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not stored in this browser.*import/) });
    await expect(service(tf).load(tiny)).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/missing a file .*config\.json/) });
  });

  it('embeds with the loaded id only, reuses an identical load, disposes on a new one', async () => {
    const fake = fakeTransformers();
    const s = service(fake.tf);
    const a = await s.load(tiny);
    await s.load({ ...tiny });
    expect(fake.calls).toHaveLength(1);
    const [v] = await s.embed(a.id, ['abc']);
    expect(Array.from(v!)).toEqual([Math.fround(3 / Math.hypot(3, 1)), Math.fround(1 / Math.hypot(3, 1))]);
    await s.load({ ...tiny, modelId: 'other' });
    expect(fake.disposed()).toBe(1);
    await expect(s.embed(a.id, ['x'])).rejects.toMatchObject({ code: 'embedder_changed' });
  });

  it('a load and an embed asked at once run one after the other', async () => {
    const fake = fakeTransformers();
    const s = service(fake.tf);
    const load = s.load(tiny);
    const embed = s.embed('local:parley/tiny-embedder', ['a', 'bb']);
    await load;
    expect(await embed).toHaveLength(2);
  });
});

describe('embed service: remote engines', () => {
  it('loads an Ollama embedder on a connection and embeds through fetch', async () => {
    const http = fakeFetch((_u, init) => new Response(JSON.stringify({ embeddings: (JSON.parse(String(init.body)) as { input: string[] }).input.map(() => [3, 4]) })));
    const s = service(fakeTransformers().tf, { fetch: http.fetch });
    const info = await s.load({ engine: 'ollama', connection: { id: 'c', kind: 'ollama', url: 'http://127.0.0.1:11434' }, model: 'nomic-embed-text', batch: 1 });
    expect(info).toEqual({ id: 'ollama:c:nomic-embed-text', maxBatch: 1 });
    const out = await s.embed(info.id, ['a', 'b']);
    expect(out.map((v) => Array.from(v))).toEqual([[Math.fround(0.6), Math.fround(0.8)], [Math.fround(0.6), Math.fround(0.8)]]);
    expect(http.calls.map((c) => c.url)).toEqual(['http://127.0.0.1:11434/api/embed', 'http://127.0.0.1:11434/api/embed']);
  });

  it('a changed key or URL is a new embedder load (same id, new config)', () => {
    const base = { engine: 'openai' as const, connection: { id: 'c', kind: 'openai' as const, url: 'http://a/v1' }, model: 'm' };
    expect(configKey(base)).not.toBe(configKey({ ...base, connection: { ...base.connection, key: 'k' } }));
    expect(configKey(base)).toBe(configKey({ ...base }));
  });
});

describe('rows', () => {
  it('copies each row into its own buffer and checks the shape', () => {
    const r = rows({ dims: [2, 2], data: new Float32Array([1, 0, 0, 1]) }, 2, 2);
    expect(r.map((v) => Array.from(v))).toEqual([[1, 0], [0, 1]]);
    expect(r[0]!.buffer).not.toBe(r[1]!.buffer);
    expect(r[0]!.buffer.byteLength).toBe(8);
    expect(() => rows({ dims: [1, 2], data: new Float32Array(2) }, 2, 2)).toThrow(/shape \[1, 2\]/);
  });
});

it('storeKey encodes the model id as one segment', () => {
  expect(storeKey('org/m', 'onnx/model.onnx')).toBe('https://models.parley.invalid/org%2Fm/onnx/model.onnx');
});
