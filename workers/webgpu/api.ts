import type { AppError } from '../../src/core/errors';
import type { ChatEvent, ChatRequest } from '../../src/core/providers/types';
import type { GpuCaps } from '../../src/core/webgpu/detect';
import type { ImportProblem } from '../../src/core/webgpu/plan-folder-import';

/**
 * The in-browser (WebGPU) model worker's surface: web-llm runs behind it, so the engine treats
 * it like any provider and nothing outside workers/webgpu/ imports web-llm. Comlink-friendly:
 * arguments and results are plain data, callbacks are the caller's `Comlink.proxy(fn)`, and an
 * AbortSignal (which cannot cross to a worker) is replaced by a request id plus `cancel`.
 * Every rejection is an AppError (see errors.ts); `stream` never rejects, it ends with an event.
 */
export interface WebGpuApi {
  /** web-llm's model list (chat models only), each marked for what `caps` can run. */
  catalog(caps: GpuCaps): Promise<CatalogEntry[]>;
  /**
   * Downloads (or reads from the cache) and loads `modelId` onto the GPU. One model at a time:
   * a different loaded model is unloaded first; the model already loaded answers at once
   * (`alreadyLoaded`, no progress). Rejects with kind `aborted` after `cancelLoad`.
   */
  load(modelId: string, onProgress?: (p: WebGpuLoadProgress) => void): Promise<LoadResult>;
  /**
   * Stops a load in progress (download or GPU upload). What was downloaded stays in the cache,
   * so a later `load` resumes with the missing files. No-op when nothing is loading.
   */
  cancelLoad(): Promise<void>;
  /**
   * Streams one reply of `request.model` as ChatEvents through `onEvent`, loading the model
   * first when it is not the loaded one (progress to `onProgress`). Resolves after the last
   * event, which is exactly one `done` or one `error` (kind `aborted` after `cancel`).
   * Requests run one at a time; `requestId` must be unique per caller (a counter will do).
   */
  stream(requestId: number, request: ChatRequest, onEvent: (ev: ChatEvent) => void, onProgress?: (p: WebGpuLoadProgress) => void): Promise<void>;
  /**
   * Stops the stream with this id: generation is interrupted, what was generated stays, and
   * the stream ends with an `aborted` error. A cancel arriving before its stream stops it on arrival.
   */
  cancel(requestId: number): Promise<void>;
  /** Frees the loaded model's GPU memory. The cache is untouched. */
  unload(): Promise<void>;
  /** The loaded model's id, or null. */
  loaded(): Promise<string | null>;
  /**
   * Catalog models whose files are all in web-llm's cache, then (`partial: true`) those with only
   * some (a download that stopped: loading them again fetches the rest), when the worker can
   * measure the cache. Does not wait for a running load or answer.
   */
  cached(): Promise<CachedModel[]>;
  /** Deletes a model's weights, config and library from the cache (unloading it first when loaded). */
  delete(modelId: string): Promise<void>;
}

/**
 * The worker as the page and the engine reach it (webgpu.worker.ts): the port above plus what
 * needs the worker's own globals (its adapter, its Cache Storage, the settings in IndexedDB).
 * Before web-llm is first needed nothing of it is loaded: `caps` and `status` never load it.
 */
export interface WebGpuWorkerApi extends WebGpuApi {
  /** The adapter as this worker sees it (detectWebGpu over its navigator.gpu); never rejects. */
  caps(): Promise<GpuCaps>;
  /**
   * Reads the model source (SETTINGS.webgpuWeightsBase / webgpuLibsBase) again after the page
   * saved it; the loaded model is unloaded when the source changed. An invalid saved source is
   * returned (and the public hosts are used).
   */
  reloadSource(): Promise<AppError | null>;
  /**
   * Imports `modelId` from a picked folder: plans the import (plan-folder-import.ts) and, when
   * there is no problem, writes every file into web-llm's caches under the URL web-llm will
   * request. Nothing is written when there is a problem; a failure while writing (a full disk)
   * removes what this import wrote.
   */
  importFolder(modelId: string, files: FolderFile[], onProgress?: (p: ImportProgress) => void): Promise<ImportResult>;
  /** Serves this API on another port too (the engine worker's channel, see EngineApi.linkWebGpu). */
  connect(port: MessagePort): Promise<void>;
}

/** A file of a picked folder: `path` is its webkitRelativePath (which does not survive postMessage). */
export interface FolderFile {
  path: string;
  file: Blob;
}

export interface ImportProgress {
  /** The file being written (its path in the folder). */
  file: string;
  writtenBytes: number;
  totalBytes: number;
}

export type ImportResult =
  | { ok: true; modelId: string; files: number; bytes: number; ignored: string[] }
  | { ok: false; problems: ImportProblem[]; error?: AppError };

export interface LoadResult {
  modelId: string;
  /** It was loaded already: nothing was done. */
  alreadyLoaded: boolean;
}

export interface CachedModel {
  modelId: string;
  /** From the catalog; absent when web-llm's record has none. */
  vramRequiredMB?: number;
  /** Bytes in web-llm's caches (weights, tokenizer, config, library), when the worker could measure them. */
  bytes?: number;
  /** Only some of its files are stored: not usable until a load fetches the rest. */
  partial?: true;
}

/** Which step of web-llm's load a progress report belongs to (read from its text). */
export type LoadPhase = 'fetch' | 'cache' | 'shaders' | 'start' | 'done' | 'other';

/**
 * web-llm's InitProgressReport ({ progress, timeElapsed, text }) plus what its text tells:
 * "Fetching param cache[3/22]: 120MB fetched. 13% completed, 9 secs elapsed. …" gives
 * shards and bytes (MB, rounded up by web-llm), hence a total and a speed.
 */
export interface WebGpuLoadProgress {
  /** 0..1 as web-llm reports it (per phase: it restarts at 0 when loading from the cache). */
  progress: number;
  text: string;
  /** Seconds since the phase started, as web-llm reports it. */
  timeElapsed: number;
  phase: LoadPhase;
  /** Shard counter "[i/n]" of the fetch or cache phase. */
  shard?: { done: number; total: number };
  /** Bytes so far (from "xMB", so a multiple of 1 MiB). */
  loadedBytes?: number;
  /** loadedBytes / percent, when the percent is above 0. */
  totalBytes?: number;
  /** loadedBytes / timeElapsed during the fetch phase, when some time has passed. */
  bytesPerSecond?: number;
}

/** One model of web-llm's list as the UI shows it (built by catalog.ts). */
export interface CatalogEntry {
  modelId: string;
  /** e.g. "Llama 3.2 1B Instruct" (quantization and "-MLC" left out; see `quantization`). */
  displayName: string;
  /** e.g. "Llama", "Qwen", "Phi", "Gemma" (first word of the id, normalized). */
  family: string;
  /** e.g. "q4f16_1", "q0f32", "q3f16_1". */
  quantization: string;
  vramRequiredMB?: number;
  /** web-llm says it runs on limited devices (phones). */
  lowResource: boolean;
  /** Needs the adapter feature `shader-f16` (listed as required, or f16 weights in the id). */
  needsF16: boolean;
  /** The context window the model is loaded with (web-llm's overrides), in tokens. */
  contextWindow?: number;
  /** Model type from web-llm: 'vlm' takes images. */
  kind: 'llm' | 'vlm';
  /** For an f16 model: the same model in f32 when web-llm lists it. */
  f32Variant?: string;
  /** Whether the adapter described by the caps can run it. */
  runnable: boolean;
  /** Why not (runnable false), e.g. "needs shader-f16; use Llama-3.2-1B-Instruct-q4f32_1-MLC". */
  reason?: string;
  /** Runnable but doubtful: e.g. needs more memory than this adapter suggests, or a software adapter. */
  warning?: string;
}

/** Errors cross as data; re-exported so the worker's users need one import. */
export type { AppError };
