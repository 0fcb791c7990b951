import { appError, isAppError, toAppError, type AppError } from '../../src/core/errors';
import { detectWebGpu, unavailableCaps, type GpuCaps, type GpuLike } from '../../src/core/webgpu/detect';
import { toGpuAppError } from '../../src/core/webgpu/gpu-errors';
import { applyModelMirror, modelFileUrl, type ModelMirror } from '../../src/core/webgpu/model-source';
import { filesToReadFirst, planFolderImport, readTensorCache } from '../../src/core/webgpu/plan-folder-import';
import type { CachedModel, FolderFile, ImportResult, WebGpuApi, WebGpuWorkerApi } from './api';
import { cachedModelBytes } from './cache-size';
import { findMissingModelFile } from './failed-file';
import type { WebLlmAppConfig, WebLlmModule } from './runtime';
import { createWebGpuService } from './service';

export interface WebGpuWorkerDeps {
  /** `() => import('@mlc-ai/web-llm')`: called once, on the first call that needs the library. */
  loadWebLlm: () => Promise<WebLlmModule>;
  /** The saved model source (SETTINGS.webgpuWeightsBase / webgpuLibsBase). */
  readSource: () => Promise<ModelMirror>;
  /** The worker's Cache Storage, where web-llm keeps models (and imports are written). */
  caches: CacheStorage;
  gpu: GpuLike | undefined;
  userAgent: string;
  /** The worker's fetch, for asking which file of a failed load is missing (HEAD). */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /**
   * Stores the In-browser connection's model list (the models' cache changed: a download ended,
   * an import, a delete), so a reload right after it lists the right models even if the page's
   * own refresh did not finish. Failures are ignored (the list is a convenience).
   */
  saveList?: (cached: CachedModel[]) => Promise<void>;
  /** The app's origin (a mirror must be reachable from it: https pages cannot use http mirrors). */
  appOrigin: string;
}

const TYPES: Record<string, string> = { json: 'application/json', wasm: 'application/wasm', bin: 'application/octet-stream', model: 'application/octet-stream' };

/**
 * The WebGPU worker without its globals (webgpu.worker.ts passes them), so node tests run it
 * over FakeWebLlm. web-llm is imported on the first call that needs it (catalog, load, stream,
 * cached, delete, import); `caps` and `reloadSource` never load it. A new model source builds a
 * new engine (web-llm's engine keeps the appConfig it was made with) after unloading the old one.
 */
export function createWebGpuWorker(deps: WebGpuWorkerDeps): Omit<WebGpuWorkerApi, 'connect'> {
  let caps: Promise<GpuCaps> | null = null;
  let source: { mirror: ModelMirror; error: AppError | null } | null = null;
  let current: Promise<{ service: WebGpuApi; appConfig: WebLlmAppConfig }> | null = null;

  const readSource = async () => {
    const mirror = await deps.readSource().catch(() => ({}));
    return { mirror, error: null as AppError | null };
  };

  async function build(): Promise<{ service: WebGpuApi; appConfig: WebLlmAppConfig }> {
    const lib = await deps.loadWebLlm();
    source ??= await readSource();
    const mirrored = applyModelMirror(lib.prebuiltAppConfig.model_list, source.mirror, deps.appOrigin);
    source.error = mirrored.ok ? null : mirrored.error;
    const appConfig: WebLlmAppConfig = { ...lib.prebuiltAppConfig, model_list: mirrored.ok ? mirrored.records : lib.prebuiltAppConfig.model_list };
    const runtime = new lib.MLCEngine({ appConfig });
    const service = createWebGpuService({
      runtime,
      cache: { hasModelInCache: (id, cfg) => lib.hasModelInCache(id, cfg), deleteModelAllInfoInCache: (id, cfg) => lib.deleteModelAllInfoInCache(id, cfg) },
      appConfig,
      userAgent: deps.userAgent,
      // A HEAD request per candidate (only after a failed load, to the host the file comes from).
      findFailedFile: (id) => findMissingModelFile(deps.caches, appConfig, id, async (url) => (await deps.fetch(url, { method: 'HEAD' })).ok),
      measure: (cfg) => cachedModelBytes(deps.caches, cfg),
    });
    return { service, appConfig };
  }

  const ready = () => {
    const p = (current ??= build());
    // A failed import of the library (offline before it was ever cached) is tried again next time.
    p.catch(() => {
      if (current === p) current = null;
    });
    return p.catch((err: unknown) => {
      throw isAppError(err) ? err : appError('internal', 'The in-browser model engine (web-llm) could not be loaded.', { detail: String(err) });
    });
  };
  const svc = async () => (await ready()).service;
  /** After the cache changed: the stored model list follows (see WebGpuWorkerDeps.saveList). */
  const listChanged = async (service: WebGpuApi) => {
    if (deps.saveList) await deps.saveList(await service.cached()).catch(() => undefined);
  };

  async function importFolder(modelId: string, files: FolderFile[], onProgress?: Parameters<WebGpuWorkerApi['importFolder']>[2]): Promise<ImportResult> {
    const { service, appConfig } = await ready();
    const record = appConfig.model_list.find((r) => r.model_id === modelId);
    if (!record) return { ok: false, problems: [{ file: modelId, message: `${modelId} is not in the model list.` }] };
    const picked = files.map((f) => ({ path: f.path, size: f.file.size }));
    const first = filesToReadFirst(picked, modelId);
    const byPath = new Map(files.map((f) => [f.path, f.file]));
    const readJson = async (path: string | undefined): Promise<unknown> => {
      const blob = path === undefined ? undefined : byPath.get(path);
      if (!blob) return undefined;
      try {
        return JSON.parse(await blob.text());
      } catch {
        return undefined;
      }
    };
    const config = (await readJson(first.chatConfig)) as { tokenizer_files?: string[] } | undefined;
    const plan = planFolderImport({
      files: picked,
      record,
      tensorCache: readTensorCache(await readJson(first.tensorCache)),
      chatConfig: config && typeof config === 'object' ? config : undefined,
      libsFromMirror: !!source?.mirror.libsBase,
    });
    if (plan.problems.length) return { ok: false, problems: plan.problems };
    // A model on the GPU keeps its weights: importing over it is fine, but unload so the next
    // answer reads the imported files.
    if ((await service.loaded()) === modelId) await service.unload();
    const written: Array<{ cache: string; url: string }> = [];
    let done = 0;
    try {
      for (const e of plan.entries) {
        const file = byPath.get(e.path)!;
        onProgress?.({ file: e.path, writtenBytes: done, totalBytes: plan.totalBytes });
        const cache = await deps.caches.open(e.cache);
        const ext = e.url.split('.').pop() ?? '';
        await cache.put(new Request(e.url), new Response(file, { headers: { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', 'Content-Length': String(file.size) } }));
        written.push({ cache: e.cache, url: e.url });
        done += e.size;
      }
      onProgress?.({ file: '', writtenBytes: done, totalBytes: plan.totalBytes });
    } catch (err) {
      // Half a model is worse than none: take out what this import wrote.
      for (const w of written) await (await deps.caches.open(w.cache)).delete(new Request(w.url)).catch(() => false);
      return { ok: false, problems: [], error: toGpuAppError(err, { modelId }) };
    }
    await listChanged(service);
    return { ok: true, modelId, files: plan.entries.length, bytes: plan.totalBytes, ignored: plan.ignored };
  }

  return {
    caps: () => (caps ??= detectWebGpu(deps.gpu, deps.userAgent).catch(() => unavailableCaps('no-adapter'))),
    async reloadSource() {
      const next = await readSource();
      const changed = JSON.stringify(next.mirror) !== JSON.stringify(source?.mirror ?? {});
      source = next;
      const mirrored = applyModelMirror([], next.mirror, deps.appOrigin);
      if (!mirrored.ok) source.error = mirrored.error;
      if (changed && current) {
        const old = current;
        current = null;
        await (await old.catch(() => null))?.service.unload().catch(() => undefined);
      }
      return source.error;
    },
    catalog: async (c) => (await svc()).catalog(c),
    async load(id, onProgress) {
      const service = await svc();
      const r = await service.load(id, onProgress);
      if (!r.alreadyLoaded) await listChanged(service);
      return r;
    },
    cancelLoad: async () => (current ? (await svc()).cancelLoad() : undefined),
    async stream(requestId, request, onEvent, onProgress) {
      let service: WebGpuApi;
      try {
        service = await svc();
      } catch (err) {
        onEvent({ type: 'error', error: toAppError(err) });
        return;
      }
      // Over Comlink each event is a call on the callback's own port, while this promise resolves
      // on the main one, and the browser keeps no order between ports: the caller could see the
      // stream end before its last events (seen in Chromium: half an answer). Each call's promise
      // resolves once the caller ran it, and calls on one port run in order, so waiting for the
      // last one means every event has arrived.
      let last: unknown;
      await service.stream(requestId, request, (ev) => {
        last = onEvent(ev);
      }, onProgress);
      await Promise.resolve(last).catch(() => undefined);
    },
    cancel: async (requestId) => (current ? (await svc()).cancel(requestId) : undefined),
    unload: async () => (current ? (await svc()).unload() : undefined),
    loaded: async () => (current ? (await svc()).loaded() : null),
    cached: async () => (await svc()).cached(),
    async delete(id) {
      const { service, appConfig } = await ready();
      try {
        await service.delete(id);
        // web-llm 0.2.86 deletes everything but the weights index (tensor-cache.json), which it
        // keeps; a deleted model should leave nothing behind.
        const record = appConfig.model_list.find((r) => r.model_id === id);
        if (record) await (await deps.caches.open('webllm/model')).delete(new Request(modelFileUrl(record, 'tensor-cache.json'))).catch(() => false);
      } finally {
        await listChanged(service);
      }
    },
    importFolder,
  };
}
