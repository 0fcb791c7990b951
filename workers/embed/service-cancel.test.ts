import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../../src/core/providers/test-fetch';
import type { RemoteEmbedConfig } from '../embed-api';
import type { TransformersLike } from './local';
import type { CachesPort } from './model-store';
import { createEmbedService } from './service';

/**
 * Cancelling embed calls (EmbedApi.cancel) and the remote timeout: a request to a server that
 * stopped answering is aborted and the next call runs; an in-browser batch cannot be stopped,
 * but its caller is answered at once and the next call waits only for that batch.
 */

const noCaches: CachesPort = { open: () => Promise.reject(new Error('no caches in this test')) };

/** A fetch whose requests to `/hang` never answer (they reject only on abort, as fetch does); the rest answer Ollama-style. */
function server() {
  const signals: AbortSignal[] = [];
  const f = fakeFetch((url, init) => {
    if (url.includes('/hang/')) {
      return new Promise<Response>((_, reject) => {
        signals.push(init.signal!);
        init.signal!.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
      });
    }
    const input = (JSON.parse(String(init.body)) as { input: string[] }).input;
    return new Response(JSON.stringify({ embeddings: input.map((t) => [t.length, 1]) }));
  });
  return { ...f, signals };
}

/** transformers.js whose runs (not the load's probe) wait until `release()`. */
function heldTransformers() {
  let release = () => {};
  let held = new Promise<void>((r) => (release = r));
  const runs: string[][] = [];
  const tf: TransformersLike = {
    env: {
      allowRemoteModels: true, allowLocalModels: true, localModelPath: '', remoteHost: '', remotePathTemplate: '', useBrowserCache: true, useCustomCache: false, customCache: null,
      fetch: () => Promise.reject(new Error('no network')),
      backends: { onnx: { wasm: {} } },
    },
    async pipeline() {
      return async (texts: string[]) => {
        if (texts[0] !== 'probe') {
          runs.push(texts);
          await held;
        }
        return { dims: [texts.length, 2], data: new Float32Array(texts.flatMap(() => [1, 0])) };
      };
    },
  };
  return {
    tf,
    runs,
    release: () => {
      release();
      held = new Promise<void>((r) => (release = r));
    },
  };
}

function service(opts: { fetch?: ReturnType<typeof server>['fetch']; tf?: TransformersLike; remoteTimeoutMs?: number } = {}) {
  return createEmbedService({
    transformers: async () => opts.tf ?? heldTransformers().tf,
    caches: noCaches,
    wasmPaths: '/assets/',
    hasWebGPU: async () => false,
    fetch: opts.fetch ?? server().fetch,
    ...(opts.remoteTimeoutMs !== undefined ? { remoteTimeoutMs: opts.remoteTimeoutMs } : {}),
  });
}

const ollama = (path: string): RemoteEmbedConfig => ({ engine: 'ollama', connection: { id: 'c', kind: 'ollama', url: `http://127.0.0.1:11434${path}` }, model: 'm' });

describe('embed service: cancel', () => {
  it('a remote request that hangs: cancel aborts it (the fetch sees its signal aborted) and the next call runs', async () => {
    const http = server();
    const s = service({ fetch: http.fetch });
    const hang = await s.load(ollama('/hang/'));
    const p = s.embed(hang.id, ['a'], 1);
    await expect.poll(() => http.signals.length).toBe(1);
    await s.cancel(1);
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
    expect(http.signals[0]!.aborted).toBe(true);
    // The queue moved on: a load and an embed after it both run.
    const ok = await s.load(ollama(''));
    expect(await s.embed(ok.id, ['abc'], 2)).toHaveLength(1);
  });

  it('a call cancelled while queued never runs; cancels of unknown ids are harmless', async () => {
    const http = server();
    const s = service({ fetch: http.fetch });
    const hang = await s.load(ollama('/hang/'));
    const first = s.embed(hang.id, ['a'], 1);
    const second = s.embed(hang.id, ['b'], 2);
    await expect.poll(() => http.signals.length).toBe(1);
    await s.cancel(2);
    await expect(second).rejects.toMatchObject({ kind: 'aborted' });
    await s.cancel(1);
    await expect(first).rejects.toMatchObject({ kind: 'aborted' });
    await s.cancel(99);
    expect(http.calls).toHaveLength(1);
  });

  it('a cancel that overtakes its embed call stops it on arrival', async () => {
    const http = server();
    const s = service({ fetch: http.fetch });
    const info = await s.load(ollama(''));
    await s.cancel(5);
    await expect(s.embed(info.id, ['a'], 5)).rejects.toMatchObject({ kind: 'aborted' });
    expect(http.calls).toHaveLength(0);
    expect(await s.embed(info.id, ['a'], 6)).toHaveLength(1);
  });

  it('an in-browser batch: the cancelled caller is answered at once; the next call waits for that batch only', async () => {
    const local = heldTransformers();
    const s = service({ tf: local.tf });
    const info = await s.load({ engine: 'local', modelId: 'm' });
    const running = s.embed(info.id, ['a'], 1);
    await expect.poll(() => local.runs.length).toBe(1);
    const next = s.embed(info.id, ['b'], 2);
    await s.cancel(1);
    await expect(running).rejects.toMatchObject({ kind: 'aborted' });
    // The pipeline cannot be interrupted: the next call has not started yet.
    expect(local.runs).toEqual([['a']]);
    local.release();
    await expect.poll(() => local.runs.length).toBe(2);
    local.release();
    expect(await next).toHaveLength(1);
  });
});

describe('embed service: remote timeout', () => {
  it('a server that does not answer in time: the request is aborted, the error says so, the next call runs', async () => {
    const http = server();
    const s = service({ fetch: http.fetch, remoteTimeoutMs: 20 });
    const hang = await s.load(ollama('/hang/'));
    await expect(s.embed(hang.id, ['a'])).rejects.toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^The embedding server did not answer within 20 ms/) });
    expect(http.signals[0]!.aborted).toBe(true);
    const ok = await s.load(ollama(''));
    expect(await s.embed(ok.id, ['abc'])).toHaveLength(1);
  });
});
