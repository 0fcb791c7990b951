import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { modelBaseUrl } from '../../src/core/webgpu/model-source';
import { cachedModelBytes, type CacheLike, type CacheStorageLike } from './cache-size';

/** An in-memory CacheStorage: cache name → url → (content-length header or null, body size). */
function fakeCaches(content: Record<string, Record<string, { length: string | null; size: number }>>): CacheStorageLike {
  return {
    has: async (name) => name in content,
    open: async (name): Promise<CacheLike> => {
      const entries = content[name] ?? {};
      return {
        keys: async () => Object.keys(entries).map((url) => ({ url })),
        match: async (req) => {
          const e = entries[req];
          return e && { headers: { get: (h: string) => (h === 'content-length' ? e.length : null) }, blob: async () => ({ size: e.size }) };
        },
      };
    },
  };
}

const record = (id: string) => {
  const r = prebuiltAppConfig.model_list.find((m) => m.model_id === id);
  if (!r) throw new Error(id);
  return r;
};

describe('cachedModelBytes', () => {
  it('sums weights, tokenizer, config and library per model; body size when no content-length', async () => {
    const llama = record('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    const base = modelBaseUrl(llama.model);
    expect(base).toBe('https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC/resolve/main/');
    const caches = fakeCaches({
      'webllm/model': {
        [`${base}params_shard_0.bin`]: { length: '33554432', size: 0 },
        [`${base}params_shard_1.bin`]: { length: null, size: 1000 },
        [`${base}tokenizer.json`]: { length: '2000', size: 2000 },
        'https://huggingface.co/mlc-ai/other/resolve/main/params_shard_0.bin': { length: '5', size: 5 },
      },
      'webllm/config': { [`${base}mlc-chat-config.json`]: { length: '300', size: 300 } },
      'webllm/wasm': { [llama.model_lib]: { length: '4000000', size: 4000000 } },
    });
    const sizes = await cachedModelBytes(caches, prebuiltAppConfig);
    expect(sizes.get('Llama-3.2-1B-Instruct-q4f32_1-MLC')).toBe(33554432 + 1000 + 2000 + 300 + 4000000);
    expect(sizes.has('Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(false);
    expect(sizes.size).toBe(1);
  });

  it('no caches: nothing', async () => {
    expect((await cachedModelBytes(fakeCaches({}), prebuiltAppConfig)).size).toBe(0);
  });
});
