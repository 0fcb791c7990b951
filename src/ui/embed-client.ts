import * as Comlink from 'comlink';
import { abortedError } from '../core/providers/transport-errors';
import type { Embedder } from '../core/rag/types';
import type { EmbedApi, EmbedConfig, EmbedderInfo, EmbedLoadProgress } from '../../workers/embed-api';

export interface EmbedClient extends EmbedApi {
  /** An Embedder (the port ingestion and retrieval take) for the embedder `load` gave. */
  embedder(info: EmbedderInfo): Embedder;
  dispose(): void;
}

/**
 * The embedding worker, started when knowledge first needs vectors: its code (and
 * transformers.js, which it imports only for the in-browser engine) is not in the first load.
 */
export function startEmbed(): EmbedClient {
  const worker = new Worker(new URL('../../workers/embed.worker.ts', import.meta.url), { type: 'module', name: 'parley-embed' });
  const remote = Comlink.wrap<EmbedApi>(worker);
  const client: EmbedClient = {
    load: (config: EmbedConfig, onProgress?: (p: EmbedLoadProgress) => void) => remote.load(config, onProgress ? Comlink.proxy(onProgress) : undefined),
    embed: (id, texts) => remote.embed(id, texts),
    importModel: (modelId, files) => remote.importModel(modelId, files),
    storedModels: () => remote.storedModels(),
    deleteModel: (modelId) => remote.deleteModel(modelId),
    unload: () => remote.unload(),
    embedder: (info) => workerEmbedder(client, info),
    dispose: () => worker.terminate(),
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
