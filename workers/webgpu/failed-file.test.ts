import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { modelBaseUrl } from '../../src/core/webgpu/model-source';
import { findMissingModelFile, type FileCache, type FileCacheStorage } from './failed-file';
import { fakeCacheStorage } from './fake-caches';
import { FakeWebLlm } from './fake-runtime';

/** In-memory caches: cache name → url → body. */
function caches(content: Record<string, Record<string, string>>): FileCacheStorage {
  return {
    has: async (name) => name in content,
    open: async (name): Promise<FileCache> => ({
      match: async (url) => {
        const body = content[name]?.[url];
        return body === undefined ? undefined : { text: async () => body };
      },
    }),
  };
}

const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const record = prebuiltAppConfig.model_list.find((r) => r.model_id === LLAMA)!;
const base = modelBaseUrl(record.model);
const config = (tokenizerFiles: string[]) => ({ [`${base}mlc-chat-config.json`]: JSON.stringify({ tokenizer_files: tokenizerFiles }) });
const index = JSON.stringify({ records: [{ dataPath: 'params_shard_0.bin' }, { dataPath: 'params_shard_1.bin' }] });

describe('findMissingModelFile', () => {
  it('nothing stored: the config, the first file web-llm fetches', async () => {
    expect(await findMissingModelFile(caches({}), prebuiltAppConfig, LLAMA)).toBe(`${base}mlc-chat-config.json`);
  });

  it('then the library, the tokenizer named by tokenizer_files, the index, the shards from the index', async () => {
    const wasm = { [record.model_lib]: 'wasm' };
    expect(await findMissingModelFile(caches({ 'webllm/config': config(['tokenizer.json']) }), prebuiltAppConfig, LLAMA)).toBe(record.model_lib);
    expect(await findMissingModelFile(caches({ 'webllm/config': config(['tokenizer.model']), 'webllm/wasm': wasm }), prebuiltAppConfig, LLAMA)).toBe(`${base}tokenizer.model`);
    const model = { [`${base}tokenizer.json`]: '{}' };
    expect(await findMissingModelFile(caches({ 'webllm/config': config(['tokenizer.json']), 'webllm/wasm': wasm, 'webllm/model': model }), prebuiltAppConfig, LLAMA)).toBe(`${base}tensor-cache.json`);
    const withShard0 = { ...model, [`${base}tensor-cache.json`]: index, [`${base}params_shard_0.bin`]: 'x' };
    const all = { 'webllm/config': config(['tokenizer.json']), 'webllm/wasm': wasm, 'webllm/model': withShard0 };
    expect(await findMissingModelFile(caches(all), prebuiltAppConfig, LLAMA)).toBe(`${base}params_shard_1.bin`);
    const complete = { ...all, 'webllm/model': { ...withShard0, [`${base}params_shard_1.bin`]: 'x' } };
    expect(await findMissingModelFile(caches(complete), prebuiltAppConfig, LLAMA)).toBeUndefined();
    expect(await findMissingModelFile(caches(complete), prebuiltAppConfig, 'No-Such-Model')).toBeUndefined();
  });

  it('several shards missing (web-llm fetches four at once): the first one its probe cannot fetch', async () => {
    const shards = Array.from({ length: 12 }, (_, i) => ({ dataPath: `params_shard_${i}.bin` }));
    const stored = {
      'webllm/config': config(['tokenizer.json']),
      'webllm/wasm': { [record.model_lib]: 'wasm' },
      'webllm/model': { [`${base}tokenizer.json`]: '{}', [`${base}tensor-cache.json`]: JSON.stringify({ records: shards }), [`${base}params_shard_0.bin`]: 'x' },
    };
    const asked: string[] = [];
    const probe = async (url: string) => {
      asked.push(url);
      return !url.endsWith('params_shard_3.bin');
    };
    expect(await findMissingModelFile(caches(stored), prebuiltAppConfig, LLAMA, probe)).toBe(`${base}params_shard_3.bin`);
    // Only the first few missing files are asked about.
    expect(asked).toHaveLength(8);
    // Every probe fine (a passing network failure): the first missing one.
    expect(await findMissingModelFile(caches(stored), prebuiltAppConfig, LLAMA, async () => true)).toBe(`${base}params_shard_1.bin`);
    // A probe that throws counts as a failure.
    expect(await findMissingModelFile(caches(stored), prebuiltAppConfig, LLAMA, async () => { throw new TypeError('Failed to fetch'); })).toBe(`${base}params_shard_1.bin`);
  });

  it("over the fake runtime's cache: the shard its missing-file failure stopped at", async () => {
    const rt = new FakeWebLlm({ appConfig: prebuiltAppConfig, shards: 4, failures: { [LLAMA]: { kind: 'missing-file', shard: 0 } } });
    await expect(rt.reload(LLAMA)).rejects.toThrow("Failed to execute 'add' on 'Cache': Request failed");
    expect(await findMissingModelFile(fakeCacheStorage(rt, prebuiltAppConfig), prebuiltAppConfig, LLAMA)).toBe(`${base}params_shard_0.bin`);
    rt.fail(LLAMA, undefined);
    await rt.reload(LLAMA);
    expect(await findMissingModelFile(fakeCacheStorage(rt, prebuiltAppConfig), prebuiltAppConfig, LLAMA)).toBeUndefined();
  });
});
