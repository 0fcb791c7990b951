import { appError, isAppError, toAppError, type AppError } from '../../src/core/errors';
import type { FetchPort } from '../../src/core/providers/types';
import type { EmbedLoadProgress, LocalDevice, LocalDtype, LocalEmbedConfig } from '../embed-api';
import { customCacheFor, filePrefixes, type CachesPort } from './model-store';

/**
 * The in-browser embedder: transformers.js's feature-extraction pipeline (mean pooling,
 * normalized) on WebGPU or WASM, its model files from the configured mirror or from the model
 * store, its wasm from this app's own files, never from a CDN.
 */

export const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';
export const DEFAULT_PATH_TEMPLATE = '{model}/resolve/{revision}/';
export const DEFAULT_LOCAL_BATCH = 32;
/** AppError codes that ask the client for a fresh worker (see `loadLocalEmbedder`). */
export const WEBGPU_FAILED = 'webgpu_failed';
export const ENGINE_RESET = 'engine_reset';
/**
 * transformers.js's "local model path": a name only, never fetched. Files under it are looked up
 * in the model store (imported or downloaded before); a miss answers 404 without any request,
 * so with downloads off nothing leaves the browser.
 */
export const LOCAL_MODEL_PATH = '/parley-local-models/';

/** The few parts of transformers.js used here (structural, so tests can hand in a fake). */
export interface TransformersLike {
  env: {
    allowRemoteModels: boolean;
    allowLocalModels: boolean;
    localModelPath: string;
    remoteHost: string;
    remotePathTemplate: string;
    useBrowserCache: boolean;
    useCustomCache: boolean;
    customCache: unknown;
    /** transformers.js's own copy of the wasm in Cache Storage, loaded as a blob: module (refused by our CSP). */
    useWasmCache?: boolean;
    fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
    backends: { onnx: { wasm?: { wasmPaths?: unknown; proxy?: boolean } } };
  };
  pipeline(task: 'feature-extraction', model: string, options: Record<string, unknown>): Promise<unknown>;
}

/** What the pipeline gives back: a tensor [texts, dims]. */
interface TensorLike {
  dims: number[];
  data: ArrayLike<number>;
  dispose?: () => void;
}

type Extractor = ((texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<TensorLike>) & { dispose?: () => Promise<void> | void };

export interface LocalDeps {
  transformers: () => Promise<TransformersLike>;
  caches: CachesPort;
  /** Where onnxruntime-web's .wasm and .mjs are served from on this origin (ORT's `wasmPaths`). */
  wasmPaths: { wasm: string; mjs: string } | string;
  /** The network, for model files from the mirror. */
  fetch: FetchPort;
  /** Whether a WebGPU adapter is there (navigator.gpu.requestAdapter() gave one). */
  hasWebGPU: () => Promise<boolean>;
}

export interface LocalEmbedderHandle {
  id: string;
  maxBatch: number;
  dims: number;
  device: LocalDevice;
  dtype: LocalDtype;
  note?: string;
  embed(texts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * The id of the in-browser embedder for a model: `local:<model>`, without the weights' type
 * (fp32, q8, …): those give vectors in the same space, so they are one model for every "same
 * model?" check (src/core/rag/embedder-id.ts says why, and how older ids with the type match).
 * The type stays visible in EmbedderInfo.dtype.
 */
export function localEmbedderId(modelId: string): string {
  return `local:${modelId}`;
}

export function resolveDtype(config: LocalEmbedConfig, device: LocalDevice): LocalDtype {
  return config.dtype ?? (device === 'webgpu' ? 'fp32' : 'q8');
}

/** The weights file of each type, as transformers.js names it (`onnx/model<suffix>.onnx`). */
const WEIGHTS_SUFFIX: Record<LocalDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', bnb4: '_bnb4', q4f16: '_q4f16' };

export const weightsFile = (dtype: LocalDtype): string => `onnx/model${WEIGHTS_SUFFIX[dtype]}.onnx`;

/** With the weights type left automatic: the other common one, tried when the first one's file is missing. */
const FALLBACK: Partial<Record<LocalDtype, LocalDtype>> = { q8: 'fp32', fp32: 'q8' };

/** Whether `err` is transformers.js not finding the weights file of `dtype` (not the config or tokenizer). */
export function isMissingWeights(err: unknown, dtype: LocalDtype): boolean {
  return isMissingFiles(err) && messageOf(err).includes(`/${weightsFile(dtype)}"`);
}

const WEIGHTS_NAME: Partial<Record<LocalDtype, string>> = { fp32: 'full-precision', q8: 'quantized' };
const weightsName = (dtype: LocalDtype) => `${WEIGHTS_NAME[dtype] ?? dtype} weights (${weightsFile(dtype)})`;

/** What the load result says when the automatic choice fell back to the other weights. */
export function weightsFallbackNote(wanted: LocalDtype, used: LocalDtype): string {
  return `This model has no ${weightsName(wanted)}; using its ${weightsName(used)} instead.`;
}

/** The device to use; asked for WebGPU where there is none, WASM with a note (before transformers.js tries it). */
export async function resolveDevice(config: LocalEmbedConfig, deps: LocalDeps): Promise<{ device: LocalDevice; note?: string }> {
  if (config.device === 'wasm') return { device: 'wasm' };
  if (await deps.hasWebGPU()) return { device: 'webgpu' };
  if (config.device === 'webgpu') return { device: 'wasm', note: 'WebGPU is not available in this browser (no adapter or device); using WebAssembly on the CPU instead.' };
  return { device: 'wasm' };
}

/** Sets transformers.js's global env for this model: where files come from, and the wasm. */
export function configureEnv(tf: TransformersLike, config: LocalEmbedConfig, deps: LocalDeps): void {
  const remoteHost = withSlash(config.baseUrl ?? DEFAULT_REMOTE_HOST);
  const pathTemplate = config.pathTemplate ?? DEFAULT_PATH_TEMPLATE;
  const env = tf.env;
  env.allowRemoteModels = config.baseUrl !== undefined && config.baseUrl.trim() !== '';
  // "Local" files are the model store's (transformers.js refuses to load with both sources off).
  env.allowLocalModels = true;
  env.localModelPath = LOCAL_MODEL_PATH;
  env.remoteHost = remoteHost;
  env.remotePathTemplate = pathTemplate;
  env.useBrowserCache = false;
  env.useCustomCache = true;
  env.customCache = customCacheFor(deps.caches, config.modelId, filePrefixes(config.modelId, { remoteHost, pathTemplate, localModelPath: LOCAL_MODEL_PATH }));
  env.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // A store miss: there is no such folder to fetch from.
    if (url.startsWith(LOCAL_MODEL_PATH)) return Promise.resolve(new Response(null, { status: 404, statusText: 'Not in the model store' }));
    return deps.fetch(url, init ?? {});
  };
  // The service worker caches the wasm files (CacheFirst); transformers.js's own wasm cache would
  // import the loader from a blob: URL, which the Content-Security-Policy refuses.
  env.useWasmCache = false;
  const wasm = (env.backends.onnx.wasm ??= {});
  wasm.wasmPaths = deps.wasmPaths;
  // Already in a worker: ORT's own proxy worker would be one more, loaded from a blob.
  wasm.proxy = false;
}

export async function loadLocalEmbedder(
  config: LocalEmbedConfig,
  deps: LocalDeps,
  onProgress?: (p: EmbedLoadProgress) => void,
): Promise<LocalEmbedderHandle> {
  let tf: TransformersLike;
  try {
    tf = await deps.transformers();
  } catch (err) {
    throw appError('internal', 'The in-browser embedding engine could not be loaded (its code is missing; are you offline before it was ever used?).', { detail: String(err) });
  }
  configureEnv(tf, config, deps);
  const { device, note: deviceNote } = await resolveDevice(config, deps);
  // Asked for WebGPU: the weights WebGPU would have used (the files already downloaded for it).
  let dtype = resolveDtype(config, config.device === 'webgpu' ? 'webgpu' : device);
  let weightsNote: string | undefined;
  const progress_callback = (p: unknown) => {
    const r = p as { status?: string; file?: string; loaded?: number; total?: number };
    if (!onProgress || !r.status) return;
    onProgress({ status: r.status as EmbedLoadProgress['status'], file: r.file ?? '', ...(r.loaded !== undefined ? { loaded: r.loaded } : {}), ...(r.total !== undefined ? { total: r.total } : {}) });
  };
  const open = async (device: LocalDevice, dtype: LocalDtype) => {
    const extractor = (await tf.pipeline('feature-extraction', config.modelId, { device, dtype, progress_callback })) as Extractor;
    // One small run: the vector size, and a session that really runs on this device.
    const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
    const dims = probe.dims[probe.dims.length - 1] ?? 0;
    probe.dispose?.();
    return { extractor, dims };
  };

  let opened: { extractor: Extractor; dims: number };
  try {
    try {
      opened = await open(device, dtype);
    } catch (err) {
      // Automatic weights: a model folder (or mirror) with only the other file still loads. A
      // missing file fails before any session is made, so this transformers.js is still usable.
      const other = config.dtype === undefined ? FALLBACK[dtype] : undefined;
      if (!other || !isMissingWeights(err, dtype)) throw err;
      try {
        opened = await open(device, other);
      } catch (again) {
        // Neither file: the first one is what was asked for.
        throw isMissingWeights(again, other) ? err : again;
      }
      weightsNote = weightsFallbackNote(dtype, other);
      dtype = other;
    }
  } catch (err) {
    if (device === 'webgpu' && !isMissingFiles(err)) {
      // WebGPU refused (no adapter after all, device lost, a kernel that fails). WASM runs every
      // model, but not in this worker: transformers.js chains every session creation (and every
      // run) on the previous one, so after one rejection all later ones reject with the same
      // error. The client starts a fresh worker and loads there with device 'wasm'.
      throw appError('internal', `WebGPU could not run ${config.modelId}: ${messageOf(err)}`, { code: WEBGPU_FAILED, detail: messageOf(err) });
    }
    throw withCode(loadError(err, config), ENGINE_RESET);
  }
  const { extractor, dims } = opened;
  const note = [deviceNote, weightsNote].filter(Boolean).join(' ');
  return {
    id: localEmbedderId(config.modelId),
    maxBatch: Math.max(1, Math.floor(config.batch ?? DEFAULT_LOCAL_BATCH)),
    dims,
    device,
    dtype,
    ...(note ? { note } : {}),
    async embed(texts) {
      if (texts.length === 0) return [];
      let t: TensorLike;
      try {
        t = await extractor(texts, { pooling: 'mean', normalize: true });
      } catch (err) {
        // Same chain as above: this worker's transformers.js cannot run anything any more.
        throw appError('internal', `The in-browser embedding model failed: ${messageOf(err)}`, { code: ENGINE_RESET, detail: messageOf(err) });
      }
      try {
        return rows(t, texts.length, dims);
      } finally {
        t.dispose?.();
      }
    },
    async dispose() {
      await extractor.dispose?.();
    },
  };
}

/**
 * The tensor's rows, each in its own buffer: a view into one shared buffer would be stored
 * whole with every row when it is written to IndexedDB (structured clone copies the buffer).
 */
export function rows(t: TensorLike, count: number, dims: number): Float32Array[] {
  if (t.dims.length !== 2 || t.dims[0] !== count || t.dims[1] !== dims) {
    throw appError('internal', `The embedding model gave a tensor of shape [${t.dims.join(', ')}] for ${count} texts of ${dims} dimensions.`);
  }
  const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const v = data.slice(i * dims, (i + 1) * dims);
    if (!v.every(Number.isFinite)) throw appError('internal', 'The embedding model gave non-numeric values (NaN or infinity).');
    out.push(v);
  }
  return out;
}

function isMissingFiles(err: unknown): boolean {
  return /allowRemoteModels=false|local_files_only|not found locally|Could not locate file|file was not found/i.test(messageOf(err));
}

function loadError(err: unknown, config: LocalEmbedConfig): AppError {
  if (isAppError(err)) return err;
  const detail = messageOf(err);
  if (isMissingFiles(err)) {
    const where = detail.match(/"([^"]+)"/)?.[1];
    // A weights file (onnx/…): the folder or mirror has the model, but not in the weights asked for.
    const weights = where?.match(/\/(onnx\/[^/]+\.onnx)$/)?.[1];
    const otherWeights = ' or choose other model weights in Settings › Knowledge';
    return appError(
      'invalid',
      config.baseUrl
        ? `The model ${config.modelId} is missing a file at ${config.baseUrl} (${where ?? 'see details'}). Check the model id and the model source,${weights ? otherWeights + ',' : ''} or import the model folder.`
        : weights
          ? `The model ${config.modelId} has no ${weights} in this browser, and downloads are off: import a folder that has it,${otherWeights}.`
          : `The model ${config.modelId} is not stored in this browser and downloads are off: import its folder, or set a model source (base URL) to download it.`,
      { detail },
    );
  }
  if (/Failed to fetch|NetworkError|fetch failed/i.test(detail)) {
    return appError('network', `Could not download ${config.modelId} from ${config.baseUrl ?? DEFAULT_REMOTE_HOST}: offline, or the server does not allow this app (CORS).`, { detail });
  }
  const e = toAppError(err);
  return appError(e.kind, `The embedding model ${config.modelId} could not be loaded: ${e.message}`, { detail: e.detail ?? detail });
}

/** Missing files or a failed download leave transformers.js usable; a failure inside it does not. */
function withCode(e: AppError, code: string): AppError {
  return e.kind === 'internal' ? { ...e, code } : e;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (isAppError(err)) return err.message;
  return String(err);
}

function withSlash(url: string): string {
  const u = url.trim();
  return u.endsWith('/') ? u : `${u}/`;
}
