import { modelBaseUrl } from '../../src/core/webgpu/model-source';
import { FakeWebLlm, SHADER_F16_MESSAGE, type FakeFailure } from '../../workers/webgpu/fake-runtime';
import type {
  WebLlmAppConfig,
  WebLlmChatOptions,
  WebLlmChatRequest,
  WebLlmChunk,
  WebLlmEngineConfig,
  WebLlmModelRecord,
  WebLlmModule,
  WebLlmProgressReport,
  WebLlmRuntime,
} from '../../workers/webgpu/runtime';
import { ArtifactCache } from './artifact-cache';

/**
 * The stand-in for @mlc-ai/web-llm 0.2.86 that e2e tests bundle into the app's real WebGPU
 * worker (see standin.ts, bundle.ts). Files go through the REAL Cache API and the REAL network,
 * step for step as web-llm's MLCEngine.reloadInternal / tvmjs fetchTensorCache do them
 * (node_modules/@mlc-ai/web-llm/lib/index.js), so the caches, keys, requests, their order and
 * the browser's own errors are web-llm's:
 *   [mlc-model-manifest.json] → mlc-chat-config.json ("webllm/config"), both with the reload's
 *   abort signal; the model library ("webllm/wasm"; a URL containing "localhost" or a relative one
 *   is fetched every time, never cached), compiled with WebAssembly.instantiate; the GPU check
 *   (shader-f16 from the options); the tokenizer named by tokenizer_files ("webllm/model", NO
 *   signal); tensor-cache.json (signal); "Start to fetch params" (also when all is cached); the
 *   shards missing from the cache, in 4 parallel runs as web-llm does, each a cache.add (a partial
 *   download stores nothing; shards fetched before a cancel stay); then each shard read back and
 *   its records' byte ranges checked with tvmjs's texts ("Tensor-cache record range [a, b)
 *   exceeds shard size n").
 * No GPU work: after the weights, FakeWebLlm (workers/webgpu/fake-runtime.ts, with no shards of
 * its own) does the shader phase, "Finish loading on …", the oom failure and generation, so
 * chunks, usage, interrupt, <think> and errors are the unit-tested fake's.
 * Cancelling: unload() aborts the reload's AbortController like web-llm; a download in flight then
 * rejects with AbortError and reload() resolves. As in web-llm, the tokenizer and the loading from
 * cache take no signal, so an unload() after the downloads lets the load finish.
 */

export interface StandinOptions {
  /** What `prebuiltAppConfig` is (bundle.ts passes web-llm's real one). */
  appConfig: WebLlmAppConfig;
  /**
   * Failures by model id. 'oom' and 'device-lost' are FakeWebLlm's; 'missing-file' (Cache.add's
   * TypeError) and 'quota' hit shard `shard` when it is downloaded; 'corrupt-file' reads shard
   * `shard` (default: the middle one) at half its length, so its records overrun it.
   */
  failures?: Record<string, FakeFailure>;
  /** The adapter has shader-f16 (default true). */
  f16?: boolean;
  /** false: reload throws WebGPUNotAvailableError (default true). */
  gpu?: boolean;
  /** "WebGPU - <adapter description>" in "Finish loading on …" (default "WebGPU - fake"). */
  gpuLabel?: string;
  /** The answer's text (default FakeWebLlm's "You said: <last user message>"). */
  reply?: string;
  /** Milliseconds per step (a record loaded, a shader batch, a token); default 0 (one macrotask). */
  tickMs?: number;
}

export interface StandinEnv {
  /** The Cache Storage (default globalThis.caches, read when used). */
  caches?: () => CacheStorage;
  /** For libraries web-llm does not cache (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** web-llm's logger (default console.log): "Error: Cannot fetch <url> err= …" etc. */
  logger?: (line: string) => void;
  /** The page URL relative model URLs resolve against (default document.URL / location.origin). */
  baseUrl?: () => string;
}

export interface TensorCacheRecord {
  name: string;
  shape: number[];
  dtype: string;
  format: string;
  nbytes: number;
  byteOffset: number;
}
export interface TensorCacheShard {
  dataPath: string;
  format?: string;
  nbytes: number;
  records: TensorCacheRecord[];
  md5sum?: string;
}
export interface TensorCacheFile {
  metadata?: Record<string, unknown>;
  records: TensorCacheShard[];
}

interface ChatConfig {
  tokenizer_files: string[];
  [key: string]: unknown;
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function findModelRecord(modelId: string, appConfig: WebLlmAppConfig): WebLlmModelRecord & { model_manifest?: string } {
  const r = appConfig.model_list.find((item) => item.model_id == modelId);
  if (r !== undefined) return r;
  throw named(
    'ModelNotFoundError',
    `Cannot find model record in appConfig for ${modelId}. Please check if the model ID is correct and included in the model_list configuration.`,
  );
}

/** tvmjs getTensorCacheRecordBytes: the bytes of one record, or its error texts. */
export function getTensorCacheRecordBytes(shardBytes: Uint8Array, record: Pick<TensorCacheRecord, 'byteOffset' | 'nbytes'>): Uint8Array {
  const { byteOffset, nbytes } = record;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) throw new Error(`Invalid tensor-cache byteOffset: ${byteOffset}`);
  if (!Number.isSafeInteger(nbytes) || nbytes < 0) throw new Error(`Invalid tensor-cache nbytes: ${nbytes}`);
  const endOffset = byteOffset + nbytes;
  if (!Number.isSafeInteger(endOffset) || endOffset > shardBytes.byteLength) {
    throw new Error(`Tensor-cache record range [${byteOffset}, ${endOffset}) exceeds shard size ${shardBytes.byteLength}`);
  }
  return shardBytes.subarray(byteOffset, endOffset);
}

const MIB = 1024 * 1024;

export function createStandin(options: StandinOptions, env: StandinEnv = {}) {
  const storage = env.caches ?? (() => globalThis.caches);
  const logger = env.logger ?? ((line: string) => console.log(line));
  const doFetch: typeof fetch = (...args) => (env.fetch ?? globalThis.fetch)(...args);
  // tickMs 0: yield through a MessageChannel, which (unlike a nested setTimeout, clamped to 4 ms)
  // lets the bench see what Parley's path costs per token rather than the timer's floor.
  const channel = typeof MessageChannel === 'function' && !options.tickMs ? new MessageChannel() : null;
  const waiting: Array<() => void> = [];
  if (channel) {
    channel.port1.onmessage = () => waiting.shift()?.();
    (channel.port1 as { unref?: () => void }).unref?.();
    (channel.port2 as { unref?: () => void }).unref?.();
  }
  const tick = (): Promise<void> =>
    channel
      ? new Promise<void>((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(0);
        })
      : new Promise<void>((resolve) => setTimeout(resolve, options.tickMs ?? 0));
  const prebuiltAppConfig: WebLlmAppConfig = options.appConfig;
  const pageUrl = () =>
    env.baseUrl?.() ?? (typeof document !== 'undefined' ? document.URL : (globalThis as { location?: Location }).location?.origin ?? 'http://localhost/');

  class MLCEngine implements WebLlmRuntime {
    readonly appConfig: WebLlmAppConfig;
    /** Shader phase and generation; exposed for tests (its `calls`, `generationEnds`). */
    readonly fake: FakeWebLlm;
    readonly chat = { completions: { create: (request: WebLlmChatRequest): Promise<AsyncIterable<WebLlmChunk>> => this.fake.chat.completions.create(request) } };
    private initProgressCallback: ((report: WebLlmProgressReport) => void) | undefined;
    private reloadController: AbortController | undefined;
    /** FakeWebLlm's reload is running: web-llm's shader phase takes no signal, so unload() leaves it be. */
    private inFake = false;

    constructor(engineConfig?: WebLlmEngineConfig & { initProgressCallback?: (report: WebLlmProgressReport) => void }) {
      this.appConfig = engineConfig?.appConfig || prebuiltAppConfig;
      this.initProgressCallback = engineConfig?.initProgressCallback;
      this.fake = new FakeWebLlm({
        appConfig: this.appConfig,
        shards: 0,
        tick,
        ...(options.failures ? { failures: options.failures } : {}),
        ...(options.f16 !== undefined ? { f16: options.f16 } : {}),
        ...(options.reply !== undefined ? { reply: () => options.reply! } : {}),
        gpuLabel: options.gpuLabel ?? 'WebGPU - fake',
      });
    }

    setInitProgressCallback(callback: ((report: WebLlmProgressReport) => void) | undefined): void {
      this.initProgressCallback = callback;
    }

    interruptGenerate(): void {
      this.fake.interruptGenerate();
    }

    async unload(): Promise<void> {
      if (!this.inFake) await this.fake.unload();
      if (this.reloadController) {
        this.reloadController.abort('Engine.unload() is called.');
        this.reloadController = undefined;
      }
    }

    async reload(modelId: string, chatOpts?: WebLlmChatOptions): Promise<void> {
      await this.unload();
      this.reloadController = new AbortController();
      try {
        await this.reloadInternal(modelId, chatOpts, this.reloadController.signal);
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') {
          logger('Reload() is aborted. ' + error.message);
          return;
        }
        throw error;
      } finally {
        this.reloadController = undefined;
      }
    }

    private async reloadInternal(modelId: string, chatOpts: WebLlmChatOptions | undefined, signal: AbortSignal): Promise<void> {
      const record = findModelRecord(modelId, this.appConfig);
      const baseUrl = pageUrl();
      let modelUrl = modelBaseUrl(record.model);
      if (!modelUrl.startsWith('http')) modelUrl = new URL(modelUrl, baseUrl).href;
      const configCache = new ArtifactCache(storage, 'webllm/config');
      if (record.model_manifest !== undefined) {
        const manifest = await configCache.fetchWithCache(new URL(record.model_manifest, modelUrl).href, 'arraybuffer', signal);
        JSON.parse(new TextDecoder().decode(manifest)); // web-llm validates it; the stand-in only reads it
      }
      const configData = await configCache.fetchWithCache(new URL('mlc-chat-config.json', modelUrl).href, 'arraybuffer', signal);
      const config: ChatConfig = { ...JSON.parse(new TextDecoder().decode(configData)), ...record.overrides, ...chatOpts };

      const wasmUrl = record.model_lib;
      if (wasmUrl === undefined) {
        throw named(
          'MissingModelError',
          `Missing \`model_lib\` for the model with ID "${record.model_id}". Please ensure that \`model_lib\` is provided in \`model_list\` for each model. This URL is essential for downloading the WASM library necessary to run the model.`,
        );
      }
      const wasmCache = new ArtifactCache(storage, 'webllm/wasm');
      const wasmSource = wasmUrl.includes('localhost')
        ? await (await doFetch(wasmUrl)).arrayBuffer()
        : !wasmUrl.startsWith('http')
          ? await (await doFetch(new URL(wasmUrl, baseUrl).href)).arrayBuffer()
          : await wasmCache.fetchWithCache(wasmUrl, 'arraybuffer', signal);
      await WebAssembly.instantiate(new Uint8Array(wasmSource).buffer, {});
      const progress = this.initProgressCallback;

      if (options.gpu === false) {
        throw named(
          'WebGPUNotAvailableError',
          'WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. ' +
            'Please make sure that your browser supports WebGPU and that it is enabled in your browser settings. ' +
            "You can also consult your browser's compatibility chart to see if it supports WebGPU. " +
            'For more information about WebGPU support in your browser, visit https://webgpureport.org/',
        );
      }
      for (const feature of record.required_features ?? []) {
        if (feature === 'shader-f16' && options.f16 !== false) continue;
        if (feature === 'shader-f16') throw named('ShaderF16SupportError', SHADER_F16_MESSAGE);
        // Other features: assumed present on the stand-in's adapter.
      }

      const modelCache = new ArtifactCache(storage, 'webllm/model');
      if (config.tokenizer_files.includes('tokenizer.json')) await modelCache.fetchWithCache(new URL('tokenizer.json', modelUrl).href, 'arraybuffer');
      else if (config.tokenizer_files.includes('tokenizer.model')) await modelCache.fetchWithCache(new URL('tokenizer.model', modelUrl).href, 'arraybuffer');
      else throw named('UnsupportedTokenizerFilesError', `Cannot handle tokenizer files ${config.tokenizer_files}`);

      await this.fetchTensorCache(modelId, modelUrl, signal, progress);

      this.inFake = true;
      try {
        this.fake.setInitProgressCallback(progress ?? (() => undefined));
        await this.fake.reload(modelId);
      } finally {
        this.inFake = false;
      }
    }

    /** tvmjs fetchTensorCache + fetchTensorCacheInternal, cache scope "webllm/model". */
    private async fetchTensorCache(modelId: string, tensorCacheUrl: string, signal: AbortSignal, progress: ((r: WebLlmProgressReport) => void) | undefined) {
      const artifactCache = new ArtifactCache(storage, 'webllm/model');
      const json = (await artifactCache.fetchWithCache(new URL('tensor-cache.json', tensorCacheUrl).href, 'json', signal)) as TensorCacheFile;
      const list = json.records;
      const failure = options.failures?.[modelId];
      const failAt = (kind: FakeFailure['kind']) =>
        failure?.kind === kind ? ('shard' in failure && failure.shard !== undefined ? failure.shard : list.length >> 1) : -1;
      const tstart = performance.now();
      const totalBytes = list.reduce((n, s) => n + s.nbytes, 0);
      let fetchedBytes = 0;
      let fetchedShards = 0;
      let timeElapsed = 0;
      const cacheOnly = await artifactCache.hasAllKeys(list.map((key) => new URL(key.dataPath, tensorCacheUrl).href));
      const report = (iter: number, loading: boolean) => {
        if (!progress) return;
        const head = loading ? `Loading model from cache[${iter}/${list.length}]: ` : `Fetching param cache[${iter}/${list.length}]: `;
        let text = head + Math.ceil(fetchedBytes / MIB).toString() + (loading ? 'MB loaded. ' : 'MB fetched. ');
        text += Math.floor((fetchedBytes * 100) / totalBytes).toString() + '% completed, ' + timeElapsed + ' secs elapsed.';
        if (!loading) text += ' It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.';
        progress({ progress: fetchedBytes / totalBytes, timeElapsed, text });
      };
      progress?.({ progress: fetchedBytes / totalBytes, timeElapsed: 0, text: 'Start to fetch params' });

      const downloadCache = async (start: number, end: number) => {
        for (let i = start; i < end; i++) {
          const shard = list[i]!;
          const dataUrl = new URL(shard.dataPath, tensorCacheUrl).href;
          try {
            // An injected failure hits the shard only when it is really downloaded.
            if (i === failAt('missing-file') || i === failAt('quota')) {
              if ((await (await storage().open('webllm/model')).match(dataUrl)) === undefined) {
                if (failure?.kind === 'quota') throw new DOMException('Quota exceeded.', 'QuotaExceededError');
                throw new TypeError("Failed to execute 'add' on 'Cache': Request failed");
              }
            }
            await artifactCache.addToCache(dataUrl, signal);
          } catch (err) {
            logger('Error: Cannot fetch ' + dataUrl + ' err= ' + err);
            throw err;
          }
          timeElapsed = Math.ceil((performance.now() - tstart) / 1000);
          fetchedBytes += shard.nbytes;
          report(++fetchedShards, false);
        }
      };
      if (!cacheOnly) {
        const loopSize = Math.floor(list.length / 4);
        await Promise.all([
          downloadCache(0, loopSize),
          downloadCache(loopSize, 2 * loopSize),
          downloadCache(2 * loopSize, 3 * loopSize),
          downloadCache(3 * loopSize, list.length),
        ]);
      }

      fetchedBytes = 0;
      fetchedShards = 0;
      for (let i = 0; i < list.length; ++i) {
        const shard = list[i]!;
        const dataUrl = new URL(shard.dataPath, tensorCacheUrl).href;
        let buffer: ArrayBuffer;
        try {
          buffer = await artifactCache.fetchWithCache(dataUrl, 'arraybuffer');
        } catch (err) {
          logger('Error: Cannot fetch ' + dataUrl + ' err= ' + err);
          throw err;
        }
        let shardBytes = new Uint8Array(buffer);
        if (i === failAt('corrupt-file')) shardBytes = shardBytes.subarray(0, shardBytes.byteLength >> 1);
        for (const rec of shard.records) {
          try {
            getTensorCacheRecordBytes(shardBytes, rec);
            await tick(); // device.sync()
          } catch (err) {
            logger('Failed to load shard ' + i + "'s record: " + JSON.stringify(rec) + '\nError: ' + err);
            throw err;
          }
        }
        fetchedBytes += shard.nbytes;
        timeElapsed = Math.ceil((performance.now() - tstart) / 1000);
        report(++fetchedShards, true);
      }
    }
  }

  /** cache_util.ts hasModelInCache: tensor-cache.json and every shard it lists, in "webllm/model". */
  async function hasModelInCache(modelId: string, appConfig?: WebLlmAppConfig): Promise<boolean> {
    const config = appConfig ?? prebuiltAppConfig;
    const modelUrl = modelBaseUrl(findModelRecord(modelId, config).model);
    const cache = new ArtifactCache(storage, 'webllm/model');
    const jsonUrl = new URL('tensor-cache.json', modelUrl).href;
    if (!(await cache.hasAllKeys([jsonUrl]))) return false;
    const list = ((await cache.fetchWithCache(jsonUrl, 'json')) as TensorCacheFile).records;
    return cache.hasAllKeys(list.map((key) => new URL(key.dataPath, modelUrl).href));
  }

  /**
   * cache_util.ts deleteModelAllInfoInCache: the shards tensor-cache.json lists (read through
   * fetchWithCache: DOWNLOADED when not cached), tokenizer.model, tokenizer.json, the library
   * (key: model_lib as written), mlc-chat-config.json and the manifest. tensor-cache.json stays.
   */
  async function deleteModelAllInfoInCache(modelId: string, appConfig?: WebLlmAppConfig): Promise<void> {
    const config = appConfig ?? prebuiltAppConfig;
    const record = findModelRecord(modelId, config);
    const modelUrl = modelBaseUrl(record.model);
    const tvmCache = new ArtifactCache(storage, 'webllm/model');
    const list = ((await tvmCache.fetchWithCache(new URL('tensor-cache.json', modelUrl).href, 'json')) as TensorCacheFile).records;
    await Promise.all(list.map((shard) => tvmCache.deleteInCache(new URL(shard.dataPath, modelUrl).href)));
    const modelCache = new ArtifactCache(storage, 'webllm/model');
    await modelCache.deleteInCache(new URL('tokenizer.model', modelUrl).href);
    await modelCache.deleteInCache(new URL('tokenizer.json', modelUrl).href);
    await new ArtifactCache(storage, 'webllm/wasm').deleteInCache(findModelRecord(modelId, config).model_lib);
    const configCache = new ArtifactCache(storage, 'webllm/config');
    await configCache.deleteInCache(new URL('mlc-chat-config.json', modelUrl).href);
    if (record.model_manifest !== undefined) await configCache.deleteInCache(new URL(record.model_manifest, modelUrl).href);
  }

  return { MLCEngine, prebuiltAppConfig, hasModelInCache, deleteModelAllInfoInCache } satisfies WebLlmModule;
}
