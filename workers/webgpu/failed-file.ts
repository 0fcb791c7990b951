import { modelFiles, type ModelRecordLike } from '../../src/core/webgpu/model-source';
import type { WebLlmAppConfig } from './runtime';

/**
 * Which file a failed load could not get. The Cache API's own error ("Failed to execute 'add'
 * on 'Cache': Request failed") names no URL, so after the failure the worker looks at what is
 * stored: the first of modelFiles(record) (web-llm's fetch order) that is not in its cache.
 * The shards are known from tensor-cache.json and the tokenizer from mlc-chat-config.json's
 * tokenizer_files, when those are stored. Ports instead of `caches` (the real one fits), as
 * in cache-size.ts.
 */
export interface FileCacheStorage {
  has(name: string): Promise<boolean>;
  open(name: string): Promise<FileCache>;
}
export interface FileCache {
  match(request: string): Promise<{ text(): Promise<string> } | undefined>;
}

/** How many of the first missing files `probe` may ask about (web-llm fetches 4 shards at once). */
export const PROBED_FILES = 8;

/**
 * The URL of the file of `modelId` that a load could not get, or undefined (all there, or
 * unknown): the first one missing from the caches. web-llm fetches shards four at a time and a
 * failure stops the others, so several can be missing: with `probe` (e.g. a HEAD request that
 * says whether the file can be fetched now), the first of the first PROBED_FILES missing ones
 * that fails its probe is the one named; when every probe succeeds, the first missing.
 */
export async function findMissingModelFile(
  caches: FileCacheStorage,
  appConfig: WebLlmAppConfig,
  modelId: string,
  probe?: (url: string) => Promise<boolean>,
): Promise<string | undefined> {
  const record = appConfig.model_list.find((r) => r.model_id === modelId);
  if (!record) return undefined;
  const opened = new Map<string, FileCache | null>();
  const cacheOf = async (name: string): Promise<FileCache | null> => {
    if (!opened.has(name)) opened.set(name, (await caches.has(name)) ? await caches.open(name) : null);
    return opened.get(name) ?? null;
  };
  const read = async (name: string, url: string): Promise<unknown> => {
    const res = await (await cacheOf(name))?.match(url);
    if (!res) return undefined;
    try {
      return JSON.parse(await res.text()) as unknown;
    } catch {
      return undefined;
    }
  };
  const base = modelFiles(record as ModelRecordLike);
  const config = base.find((f) => f.name === 'mlc-chat-config.json');
  const index = base.find((f) => f.name === 'tensor-cache.json');
  const tokenizerFiles = config ? ((await read(config.cache, config.url)) as { tokenizer_files?: unknown } | undefined)?.tokenizer_files : undefined;
  const tokenizer = Array.isArray(tokenizerFiles) && !tokenizerFiles.includes('tokenizer.json') && tokenizerFiles.includes('tokenizer.model') ? 'tokenizer.model' : 'tokenizer.json';
  const tensorCache = index ? ((await read(index.cache, index.url)) as { records?: unknown } | undefined) : undefined;
  const records = Array.isArray(tensorCache?.records) ? (tensorCache.records as unknown[]).filter(hasDataPath) : [];
  const missing: string[] = [];
  for (const file of modelFiles(record as ModelRecordLike, { tokenizer, tensorCache: { records } })) {
    if (!(await (await cacheOf(file.cache))?.match(file.url))) missing.push(file.url);
    if (missing.length >= (probe ? PROBED_FILES : 1)) break;
  }
  if (!probe || missing.length < 2) return missing[0];
  const ok = await Promise.all(missing.map((url) => probe(url).catch(() => false)));
  return missing[ok.indexOf(false)] ?? missing[0];
}

function hasDataPath(r: unknown): r is { dataPath: string } {
  return typeof r === 'object' && r !== null && typeof (r as { dataPath?: unknown }).dataPath === 'string';
}
