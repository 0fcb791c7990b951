import { appError } from '../../src/core/errors';
import { abortedError } from '../../src/core/providers/transport-errors';
import { ollamaEmbedder, openaiEmbedder, type RemoteEmbedder } from '../../src/core/rag/embed-remote';
import type { EmbedApi, EmbedConfig, EmbedderInfo, EmbedLoadProgress, ModelFile } from '../embed-api';
import { sameEmbedder } from '../../src/core/rag/embedder-id';
import { loadLocalEmbedder, localEmbedderId, type LocalDeps, type LocalEmbedderHandle } from './local';
import { deleteModel, importModel, storedModels } from './model-store';

/**
 * The embedding worker's logic: one embedder loaded at a time (the in-browser one, or a
 * remote one on a connection), calls run one after another so a load never lands in the
 * middle of an embed, and every vector that leaves is checked against the loaded id.
 * An embed call with a request id can be cancelled (see EmbedApi.cancel), so a request to a
 * server that stopped answering never holds the queue longer than the caller wants (and never
 * longer than the remote engines' own timeout).
 */

/** The in-browser engine's needs; `fetch` also serves the remote engines. */
export interface EmbedServiceDeps extends LocalDeps {
  /** How long one remote embeddings request may take (default REMOTE_EMBED_TIMEOUT_MS; tests set less). */
  remoteTimeoutMs?: number;
}

type Loaded = { key: string; info: EmbedderInfo; embed: (texts: string[], signal: AbortSignal) => Promise<Float32Array[]>; dispose: () => Promise<void> };

/** Cancels remembered for calls not arrived yet (a caller's cancel can overtake its embed). */
const EARLY_CANCELS = 64;

export function createEmbedService(deps: EmbedServiceDeps): EmbedApi {
  let loaded: Loaded | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `fn` after everything queued before it, whatever their outcome. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Embed calls in flight or queued, by request id. */
  const requests = new Map<number, AbortController>();
  const early = new Set<number>();

  const unloadNow = async () => {
    const was = loaded;
    loaded = undefined;
    await was?.dispose();
  };

  async function open(config: EmbedConfig, onProgress?: (p: EmbedLoadProgress) => void): Promise<Loaded> {
    if (config.engine === 'local') {
      const h: LocalEmbedderHandle = await loadLocalEmbedder(config, deps, onProgress);
      const info: EmbedderInfo = { id: h.id, maxBatch: h.maxBatch, dims: h.dims, device: h.device, dtype: h.dtype, ...(h.note ? { note: h.note } : {}) };
      // A pipeline run cannot be interrupted: a cancel drops its vectors (see `embed` below).
      return { key: configKey(config), info, embed: (t) => h.embed(t), dispose: () => h.dispose() };
    }
    const make = config.engine === 'openai' ? openaiEmbedder : ollamaEmbedder;
    const opts = { ...(config.batch !== undefined ? { batch: config.batch } : {}), ...(deps.remoteTimeoutMs !== undefined ? { timeoutMs: deps.remoteTimeoutMs } : {}) };
    const e: RemoteEmbedder = make(config.connection, config.model, deps.fetch, opts);
    return {
      key: configKey(config),
      info: { id: e.id, maxBatch: e.maxBatch },
      embed: (t, signal) => e.embed(t, signal),
      dispose: async () => undefined,
    };
  }

  return {
    load: (config, onProgress) =>
      serial(async () => {
        const key = configKey(config);
        if (loaded?.key === key) return loaded.info;
        await unloadNow();
        loaded = await open(config, onProgress);
        return loaded.info;
      }),

    embed(id, texts, requestId) {
      const controller = new AbortController();
      const { signal } = controller;
      if (requestId !== undefined) {
        if (early.delete(requestId)) return Promise.reject(abortedError());
        requests.set(requestId, controller);
      }
      const run = serial(async () => {
        // Cancelled while queued: it never runs.
        if (signal.aborted) throw abortedError();
        if (!loaded) throw appError('internal', 'No embedding model is loaded.');
        if (loaded.info.id !== id) {
          throw appError('internal', `Another embedding model (${loaded.info.id}) was loaded in the meantime; vectors of ${id} were asked for.`, { code: 'embedder_changed' });
        }
        const was = loaded;
        const vectors = await was.embed(texts, signal);
        if (signal.aborted) throw abortedError();
        if (was.info.dims === undefined && vectors[0]) was.info.dims = vectors[0].length;
        return vectors;
      });
      if (requestId === undefined) return run;
      // The caller hears of a cancel at once, also while an in-browser batch goes on running.
      const cancelled = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(abortedError()), { once: true }));
      return Promise.race([run, cancelled]).finally(() => {
        if (requests.get(requestId) === controller) requests.delete(requestId);
      });
    },

    async cancel(requestId) {
      const c = requests.get(requestId);
      if (c) {
        c.abort();
        return;
      }
      early.add(requestId);
      if (early.size > EARLY_CANCELS) early.delete(early.values().next().value!);
    },

    importModel: (modelId: string, files: ModelFile[]) => importModel(deps.caches, modelId, files),
    storedModels: () => storedModels(deps.caches),
    deleteModel: (modelId) =>
      serial(async () => {
        if (loaded && sameEmbedder(loaded.info.id, localEmbedderId(modelId))) await unloadNow();
        await deleteModel(deps.caches, modelId);
      }),
    unload: () => serial(unloadNow),
  };
}

/** Two configs that give the same embedder share a key (the key changes with anything that changes vectors or where they come from). */
export function configKey(c: EmbedConfig): string {
  if (c.engine === 'local') return JSON.stringify(['local', c.modelId, c.baseUrl ?? null, c.pathTemplate ?? null, c.device ?? 'auto', c.dtype ?? null, c.batch ?? null]);
  const { connection: k } = c;
  return JSON.stringify([c.engine, k.id, k.url, k.key ?? null, k.authType ?? null, k.headers ?? null, k.azure ?? null, c.model, c.batch ?? null]);
}
