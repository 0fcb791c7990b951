import * as Comlink from 'comlink';
import { isAppError } from '../core/errors';
import { abortedError } from '../core/providers/transport-errors';
import type { Embedder } from '../core/rag/types';
import type { EmbedApi, EmbedConfig, EmbedderInfo, EmbedLoadProgress } from '../../workers/embed-api';

export interface EmbedClient extends EmbedApi {
  /** An Embedder (the port ingestion and retrieval take) for the embedder `load` gave. */
  embedder(info: EmbedderInfo): Embedder;
  dispose(): void;
}

/** AppError codes from the worker (workers/embed/local.ts) after which only a new worker helps. */
const WEBGPU_FAILED = 'webgpu_failed';
const ENGINE_RESET = 'engine_reset';

/** One running worker: its API and how to stop it. */
export interface EmbedWorker {
  api: EmbedApi;
  terminate(): void;
}

/**
 * The embedding worker, started when knowledge first needs vectors: its code (and
 * transformers.js, which it imports only for the in-browser engine) is not in the first load.
 */
export function startEmbed(): EmbedClient {
  return createEmbedClient(() => {
    const worker = new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module', name: 'parley-embed' });
    const remote = Comlink.wrap<EmbedApi>(worker);
    const api: EmbedApi = {
      load: (config, onProgress) => remote.load(config, onProgress ? Comlink.proxy(onProgress) : undefined),
      embed: (id, texts, requestId) => remote.embed(id, texts, requestId),
      cancel: (requestId) => remote.cancel(requestId),
      importModel: (modelId, files) => remote.importModel(modelId, files),
      storedModels: () => remote.storedModels(),
      deleteModel: (modelId) => remote.deleteModel(modelId),
      unload: () => remote.unload(),
    };
    return { api, terminate: () => worker.terminate() };
  });
}

/**
 * The client over a worker that it replaces when transformers.js inside it cannot run any more
 * (after one failed session or run, every later one fails the same way): a WebGPU load that
 * fails is retried on WASM in a fresh worker (and `note` says why), and after a failed run the
 * next call starts a fresh worker and loads the same embedder again first.
 */
export function createEmbedClient(spawn: () => EmbedWorker): EmbedClient {
  let current = spawn();
  let loaded: EmbedConfig | undefined;
  let reload = false;

  const restart = () => {
    current.terminate();
    current = spawn();
    reload = loaded !== undefined;
  };
  /** Runs `fn` on the current worker; a broken engine restarts it (the error still reaches the caller). */
  const call = async <T>(fn: (api: EmbedApi) => Promise<T>): Promise<T> => {
    if (reload && loaded) {
      reload = false;
      await current.api.load(loaded);
    }
    try {
      return await fn(current.api);
    } catch (err) {
      if (isAppError(err) && (err.code === ENGINE_RESET || err.code === WEBGPU_FAILED)) restart();
      throw err;
    }
  };

  const client: EmbedClient = {
    async load(config, onProgress?: (p: EmbedLoadProgress) => void) {
      // A load replaces whatever was loaded, also when it fails (the worker unloads first).
      loaded = undefined;
      reload = false;
      try {
        const info = await call((api) => api.load(config, onProgress));
        loaded = config;
        return info;
      } catch (err) {
        if (!(config.engine === 'local' && isAppError(err) && err.code === WEBGPU_FAILED)) throw err;
        // The weights WebGPU would have used (already downloaded, so this works offline too).
        const wasm: EmbedConfig = { ...config, device: 'wasm', dtype: config.dtype ?? 'fp32' };
        const info = await call((api) => api.load(wasm, onProgress));
        loaded = wasm;
        return { ...info, note: `WebGPU could not run this model (${err.detail ?? err.message}); using WebAssembly on the CPU instead.` };
      }
    },
    embed: (id, texts, requestId) => call((api) => api.embed(id, texts, requestId)),
    // Straight to the current worker: a cancel must not wait for a reload queued before it.
    cancel: (requestId) => current.api.cancel(requestId).catch(() => undefined),
    importModel: (modelId, files) => call((api) => api.importModel(modelId, files)),
    storedModels: () => call((api) => api.storedModels()),
    deleteModel: (modelId) => call((api) => api.deleteModel(modelId)),
    unload: async () => {
      loaded = undefined;
      reload = false;
      await current.api.unload();
    },
    embedder: (info) => workerEmbedder(client, info),
    dispose: () => current.terminate(),
  };
  return client;
}

/** Request ids for `embedCancellable` (one counter per caller of an embed worker). */
let nextRequest = 1;

/**
 * `api.embed` stopped by `signal`: the call gets a request id, and an abort cancels it in the
 * worker (a remote request is aborted there, a queued one never runs) and rejects at once with an
 * `aborted` AppError, without waiting for the worker.
 */
export function embedCancellable(api: Pick<EmbedApi, 'embed' | 'cancel'>, id: string, texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
  if (signal?.aborted) return Promise.reject(abortedError());
  if (!signal) return api.embed(id, texts);
  const requestId = nextRequest++;
  return new Promise<Float32Array[]>((resolve, reject) => {
    const onAbort = () => {
      void api.cancel(requestId).catch(() => undefined);
      reject(abortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void api.embed(id, texts, requestId).then(
      (v) => (signal.aborted ? reject(abortedError()) : resolve(v)),
      (e: unknown) => reject(signal.aborted ? abortedError() : e),
    ).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * `embed` through the worker, `maxBatch` texts per call; an abort cancels the call in the worker
 * (see embedCancellable) and stops before the next one.
 */
export function workerEmbedder(api: Pick<EmbedApi, 'embed' | 'cancel'>, info: EmbedderInfo): Embedder {
  return {
    id: info.id,
    maxBatch: info.maxBatch,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += info.maxBatch) {
        if (signal?.aborted) throw abortedError();
        out.push(...(await embedCancellable(api, info.id, texts.slice(i, i + info.maxBatch), signal)));
      }
      if (signal?.aborted) throw abortedError();
      return out;
    },
  };
}
