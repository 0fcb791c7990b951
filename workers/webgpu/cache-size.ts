import { modelBaseUrl } from '../../src/core/webgpu/model-source';
import type { WebLlmAppConfig } from './runtime';

/**
 * How many bytes each model takes in web-llm's Cache API caches (its default backend), which
 * web-llm itself does not report. Reads stored responses' content-length (headers are kept by
 * Cache.add), falling back to the body's size. Ports instead of `caches`, so node tests run it.
 * Weights are shared by ids with the same `model` URL (e.g. "…-MLC" and "…-MLC-1k"): each id
 * counts them; the storage total should come from navigator.storage.estimate(), not a sum.
 */

export interface CacheStorageLike {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<CacheLike>;
}
export interface CacheLike {
  keys(): Promise<ReadonlyArray<{ url: string }>>;
  match(url: string): Promise<ResponseLike | undefined>;
}
export interface ResponseLike {
  headers: { get(name: string): string | null };
  blob(): Promise<{ size: number }>;
}

/** web-llm's cache names (cache_util.ts CacheScope). */
export const WEBLLM_CACHES = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;

/** Bytes per model id, for the models with at least one stored file. */
export async function cachedModelBytes(caches: CacheStorageLike, appConfig: WebLlmAppConfig): Promise<Map<string, number>> {
  const sizes = new Map<string, number>(); // url → bytes, over all three caches
  for (const name of Object.values(WEBLLM_CACHES)) {
    if (!(await caches.has(name))) continue;
    const cache = await caches.open(name);
    for (const key of await cache.keys()) {
      const response = await cache.match(key.url);
      if (response) sizes.set(key.url, await sizeOf(response));
    }
  }
  const out = new Map<string, number>();
  for (const r of appConfig.model_list) {
    const base = modelBaseUrl(r.model);
    let bytes = 0;
    let files = 0;
    for (const [url, size] of sizes) {
      if (url.startsWith(base) || url === r.model_lib) {
        bytes += size;
        files++;
      }
    }
    if (files > 0) out.set(r.model_id, bytes);
  }
  return out;
}

async function sizeOf(response: ResponseLike): Promise<number> {
  const header = Number(response.headers.get('content-length'));
  if (Number.isFinite(header) && header > 0) return header;
  return (await response.blob()).size;
}
