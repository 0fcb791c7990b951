import { describe, expect, it } from 'vitest';
import { appError } from '../core/errors';
import type { EmbedApi, EmbedConfig } from '../../workers/embed-api';
import { createEmbedClient, embedCancellable, workerEmbedder, type EmbedWorker } from './embed-client';

describe('workerEmbedder', () => {
  const api = () => {
    const calls: string[][] = [];
    return { calls, embed: async (_id: string, texts: string[]) => (calls.push(texts), texts.map((t) => Float32Array.of(t.length))), cancel: async () => undefined };
  };

  it('sends maxBatch texts per call with the embedder id, vectors in order', async () => {
    const a = api();
    const e = workerEmbedder(a, { id: 'local:m:q8', maxBatch: 2 });
    expect(e.id).toBe('local:m:q8');
    const out = await e.embed(['a', 'bb', 'ccc']);
    expect(a.calls).toEqual([['a', 'bb'], ['ccc']]);
    expect(out.map((v) => v[0])).toEqual([1, 2, 3]);
  });

  it('an abort stops before the next batch', async () => {
    const ac = new AbortController();
    const a = api();
    const e = workerEmbedder({ embed: async (id, t) => (ac.abort(), a.embed(id, t)), cancel: a.cancel }, { id: 'x', maxBatch: 1 });
    await expect(e.embed(['a', 'b'], ac.signal)).rejects.toMatchObject({ kind: 'aborted' });
    expect(a.calls).toEqual([['a']]);
  });
});

describe('embedCancellable', () => {
  /** A worker whose embed never answers by itself: only its cancel settles a call. */
  const hanging = () => {
    const pending = new Map<number, (e: unknown) => void>();
    const asked: Array<number | undefined> = [];
    const cancelled: number[] = [];
    const api = {
      embed: (_id: string, _t: string[], requestId?: number) => {
        asked.push(requestId);
        return new Promise<Float32Array[]>((_, reject) => requestId !== undefined && pending.set(requestId, reject));
      },
      cancel: async (requestId: number) => {
        cancelled.push(requestId);
        pending.get(requestId)?.(appError('aborted', 'Stopped.'));
      },
    };
    return { api, asked, cancelled };
  };

  it('an abort cancels that request in the worker and rejects at once', async () => {
    const w = hanging();
    const ac = new AbortController();
    const p = embedCancellable(w.api, 'x', ['a'], ac.signal);
    expect(w.asked).toHaveLength(1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
    expect(w.cancelled).toEqual([w.asked[0]]);
  });

  it('each call has its own request id; without a signal none is sent; already aborted: nothing is asked', async () => {
    const w = hanging();
    void embedCancellable(w.api, 'x', ['a'], new AbortController().signal);
    void embedCancellable(w.api, 'x', ['b'], new AbortController().signal);
    void embedCancellable(w.api, 'x', ['c']);
    expect(new Set(w.asked.slice(0, 2)).size).toBe(2);
    expect(w.asked[2]).toBeUndefined();
    const ac = new AbortController();
    ac.abort();
    await expect(embedCancellable(w.api, 'x', ['d'], ac.signal)).rejects.toMatchObject({ kind: 'aborted' });
    expect(w.asked).toHaveLength(3);
  });
});

/** Workers whose transformers.js breaks like the real one: after one failure, everything fails. */
function fakeWorkers(opts: { webgpu: 'works' | 'fails'; failRun?: number }) {
  const spawned: Array<{ loads: EmbedConfig[]; terminated: boolean }> = [];
  let runs = 0;
  const spawn = (): EmbedWorker => {
    const w = { loads: [] as EmbedConfig[], terminated: false };
    spawned.push(w);
    let broken: unknown;
    let id = '';
    const api: EmbedApi = {
      async load(c) {
        if (broken) throw broken;
        w.loads.push(c);
        if (c.engine === 'local' && c.device === 'webgpu' && opts.webgpu === 'fails') {
          broken = appError('internal', 'WebGPU could not run m: no adapter', { code: 'webgpu_failed', detail: 'no adapter' });
          throw broken;
        }
        id = c.engine === 'local' ? `local:${c.modelId}:${c.dtype ?? 'q8'}` : 'remote';
        return { id, maxBatch: 8, device: c.engine === 'local' ? (c.device === 'webgpu' ? 'webgpu' : 'wasm') : undefined };
      },
      async embed(asked, texts) {
        if (broken) throw broken;
        if (asked !== id) throw appError('internal', 'No embedding model is loaded.');
        if (++runs === opts.failRun) {
          broken = appError('internal', 'The in-browser embedding model failed: OOM', { code: 'engine_reset' });
          throw broken;
        }
        return texts.map(() => Float32Array.of(1));
      },
      importModel: async () => ({ modelId: '', files: [], bytes: 0 }),
      storedModels: async () => [],
      deleteModel: async () => undefined,
      unload: async () => undefined,
      cancel: async () => undefined,
    };
    return { api, terminate: () => void (w.terminated = true) };
  };
  return { spawn, spawned };
}

const local: EmbedConfig = { engine: 'local', modelId: 'm', device: 'webgpu' };

describe('createEmbedClient', () => {
  it('WebGPU works: one worker, no note', async () => {
    const f = fakeWorkers({ webgpu: 'works' });
    const info = await createEmbedClient(f.spawn).load(local);
    expect(info).toMatchObject({ device: 'webgpu' });
    expect(info.note).toBeUndefined();
    expect(f.spawned).toHaveLength(1);
  });

  it('WebGPU fails: a fresh worker loads the same weights on WASM, and the note says why', async () => {
    const f = fakeWorkers({ webgpu: 'fails' });
    const client = createEmbedClient(f.spawn);
    const info = await client.load(local);
    expect(f.spawned.map((w) => w.terminated)).toEqual([true, false]);
    expect(f.spawned[1]!.loads).toEqual([{ ...local, device: 'wasm', dtype: 'fp32' }]);
    expect(info).toMatchObject({ id: 'local:m:fp32', device: 'wasm', note: 'WebGPU could not run this model (no adapter); using WebAssembly on the CPU instead.' });
    expect(await client.embed(info.id, ['a'])).toHaveLength(1);
  });

  it('a failed run restarts the worker; the next call loads the embedder again first and works', async () => {
    const f = fakeWorkers({ webgpu: 'works', failRun: 1 });
    const client = createEmbedClient(f.spawn);
    const info = await client.load({ ...local, dtype: 'fp32' });
    await expect(client.embed(info.id, ['a'])).rejects.toMatchObject({ code: 'engine_reset' });
    expect(f.spawned).toHaveLength(2);
    expect(await client.embed(info.id, ['a', 'b'])).toHaveLength(2);
    expect(f.spawned[1]!.loads).toEqual([{ ...local, dtype: 'fp32' }]);
  });

  it('other errors leave the worker alone', async () => {
    const f = fakeWorkers({ webgpu: 'works' });
    const client = createEmbedClient(f.spawn);
    await expect(client.embed('nothing', ['a'])).rejects.toMatchObject({ message: 'No embedding model is loaded.' });
    expect(f.spawned).toHaveLength(1);
  });
});
