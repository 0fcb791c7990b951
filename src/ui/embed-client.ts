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
      embed: (id, texts) => remote.embed(id, texts),
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
        // Same weights as WebGPU would have used, so the embedder id does not change.
        const wasm: EmbedConfig = { ...config, device: 'wasm', dtype: config.dtype ?? 'fp32' };
        const info = await call((api) => api.load(wasm, onProgress));
        loaded = wasm;
        return { ...info, note: `WebGPU could not run this model (${err.detail ?? err.message}); using WebAssembly on the CPU instead.` };
      }
    },
    embed: (id, texts) => call((api) => api.embed(id, texts)),
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

/**
 * `embed` through the worker, `maxBatch` texts per call; an abort stops between calls (a call
 * already in the worker finishes there, its vectors are dropped).
 */
export function workerEmbedder(api: Pick<EmbedApi, 'embed'>, info: EmbedderInfo): Embedder {
  return {
    id: info.id,
    maxBatch: info.maxBatch,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += info.maxBatch) {
        if (signal?.aborted) throw abortedError();
        out.push(...(await api.embed(info.id, texts.slice(i, i + info.maxBatch))));
      }
      if (signal?.aborted) throw abortedError();
      return out;
    },
  };
}
