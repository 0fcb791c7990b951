import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyGpuError } from '../../src/core/webgpu/gpu-errors';
import { applyModelMirror, modelFiles, type ModelRecordLike } from '../../src/core/webgpu/model-source';
import { parseProgress } from '../../workers/webgpu/parse-progress';
import type { WebLlmAppConfig, WebLlmProgressReport, WebLlmRuntime } from '../../workers/webgpu/runtime';
import { MemoryCacheStorage } from './memory-caches';
import { startMirror, type Mirror } from './mirror';
import { writeModelFolder, type ModelFolder, type ModelFolderOptions } from './model-folder';
import { createStandin, type StandinOptions } from './standin-core';

const MODEL = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const F16_ONLY = 'Mistral-7B-Instruct-v0.3-q4f16_1-MLC'; // required_features: ['shader-f16']
const MIB = 1024 * 1024;
const publicList = prebuiltAppConfig.model_list as unknown as Array<ModelRecordLike & WebLlmAppConfig['model_list'][number]>;

let root: string;
let mirror: Mirror;
let appConfig: WebLlmAppConfig;
let storage: MemoryCacheStorage;
let logs: string[];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpu-standin-engine-'));
  mirror = await startMirror({ root });
  const mirrored = applyModelMirror(publicList, { weightsBase: mirror.url, libsBase: mirror.url });
  if (!mirrored.ok) throw new Error('mirror refused');
  appConfig = { ...prebuiltAppConfig, model_list: mirrored.records } as WebLlmAppConfig;
  storage = new MemoryCacheStorage();
  logs = [];
});
afterEach(async () => {
  await mirror.close();
  await rm(root, { recursive: true, force: true });
});

const record = (id: string) => appConfig.model_list.find((r) => r.model_id === id)! as ModelRecordLike;
const publicRecord = (id: string) => publicList.find((r) => r.model_id === id)!;
const folder = (id: string, more: Partial<ModelFolderOptions> = {}): Promise<ModelFolder> =>
  writeModelFolder({ record: publicRecord(id), layout: 'mirror', dir: root, ...more });
const standin = (more: Partial<StandinOptions> = {}) =>
  createStandin({ appConfig, reply: 'Hello from the stand-in.', ...more }, { caches: () => storage.asCacheStorage(), logger: (l) => logs.push(l) });
/** The URL paths of every file of `id`, in web-llm's order (as the mirror logs them). */
const paths = (id: string, f: ModelFolder) => modelFiles(record(id), { tensorCache: f.tensorCache }).map((x) => new URL(x.url).pathname);

function watch(engine: WebLlmRuntime) {
  const reports: WebLlmProgressReport[] = [];
  const waiters: Array<{ prefix: string; ok: () => void }> = [];
  engine.setInitProgressCallback((r) => {
    reports.push(r);
    for (const w of waiters.filter((x) => r.text.startsWith(x.prefix))) w.ok();
  });
  const until = (prefix: string) => new Promise<void>((ok) => waiters.push({ prefix, ok }));
  return { reports, texts: () => reports.map((r) => r.text.replace(/\d+ secs elapsed/, 'S secs elapsed')), until };
}

describe('the web-llm stand-in over a real mirror and a Cache API', () => {
  it('downloads config, library, tokenizer, index and shards in web-llm’s order, reporting web-llm’s texts', async () => {
    const f = await folder(MODEL);
    const { MLCEngine } = standin();
    const engine = new MLCEngine({ appConfig });
    const w = watch(engine);
    await engine.reload(MODEL);

    const p = paths(MODEL, f);
    expect(mirror.gets().slice(0, 4)).toEqual(p.slice(0, 4));
    expect(mirror.gets().slice(4).sort()).toEqual(p.slice(4).sort());
    expect(mirror.gets()).toHaveLength(8);
    // Every file under the URL and in the cache web-llm uses.
    for (const file of modelFiles(record(MODEL), { tensorCache: f.tensorCache })) expect(storage.urls(file.cache)).toContain(file.url);
    expect(storage.urls('webllm/config')).toHaveLength(1);
    expect(storage.urls('webllm/wasm')).toHaveLength(1);

    const texts = w.texts();
    expect(texts[0]).toBe('Start to fetch params');
    expect(texts.slice(1, 5)).toEqual(
      [1, 2, 3, 4].map(
        (k) =>
          `Fetching param cache[${k}/4]: ${k}MB fetched. ${k * 25}% completed, S secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`,
      ),
    );
    expect(texts.slice(5, 9)).toEqual([1, 2, 3, 4].map((k) => `Loading model from cache[${k}/4]: ${k}MB loaded. ${k * 25}% completed, S secs elapsed.`));
    expect(texts.slice(9, 11).every((t) => t.startsWith('Loading GPU shader modules['))).toBe(true);
    expect(texts.at(-1)).toBe('Finish loading on WebGPU - fake');
    expect(texts).toHaveLength(12);

    const fetched = w.reports.slice(1, 5).map(parseProgress);
    expect(fetched.map((x) => x.phase)).toEqual(['fetch', 'fetch', 'fetch', 'fetch']);
    expect(fetched.map((x) => x.loadedBytes)).toEqual([1, 2, 3, 4].map((k) => k * MIB));
    expect(fetched.map((x) => x.totalBytes)).toEqual([4, 4, 4, 4].map((k) => k * MIB));
    expect(fetched.map((x) => x.shard)).toEqual([1, 2, 3, 4].map((done) => ({ done, total: 4 })));
    expect(w.reports[4]?.progress).toBe(1);
    expect(parseProgress(w.reports[5]!).phase).toBe('cache');

    // Then it answers like FakeWebLlm.
    const chunks = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: unknown;
    for await (const c of chunks) {
      text += c.choices[0]?.delta.content ?? '';
      usage ??= c.usage;
    }
    expect(text).toBe('Hello from the stand-in.');
    expect(usage).toMatchObject({ completion_tokens: 4 });
  });

  it('makes no request at all when every file is cached; hasModelInCache and delete read the cache', async () => {
    const f = await folder(MODEL);
    const { MLCEngine, hasModelInCache, deleteModelAllInfoInCache } = standin();
    expect(await hasModelInCache(MODEL, appConfig)).toBe(false);
    await new MLCEngine({ appConfig }).reload(MODEL);
    const before = mirror.requests.length;
    expect(await hasModelInCache(MODEL, appConfig)).toBe(true);

    const engine = new MLCEngine({ appConfig });
    const w = watch(engine);
    await engine.reload(MODEL);
    expect(mirror.requests.length).toBe(before);
    expect(w.texts()[0]).toBe('Start to fetch params');
    expect(w.texts().filter((t) => t.startsWith('Fetching'))).toEqual([]);
    expect(w.texts().filter((t) => t.startsWith('Loading model from cache'))).toHaveLength(4);

    await deleteModelAllInfoInCache(MODEL, appConfig);
    expect(mirror.requests.length).toBe(before);
    expect(await hasModelInCache(MODEL, appConfig)).toBe(false);
    // web-llm deletes everything but tensor-cache.json.
    const index = modelFiles(record(MODEL), { tensorCache: f.tensorCache }).find((x) => x.name === 'tensor-cache.json')!;
    expect([...storage.urls('webllm/model'), ...storage.urls('webllm/config'), ...storage.urls('webllm/wasm')]).toEqual([index.url]);
  });

  it('delete of a model never downloaded fetches its tensor-cache.json (and fails when that is missing)', async () => {
    const f = await folder(MODEL);
    const { deleteModelAllInfoInCache } = standin();
    await deleteModelAllInfoInCache(MODEL, appConfig);
    expect(mirror.gets()).toEqual([paths(MODEL, f)[3]]);
    expect(storage.urls('webllm/model')).toHaveLength(1);
    await expect(deleteModelAllInfoInCache(F16_ONLY, appConfig)).rejects.toThrow("Failed to execute 'add' on 'Cache': Request failed");
  });

  it('unload() during the download resolves reload() and keeps the shards fetched so far; the next load fetches the rest', async () => {
    const f = await folder(MODEL);
    const p = paths(MODEL, f);
    mirror.stall(p[6]!);
    mirror.stall(p[7]!);
    const { MLCEngine, hasModelInCache } = standin();
    const engine = new MLCEngine({ appConfig });
    const w = watch(engine);
    const twoDone = w.until('Fetching param cache[2/4]');
    const reload = engine.reload(MODEL);
    await twoDone;
    await engine.unload();
    await expect(reload).resolves.toBeUndefined();
    expect(logs).toContain("Reload() is aborted. Failed to execute 'add' on 'Cache': Cache.add() was aborted");
    const shards = modelFiles(record(MODEL), { tensorCache: f.tensorCache }).slice(4).map((x) => x.url);
    expect(storage.urls('webllm/model').filter((u) => shards.includes(u)).sort()).toEqual(shards.slice(0, 2));
    expect(await hasModelInCache(MODEL, appConfig)).toBe(false);

    mirror.clear(p[6]!);
    mirror.clear(p[7]!);
    const before = mirror.gets().length;
    await engine.reload(MODEL);
    // Only the two missing shards (a request aborted by the unload may reach the mirror late, so
    // each path may show twice); never a stored one.
    expect([...new Set(mirror.gets().slice(before))].sort()).toEqual([p[6], p[7]]);
    expect(await hasModelInCache(MODEL, appConfig)).toBe(true);
  });

  it('unload() during the tokenizer download (no signal) makes the next download reject with web-llm’s abort reason', async () => {
    const f = await folder(MODEL);
    const p = paths(MODEL, f);
    mirror.stall(p[2]!);
    const engine = new (standin().MLCEngine)({ appConfig });
    const reload = engine.reload(MODEL).catch((e: unknown) => e);
    await mirror.nextRequest('tokenizer.json');
    await engine.unload();
    mirror.clear(p[2]!);
    expect(await reload).toBe('Engine.unload() is called.');
    expect(mirror.gets()).toEqual(p.slice(0, 3));
  });

  it('unload() after the downloads does not stop the load, as in web-llm (no signal past the download)', async () => {
    await folder(MODEL);
    const { MLCEngine } = standin({ tickMs: 5 });
    const engine = new MLCEngine({ appConfig });
    const w = watch(engine);
    const loading = w.until('Loading model from cache[1/4]');
    const reload = engine.reload(MODEL);
    await loading;
    await engine.unload();
    await reload;
    expect(w.texts().at(-1)).toBe('Finish loading on WebGPU - fake');
    const chunks = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'still there?' }], stream: true });
    for await (const c of chunks) void c;
  });

  it('a shard shorter than its records fails while loading with tvmjs’s range error (model-file-corrupt)', async () => {
    await folder(MODEL, { truncate: { 'params_shard_2.bin': 1000 } });
    const { MLCEngine, hasModelInCache } = standin();
    const err = await new MLCEngine({ appConfig }).reload(MODEL).catch((e: unknown) => e);
    expect(String(err)).toBe('Error: Tensor-cache record range [0, 524288) exceeds shard size 1000');
    expect(logs.some((l) => l.startsWith("Failed to load shard 2's record: {"))).toBe(true);
    expect(classifyGpuError(err)?.code).toBe('model-file-corrupt');
    // web-llm stored the short file: it counts as cached (only a delete and a new download fix it).
    expect(await hasModelInCache(MODEL, appConfig)).toBe(true);

    const halved = await new (standin({ failures: { [MODEL]: { kind: 'corrupt-file' } } }).MLCEngine)({ appConfig }).reload(MODEL).catch((e: unknown) => e);
    expect(String(halved)).toBe('Error: Tensor-cache record range [0, 524288) exceeds shard size 500');
  });

  it('the corrupt-file failure halves a shard as it is read', async () => {
    await folder(MODEL);
    const { MLCEngine } = standin({ failures: { [MODEL]: { kind: 'corrupt-file', shard: 1 } } });
    await expect(new MLCEngine({ appConfig }).reload(MODEL)).rejects.toThrow('Tensor-cache record range [524288, 1048576) exceeds shard size 524288');
  });

  it('a 404 fails like Cache.add, logged with the URL as web-llm does', async () => {
    const f = await folder(MODEL);
    const shard1 = modelFiles(record(MODEL), { tensorCache: f.tensorCache })[5]!.url;
    mirror.fail(shard1);
    const err = await new (standin().MLCEngine)({ appConfig }).reload(MODEL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe("Failed to execute 'add' on 'Cache': Request failed");
    expect(logs).toContain(`Error: Cannot fetch ${shard1} err= TypeError: Failed to execute 'add' on 'Cache': Request failed`);
  });

  it('checks shader-f16 after the config and library, before the tokenizer, as web-llm does', async () => {
    await folder(F16_ONLY);
    const err = await new (standin({ f16: false }).MLCEngine)({ appConfig }).reload(F16_ONLY).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ShaderF16SupportError' });
    const lib = new URL(record(F16_ONLY).model_lib).pathname;
    expect(mirror.gets()).toEqual([`/mlc-ai/${F16_ONLY}/resolve/main/mlc-chat-config.json`, lib]);
  });

  it('oom fails with DeviceLostError after every file is stored; an HTML page served as the library fails to compile', async () => {
    const f = await folder(MODEL);
    const { MLCEngine, hasModelInCache } = standin({ failures: { [MODEL]: { kind: 'oom' } } });
    await expect(new MLCEngine({ appConfig }).reload(MODEL)).rejects.toMatchObject({ name: 'DeviceLostError' });
    expect(await hasModelInCache(MODEL, appConfig)).toBe(true);

    await storage.delete('webllm/wasm');
    await writeFile(f.files.find((x) => x.name.endsWith('.wasm'))!.path, '<!doctype html><title>Not found</title>');
    await expect(new MLCEngine({ appConfig }).reload(MODEL)).rejects.toThrow(/expected magic word 00 61 73 6d/);
  });

  it('throws ModelNotFoundError for an unknown id, from reload and the cache functions', async () => {
    const { MLCEngine, hasModelInCache, deleteModelAllInfoInCache } = standin();
    for (const p of [new MLCEngine({ appConfig }).reload('nope'), hasModelInCache('nope', appConfig), deleteModelAllInfoInCache('nope')]) {
      await expect(p).rejects.toMatchObject({ name: 'ModelNotFoundError' });
    }
    expect(mirror.requests).toEqual([]);
  });
});
