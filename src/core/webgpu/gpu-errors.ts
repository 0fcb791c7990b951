import { appError, isAppError, isQuotaError, toAppError, type AppError } from '../errors';
import { explainNoWebGpu } from './explain-no-webgpu';

/**
 * Turns what web-llm (0.2.86), its TVM runtime, WebGPU and the storage APIs throw into an
 * AppError the user can act on. web-llm throws plain Errors with a `name` (WebGPUNotAvailableError,
 * ShaderF16SupportError, DeviceLostError, IntegrityError, …); after a trip through a worker only
 * `name` and `message` survive, so both are matched, and messages are matched on the exact
 * texts of web-llm's source (see gpu-errors.test.ts for the strings).
 *
 * `code` says which case it is (the UI picks its button by it), `action` what the UI should
 * offer, `file` which model file failed when the text names one.
 */
export type GpuErrorCode =
  | 'webgpu-unavailable'
  | 'no-shader-f16'
  | 'feature-unsupported'
  | 'device-lost'
  | 'gpu-out-of-memory'
  | 'storage-quota'
  | 'model-file-missing'
  | 'model-file-corrupt'
  | 'model-lib-missing';

export type GpuErrorAction =
  | 'enable-webgpu' // show the per-browser steps in `detail`
  | 'use-f32-variant' // offer `variant` instead
  | 'choose-smaller-model'
  | 'reload-model' // load the same model again (the GPU device is gone)
  | 'free-storage' // delete cached models or other data
  | 'redownload-model' // delete this model's cache and download or import again
  | 'check-model-source'; // the mirror or the imported folder lacks a file

export interface GpuAppError extends AppError {
  code: GpuErrorCode;
  action?: GpuErrorAction;
  /** The failing model file: its URL when known, else its name. */
  file?: string;
  /** The model id offered instead (the f32 variant when the adapter lacks shader-f16). */
  variant?: string;
}

export interface GpuErrorContext {
  /** For the no-WebGPU advice. */
  userAgent?: string;
  /** The model being loaded, named in the messages. */
  modelId?: string;
  /** The f32 variant of that model (workers/webgpu/catalog knows it), offered for no-f16. */
  f32Variant?: string;
  /**
   * The file that failed, when the worker found it. With the default Cache API backend a failed
   * download rejects with the browser's "Failed to execute 'add' on 'Cache': Request failed"
   * (a 404) or "Failed to fetch" (no connection), which name no URL, and cache.add() does not go
   * through the worker's fetch. The worker finds it as the first of modelFiles(record) (in
   * model-source.ts, in web-llm's fetch order) that is not in its cache after the failure.
   */
  failedUrl?: string;
}

/** What a model file is, from its URL or name, for messages ("the tokenizer (tokenizer.json)"). */
export function describeModelFile(urlOrName: string): string {
  const name = fileName(urlOrName);
  if (/\.wasm$/i.test(name)) return `the model library (${name})`;
  if (name === 'mlc-chat-config.json') return `the model configuration (${name})`;
  if (name === 'mlc-model-manifest.json') return `the model package manifest (${name})`;
  if (name === 'tensor-cache.json' || name === 'ndarray-cache.json') return `the weights index (${name})`;
  if (/^params_shard_\d+\.bin$/.test(name) || /\.bin$/i.test(name)) return `the weights file ${name}`;
  if (/^tokenizer/.test(name)) return `the tokenizer (${name})`;
  return name;
}

/** The last path segment of a URL or path, percent-decoded, without query or fragment. */
export function fileName(urlOrName: string): string {
  const path = urlOrName.split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).pop() ?? path;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The first http(s) URL in a text, without trailing punctuation web-llm puts after it. */
export function findUrl(text: string): string | undefined {
  const m = /https?:\/\/[^\s"'<>]+/.exec(text);
  return m ? m[0].replace(/[.,;:)\]]+$/, '') : undefined;
}

interface Thrown {
  name: string;
  message: string;
  text: string;
  err: unknown;
}

function read(err: unknown): Thrown {
  if (isAppError(err)) {
    const text = `${err.message}\n${err.detail ?? ''}`;
    return { name: typeof err.type === 'string' ? err.type : String(err.code ?? ''), message: err.message, text, err };
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; message?: unknown };
    const name = typeof e.name === 'string' ? e.name : '';
    const message = typeof e.message === 'string' ? e.message : String(err);
    return { name, message, text: `${name}: ${message}`, err };
  }
  return { name: '', message: String(err), text: String(err), err };
}

function gpuError(kind: AppError['kind'], code: GpuErrorCode, message: string, detail: string, more: Partial<GpuAppError> = {}): GpuAppError {
  return { ...appError(kind, message), detail, code, ...more };
}

/**
 * Classifies one thrown value. Returns a GpuAppError for every case above, or `undefined` when
 * the error is none of them (the caller then uses toAppError: a bad request, an abort, a bug).
 * Order matters: quota before missing file (a refused cache write is reported as
 * "Failed to store <url> with error: QuotaExceededError"); a plain OOM before a plain device
 * loss (an OOM often loses the device too, and "smaller model" is the useful advice).
 */
export function classifyGpuError(err: unknown, ctx: GpuErrorContext = {}): GpuAppError | undefined {
  const t = read(err);
  const model = ctx.modelId ? `"${ctx.modelId}"` : 'this model';
  const raw = t.text.trim();

  if (t.name === 'WebGPUNotAvailableError' || t.name === 'WebGPUNotFoundError' ||
      /WebGPU is not supported in your current environment|Cannot find WebGPU in the environment/.test(t.text)) {
    const e = explainNoWebGpu('no-webgpu', ctx.userAgent ?? '');
    return { ...e, detail: `${e.detail} (${raw})` };
  }

  // Also Dawn's WGSL error when an f16 shader reaches an adapter without the feature.
  if (t.name === 'ShaderF16SupportError' || /requires WebGPU extension shader-f16|feature shader-f16|extension 'f16' is not allowed/.test(t.text)) {
    const variant = ctx.f32Variant;
    return gpuError(
      'internal',
      'no-shader-f16',
      `${cap(model)} needs 16-bit float shaders (shader-f16), which this graphics adapter does not offer.`,
      variant
        ? `Use the f32 variant "${variant}" instead: same model, more memory, no shader-f16 needed. (${raw})`
        : `Choose a model whose id contains "f32" (e.g. q4f32_1): those do not need shader-f16. (${raw})`,
      variant ? { action: 'use-f32-variant', variant } : {},
    );
  }

  if (t.name === 'FeatureSupportError' || /This model requires feature (\S+), which is not yet supported/.test(t.text)) {
    const feature = /requires feature (\S+?),/.exec(t.text)?.[1] ?? 'a WebGPU feature';
    return gpuError('internal', 'feature-unsupported', `${cap(model)} needs the WebGPU feature ${feature}, which this browser or adapter lacks.`,
      `Choose another model, or try another browser. (${raw})`, { action: 'choose-smaller-model' });
  }

  if (isQuotaError(err) || /QuotaExceededError|quota (?:has been |was )?exceeded|exceeded the quota|not enough (?:disk )?space/i.test(t.text)) {
    const url = findUrl(t.text) ?? ctx.failedUrl;
    return gpuError('storage', 'storage-quota',
      'The browser refused to store the model: its storage quota for this site is used up.',
      'Delete downloaded models you do not need, free disk space, or pick a smaller model, then download again; files already stored are kept.' +
        (url ? ` It failed while storing ${describeModelFile(url)}.` : '') + ` (${raw})`,
      url ? { action: 'free-storage', file: url } : { action: 'free-storage' });
  }

  // web-llm's DeviceLostError ("…was lost while loading the model… running out of memory (OOM)")
  // is checked before OOM: its text names OOM, but the device is gone and must be reloaded.
  const lostWhileLoading = t.name === 'DeviceLostError' || /device was lost while loading the model/.test(t.text);
  if (lostWhileLoading) {
    return gpuError('internal', 'device-lost',
      `The GPU stopped while loading ${model}, most often because it needs more GPU memory than is free.`,
      `Reload to try again after closing other GPU-heavy tabs, or choose a smaller model or a shorter context. (${raw})`,
      { action: 'reload-model' });
  }

  if (t.name === 'GPUOutOfMemoryError' || /out of memory|OutOfMemory|Failed to allocate|allocation failed|could not allocate memory|Not enough memory/i.test(t.text)) {
    return gpuError('internal', 'gpu-out-of-memory',
      `The GPU ran out of memory for ${model}.`,
      `Choose a smaller model (fewer parameters, or a lower VRAM figure in the list), close other tabs or apps that use the GPU, then load it again. (${raw})`,
      { action: 'choose-smaller-model' });
  }

  if (/device (?:was |is )?lost|GPUDeviceLostInfo/i.test(t.text)) {
    return gpuError('internal', 'device-lost',
      'The GPU connection was lost (a driver reset, the GPU being reclaimed, or memory running out).',
      `Reload the model to continue; the conversation is kept. If it keeps happening, choose a smaller model. (${raw})`,
      { action: 'reload-model' });
  }

  if (t.name === 'IntegrityError' || /Integrity verification failed for/.test(t.text)) {
    const url = findUrl(t.text) ?? ctx.failedUrl;
    return gpuError('protocol', 'model-file-corrupt',
      `A model file is corrupt: ${url ? describeModelFile(url) : 'a file'} does not match its checksum.`,
      `Delete this model's cache and download or import it again. (${raw})`,
      url ? { action: 'redownload-model', file: url } : { action: 'redownload-model' });
  }

  // tvmjs reading a stored shard shorter than tensor-cache.json says (a truncated download or a
  // partial copy in an imported folder). It names no file: ctx.failedUrl, when the worker has one.
  if (/Tensor-cache record range \[\d+, \d+\) exceeds shard size|Invalid tensor-cache (?:byteOffset|nbytes)/.test(t.text)) {
    const url = ctx.failedUrl;
    return gpuError('protocol', 'model-file-corrupt',
      `A weights file of ${model} is damaged: ${url ? `${describeModelFile(url)} is` : 'it is'} shorter than the weights index says.`,
      `Delete this model's cache and download or import it again. (${raw})`,
      url ? { action: 'redownload-model', file: url } : { action: 'redownload-model' });
  }

  if (t.name === 'MissingModelError' || /Missing `model_lib` for the model/.test(t.text)) {
    return gpuError('invalid', 'model-lib-missing', `${cap(model)} has no model library (model_lib) in its record.`,
      `Set the model library URL or a mirror for model libraries, or import a folder that contains the .wasm file. (${raw})`,
      { action: 'check-model-source' });
  }

  // Download failures, in the forms each cache backend reports them (web-llm's tvmjs):
  // "Cannot fetch <url>", "Failed to store <url> with error: Error: Network response was not ok",
  // "ArtifactOPFSCache: Unable to fetch <url>, received status 404", and the Cache API's own
  // "Failed to execute 'add' on 'Cache': Request failed" (no URL: ctx.failedUrl).
  const status = /received status (\d{3})/.exec(t.text)?.[1];
  if (/Cannot fetch https?:|Failed to store https?:|Unable to fetch https?:|failed to fetch: https?:|failed to hydrate https?:|on 'Cache': Request failed|Cache\.add|Network response was not ok/.test(t.text) ||
      (/Failed to fetch|NetworkError when attempting to fetch|Load failed/.test(t.text) && (findUrl(t.text) ?? ctx.failedUrl))) {
    const url = findUrl(t.text) ?? ctx.failedUrl;
    const what = url ? describeModelFile(url) : 'a model file';
    return gpuError(status ? 'http' : 'network', 'model-file-missing',
      `Could not download ${what}${status === '404' ? ': the server does not have it (404)' : ''}.`,
      (url ? `URL: ${url}. ` : '') +
        'If you use a mirror, check that it has this file at this path (same layout as huggingface.co and binary-mlc-llm-libs); ' +
        `if you imported a folder, check that the file is in it; otherwise check the connection and try again. (${raw})`,
      { action: 'check-model-source', ...(url ? { file: url } : {}), ...(status ? { status: Number(status) } : {}) });
  }

  // A file that arrived but is not what it should be: an HTML error page served as the library
  // or the config (a mirror's 200 "not found" page), or a truncated shard.
  if (/expected magic word 00 61 73 6d|WebAssembly\.(?:instantiate|compile|Module)\(\)|CompileError/.test(t.text)) {
    const url = ctx.failedUrl;
    return gpuError('protocol', 'model-file-corrupt', 'The model library (.wasm) is not a valid WebAssembly file.',
      `The server probably returned an error page instead of the file: check the model library URL or the mirror, delete this model's cache and try again. (${raw})`,
      url ? { action: 'redownload-model', file: url } : { action: 'redownload-model' });
  }
  if (t.name === 'SyntaxError' && /JSON/.test(t.text)) {
    const url = ctx.failedUrl;
    return gpuError('protocol', 'model-file-corrupt',
      `A model file is not valid JSON${url ? `: ${describeModelFile(url)}` : ' (mlc-chat-config.json, tensor-cache.json or tokenizer.json)'}.`,
      `The server may have returned an error page instead of the file. Check the mirror or the imported folder, delete this model's cache and try again. (${raw})`,
      url ? { action: 'redownload-model', file: url } : { action: 'redownload-model' });
  }
  return undefined;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** classifyGpuError, or the generic AppError for anything it does not recognise. */
export function toGpuAppError(err: unknown, ctx: GpuErrorContext = {}): AppError {
  return classifyGpuError(err, ctx) ?? (isAppError(err) ? err : toAppError(err));
}
