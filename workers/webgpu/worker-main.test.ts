import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/core/providers/types';
import type { ModelMirror } from '../../src/core/webgpu/model-source';
import { modelFileUrl } from '../../src/core/webgpu/model-source';
import type { FolderFile } from './api';
import { FakeWebLlm } from './fake-runtime';
import type { WebLlmAppConfig, WebLlmEngineConfig, WebLlmModule } from './runtime';
import { createWebGpuWorker } from './worker-main';

const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const record = prebuiltAppConfig.model_list.find((r) => r.model_id === LLAMA)!;

/** An in-memory Cache Storage (node has Request/Response, not caches). */
function memoryCaches(opts: { failPutAt?: number } = {}) {
  const stores = new Map<string, Map<string, Response>>();
  let puts = 0;
  const storage = {
    stores,
    has: async (name: string) => stores.has(name),
    open: async (name: string) => {
      const m = stores.get(name) ?? new Map<string, Response>();
      stores.set(name, m);
      const key = (r: Request | string) => (typeof r === 'string' ? r : r.url);
      return {
        put: async (r: Request | string, res: Response) => {
          if (++puts === opts.failPutAt) throw new DOMException('Quota exceeded.', 'QuotaExceededError');
          m.set(key(r), res);
        },
        delete: async (r: Request | string) => m.delete(key(r)),
        match: async (r: Request | string) => m.get(key(r))?.clone(),
        keys: async () => [...m.keys()].map((url) => new Request(url)),
      };
    },
  };
  return storage;
}

/** web-llm's module as the worker sees it, over FakeWebLlm; records every engine built. */
function fakeModule(opts: { failImports?: number } = {}) {
  const engines: Array<{ config: WebLlmAppConfig; rt: FakeWebLlm }> = [];
  let imports = 0;
  const latest = () => engines.at(-1)!.rt;
  const mod: WebLlmModule = {
    MLCEngine: class {
      constructor(config?: WebLlmEngineConfig) {
        const rt = new FakeWebLlm({ appConfig: config!.appConfig! });
        engines.push({ config: config!.appConfig!, rt });
        return rt;
      }
    } as unknown as WebLlmModule['MLCEngine'],
    prebuiltAppConfig,
    hasModelInCache: (id) => latest().hasModelInCache(id),
    deleteModelAllInfoInCache: (id) => latest().deleteModelAllInfoInCache(id),
  };
  const load = async () => {
    imports++;
    if (imports <= (opts.failImports ?? 0)) throw new TypeError('Failed to fetch dynamically imported module: /assets/index-abc.js');
    return mod;
  };
  return { load, engines, imports: () => imports };
}

function setup(o: { source?: ModelMirror; failImports?: number; failPutAt?: number } = {}) {
  const m = fakeModule(o);
  const saved: string[][] = [];
  let source = o.source ?? {};
  const caches = memoryCaches(o);
  const worker = createWebGpuWorker({
    loadWebLlm: m.load,
    readSource: async () => source,
    caches: caches as unknown as CacheStorage,
    fetch: async () => new Response(null, { status: 404 }),
    gpu: undefined,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/143.0.0.0 Safari/537.36',
    appOrigin: 'http://127.0.0.1:4317',
    saveList: async (cached) => void saved.push(cached.filter((c) => !c.partial).map((c) => c.modelId)),
  });
  return { worker, m, caches, saved, setSource: (s: ModelMirror) => (source = s) };
}

const file = (path: string, body: string | Uint8Array<ArrayBuffer>): FolderFile => ({ path, file: new Blob([body]) });
/** A model folder as a user picks it (plan-folder-import.ts's layout), 2 shards of 8 bytes. */
function folder(opts: { dropShard?: boolean } = {}): FolderFile[] {
  const lib = record.model_lib.split('/').pop()!;
  const big = 'x'.repeat(2048);
  return [
    file('Llama/mlc-chat-config.json', JSON.stringify({ tokenizer_files: ['tokenizer.json'], context_window_size: 4096 })),
    file('Llama/tensor-cache.json', JSON.stringify({ records: [{ dataPath: 'params_shard_0.bin', nbytes: 8 }, { dataPath: 'params_shard_1.bin', nbytes: 8 }] })),
    file('Llama/params_shard_0.bin', new Uint8Array(8)),
    ...(opts.dropShard ? [] : [file('Llama/params_shard_1.bin', new Uint8Array(8))]),
    file('Llama/tokenizer.json', big),
    file(`Llama/${lib}`, big),
    file('Llama/README.md', 'hello'),
  ];
}

describe('createWebGpuWorker', () => {
  it('loads web-llm only when needed, once', async () => {
    const { worker, m } = setup();
    expect((await worker.caps()).available).toBe(false);
    expect(await worker.reloadSource()).toBeNull();
    expect(await worker.loaded()).toBeNull();
    await worker.cancel(1);
    expect(m.imports()).toBe(0);
    await worker.catalog({ available: true, f16: true, isFallback: false, maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31 });
    await worker.cached();
    expect(m.imports()).toBe(1);
    expect(m.engines).toHaveLength(1);
  });

  it('gives the engine the model list rewritten for the saved mirror', async () => {
    const { worker, m } = setup({ source: { weightsBase: 'http://mirror.lan/hf/', libsBase: 'http://mirror.lan/gh' } });
    await worker.cached();
    const r = m.engines[0]!.config.model_list.find((x) => x.model_id === LLAMA)!;
    expect(r.model).toBe('http://mirror.lan/hf/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(r.model_lib.startsWith('http://mirror.lan/gh/mlc-ai/binary-mlc-llm-libs/')).toBe(true);
  });

  it('a changed source unloads the model and builds a new engine; the same source keeps it', async () => {
    const { worker, m, setSource } = setup();
    await worker.load(LLAMA);
    expect(await worker.loaded()).toBe(LLAMA);
    expect(await worker.reloadSource()).toBeNull();
    expect(await worker.loaded()).toBe(LLAMA);
    setSource({ weightsBase: 'http://mirror.lan/' });
    expect(await worker.reloadSource()).toBeNull();
    expect(m.engines[0]!.rt.calls.at(-1)).toBe('unload');
    expect(await worker.loaded()).toBeNull();
    expect(m.engines).toHaveLength(1);
    await worker.cached();
    expect(m.engines).toHaveLength(2);
    expect(m.engines[1]!.config.model_list.find((x) => x.model_id === LLAMA)!.model).toBe('http://mirror.lan/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC');
  });

  it('an invalid saved source is reported and the public hosts are used', async () => {
    const { worker, m } = setup({ source: { weightsBase: 'ftp://mirror.lan/' } });
    const err = await worker.reloadSource();
    expect(err?.kind).toBe('invalid');
    await worker.cached();
    expect(m.engines[0]!.config.model_list.find((x) => x.model_id === LLAMA)!.model).toBe(record.model);
  });

  it('a failed import of web-llm ends the stream with a clear error and is tried again next time', async () => {
    const { worker, m } = setup({ failImports: 1 });
    const events: ChatEvent[] = [];
    await worker.stream(1, { model: LLAMA, messages: [{ role: 'user', content: 'hi' }] }, (e) => events.push(e));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { kind: 'internal', message: expect.stringContaining('could not be loaded') } });
    const again: ChatEvent[] = [];
    await worker.stream(2, { model: LLAMA, messages: [{ role: 'user', content: 'hi' }] }, (e) => again.push(e));
    expect(m.imports()).toBe(2);
    expect(again.at(-1)).toMatchObject({ type: 'done' });
    expect(again.filter((e) => e.type === 'text').map((e) => (e.type === 'text' ? e.text : '')).join('')).toBe('You said: hi');
  });
});

describe('importFolder', () => {
  it('writes each file under the URL web-llm requests, in its cache, and reports progress', async () => {
    const { worker, caches } = setup();
    const progress: number[] = [];
    const r = await worker.importFolder(LLAMA, folder(), (p) => progress.push(p.writtenBytes));
    expect(r).toMatchObject({ ok: true, modelId: LLAMA, files: 6, ignored: ['Llama/README.md'] });
    const model = caches.stores.get('webllm/model')!;
    expect([...model.keys()].sort()).toEqual(
      ['params_shard_0.bin', 'params_shard_1.bin', 'tensor-cache.json', 'tokenizer.json'].map((f) => modelFileUrl(record, f)).sort(),
    );
    expect([...caches.stores.get('webllm/config')!.keys()]).toEqual([modelFileUrl(record, 'mlc-chat-config.json')]);
    expect([...caches.stores.get('webllm/wasm')!.keys()]).toEqual([record.model_lib]);
    const tc = await model.get(modelFileUrl(record, 'tensor-cache.json'))!.clone().json();
    expect(tc.records).toHaveLength(2);
    expect(progress.at(-1)).toBe(r.ok ? r.bytes : -1);
    expect(progress.length).toBeGreaterThan(6);
  });

  it('writes nothing when the folder has a problem, and names the file', async () => {
    const { worker, caches } = setup();
    const r = await worker.importFolder(LLAMA, folder({ dropShard: true }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.file)).toEqual(['params_shard_1.bin']);
    expect(caches.stores.size).toBe(0);
  });

  it('a full disk mid-import takes out what it wrote and says so', async () => {
    const { worker, caches } = setup({ failPutAt: 4 });
    const r = await worker.importFolder(LLAMA, folder());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error?.code).toBe('storage-quota');
    for (const m of caches.stores.values()) expect(m.size).toBe(0);
  });

  it('an unknown model id is a problem, not a crash', async () => {
    const { worker } = setup();
    const r = await worker.importFolder('Nope-q4f32_1-MLC', folder());
    expect(r).toMatchObject({ ok: false, problems: [{ file: 'Nope-q4f32_1-MLC' }] });
  });
});

describe('delete', () => {
  it('also removes the weights index web-llm leaves behind', async () => {
    const { worker, caches } = setup();
    expect((await worker.importFolder(LLAMA, folder())).ok).toBe(true);
    await worker.load(LLAMA);
    await worker.delete(LLAMA);
    expect(caches.stores.get('webllm/model')!.has(modelFileUrl(record, 'tensor-cache.json'))).toBe(false);
    expect(await worker.loaded()).toBeNull();
  });
});

describe('the stored model list', () => {
  it('follows a download, a delete and an import, and not a load of a model already there', async () => {
    const { worker, saved } = setup();
    await worker.load(LLAMA);
    expect(saved).toEqual([[LLAMA]]);
    await worker.load(LLAMA);
    expect(saved).toHaveLength(1);
    await worker.delete(LLAMA);
    expect(saved.at(-1)).toEqual([]);
    const r = await worker.importFolder(LLAMA, folder());
    expect(r.ok).toBe(true);
    expect(saved).toHaveLength(3);
  });
});

describe('stream over a port', () => {
  it('resolves only after the caller has handled the last event (Comlink calls resolve when run)', async () => {
    const { worker } = setup();
    const handled: string[] = [];
    let ended = false;
    // Like a Comlink proxy: each call returns a promise that settles when the other side ran it, later.
    const onEvent = (ev: ChatEvent) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          handled.push(ev.type);
          resolve();
        }, 5),
      ) as unknown as void;
    await worker.stream(1, { model: LLAMA, messages: [{ role: 'user', content: 'one two three' }] }, onEvent).then(() => (ended = true));
    expect(ended).toBe(true);
    expect(handled.at(-1)).toBe('done');
    expect(handled.filter((t) => t === 'text').length).toBeGreaterThan(2);
  });
});
