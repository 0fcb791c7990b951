import type { EmbedConnection } from '../src/core/rag/embed-remote';

/** The embedding worker's surface (`embed.worker.ts`); the UI imports it with `import type`. */

/** Where transformers.js runs the model: the GPU when the browser has WebGPU, else WebAssembly on the CPU. */
export type LocalDevice = 'webgpu' | 'wasm';

/** Which file of the model runs: `onnx/model.onnx` (fp32), `model_fp16.onnx`, `model_quantized.onnx` (q8), … */
export type LocalDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';

export interface LocalEmbedConfig {
  engine: 'local';
  /** e.g. "Xenova/all-MiniLM-L6-v2". */
  modelId: string;
  /**
   * A mirror with the Hugging Face layout (default https://huggingface.co/), or any static
   * folder with `pathTemplate` '{model}/'. Undefined: no downloads, only files already stored
   * (imported or downloaded before).
   */
  baseUrl?: string;
  /** Appended to baseUrl; default '{model}/resolve/{revision}/'. */
  pathTemplate?: string;
  /** 'auto' (the default): WebGPU when an adapter is available, else WASM. */
  device?: LocalDevice | 'auto';
  /** Default: 'fp32' on WebGPU, 'q8' on WASM (transformers.js's own defaults). */
  dtype?: LocalDtype;
  /** Texts per pipeline call (default 32). */
  batch?: number;
}

export interface RemoteEmbedConfig {
  engine: 'openai' | 'ollama';
  connection: EmbedConnection;
  model: string;
  batch?: number;
}

export type EmbedConfig = LocalEmbedConfig | RemoteEmbedConfig;

/** What `load` reports back: the embedder's identity and where it runs. */
export interface EmbedderInfo {
  /** Embedder.id: vectors of different ids never share an index. */
  id: string;
  maxBatch: number;
  /** Vector size; known after loading (local) or after the first answer (remote). */
  dims?: number;
  device?: LocalDevice;
  dtype?: LocalDtype;
  /** Why the device differs from what was asked, e.g. WebGPU failed and WASM took over. */
  note?: string;
}

/** Download progress of one file, as transformers.js reports it. */
export interface EmbedLoadProgress {
  file: string;
  /** Bytes so far and in all, when the server says. */
  loaded?: number;
  total?: number;
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
}

/** One file of a model folder the user picked (path inside the folder, e.g. "onnx/model.onnx"). */
export interface ModelFile {
  path: string;
  data: Blob;
}

export interface StoredModel {
  modelId: string;
  files: string[];
  bytes: number;
}

export interface EmbedApi {
  /** Loads (or reuses) an embedder; throws an AppError when it cannot. */
  load(config: EmbedConfig, onProgress?: (p: EmbedLoadProgress) => void): Promise<EmbedderInfo>;
  /**
   * Vectors for `texts` with the loaded embedder, if its id is still `id` (a load in between
   * would otherwise mix models). One vector per text, L2-normalized. `requestId` (unique per
   * caller, e.g. a counter) lets `cancel` stop this call: an AbortSignal cannot cross to a worker.
   */
  embed(id: string, texts: string[], requestId?: number): Promise<Float32Array[]>;
  /**
   * Stops the embed call with this `requestId`: it rejects at once with an `aborted` AppError. A
   * call still queued never runs; a remote one's HTTP request is aborted; an in-browser batch
   * already running cannot be interrupted, so it finishes (later calls wait for it, no longer)
   * and its vectors are dropped. A cancel that arrives before its embed call stops it on arrival.
   */
  cancel(requestId: number): Promise<void>;
  /** Stores a model's files for use without downloads (air-gapped). Replaces files of the same path. */
  importModel(modelId: string, files: ModelFile[]): Promise<StoredModel>;
  storedModels(): Promise<StoredModel[]>;
  deleteModel(modelId: string): Promise<void>;
  /** Frees the loaded pipeline (GPU and WASM memory). */
  unload(): Promise<void>;
}
