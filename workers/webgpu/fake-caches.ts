import { modelFiles, type ModelRecordLike } from '../../src/core/webgpu/model-source';
import type { FileCache, FileCacheStorage } from './failed-file';
import type { FakeWebLlm } from './fake-runtime';
import type { WebLlmAppConfig } from './runtime';

/**
 * FakeWebLlm's cache as web-llm's three Cache API caches would hold it, read-only: for a model
 * whose download started, its config (tokenizer_files: tokenizer.json), library, tokenizer and
 * tensor-cache.json (one record per fake shard, params_shard_<i>.bin), and the shards fetched so
 * far. For findMissingModelFile in tests (and an e2e worker running the fake).
 */
export function fakeCacheStorage(rt: FakeWebLlm, appConfig: WebLlmAppConfig): FileCacheStorage {
  const stored = (): Map<string, Map<string, string>> => {
    const caches = new Map<string, Map<string, string>>();
    for (const [modelId, have] of rt.cachedShards) {
      const record = appConfig.model_list.find((r) => r.model_id === modelId) as ModelRecordLike | undefined;
      if (!record) continue;
      const records = Array.from({ length: rt.shards }, (_, i) => ({ dataPath: `params_shard_${i}.bin` }));
      for (const f of modelFiles(record, { tensorCache: { records } })) {
        const shard = /^params_shard_(\d+)\.bin$/.exec(f.name);
        if (shard && Number(shard[1]) >= have) continue;
        const body =
          f.name === 'mlc-chat-config.json' ? JSON.stringify({ tokenizer_files: ['tokenizer.json'] })
          : f.name === 'tensor-cache.json' ? JSON.stringify({ records })
          : '';
        const cache = caches.get(f.cache) ?? new Map<string, string>();
        cache.set(f.url, body);
        caches.set(f.cache, cache);
      }
    }
    return caches;
  };
  return {
    has: async (name) => stored().has(name),
    open: async (name): Promise<FileCache> => ({
      match: async (url) => {
        const body = stored().get(name)?.get(url);
        return body === undefined ? undefined : { text: async () => body };
      },
    }),
  };
}
