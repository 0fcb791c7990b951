import { appError, isAppError, isQuotaError, toAppError, type AppError } from '../../src/core/errors';
import { abortedError } from '../../src/core/providers/transport-errors';

/** Where the error came from: it decides the advice. */
export interface ErrorContext {
  modelId?: string;
  during: 'load' | 'generate' | 'cache';
}

/**
 * What web-llm (or the browser under it) threw → an AppError the UI can show. Deliberately
 * simple and in one place: src/core/webgpu/gpu-errors.ts (gpu-env) is the full version with
 * per-browser advice, and the service takes any function of this type (`classifyError` dep).
 * `code` names the case for the UI: no-webgpu, no-f16, device-lost, gpu-memory, quota,
 * fetch-failed, corrupt-file, unknown-model, not-loaded.
 */
export function classifyWebLlmError(err: unknown, ctx: ErrorContext): AppError {
  if (isAppError(err)) return err;
  if (isQuotaError(err)) {
    return appError('storage', 'Storage is full: the browser refused to store the model files. Delete other models or free space, then try again; what was downloaded so far is kept.', {
      code: 'quota',
      detail: String(err),
    });
  }
  if (err instanceof DOMException && err.name === 'AbortError') return abortedError();
  const name = err instanceof Error ? err.name : '';
  const text = err instanceof Error ? err.message : String(err);
  const detail = `${name ? `${name}: ` : ''}${text}`;
  const model = ctx.modelId ?? 'this model';
  if (name === 'ModelNotFoundError') return appError('invalid', `${model} is not in the model list.`, { code: 'unknown-model', detail });
  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError') {
    return appError('internal', 'WebGPU is not available in this browser, so in-browser models cannot run here.', { code: 'no-webgpu', detail });
  }
  if (name === 'ShaderF16SupportError' || /shader-f16|extension 'f16' is not allowed/.test(text)) {
    return appError('invalid', `${model} needs the GPU feature shader-f16, which this browser or GPU does not offer. Choose the f32 variant of the model.`, { code: 'no-f16', detail });
  }
  if (/out of memory|\bOOM\b|allocation failed/i.test(text) && name !== 'DeviceLostError') {
    return appError('internal', `The GPU ran out of memory for ${model}. Choose a smaller model (or one with a shorter context).`, { code: 'gpu-memory', detail });
  }
  if (name === 'DeviceLostError' || /device (was |is )?lost|GPUDevice was lost/i.test(text)) {
    const why = ctx.during === 'load' ? 'while loading (usually it ran out of memory: a smaller model may fit)' : 'during the answer';
    return appError('internal', `The GPU device was lost ${why}. Reload the model to try again.`, { code: 'device-lost', detail });
  }
  if (/Tensor-cache|Integrity verification failed|byteOffset|nbytes/.test(text)) {
    return appError('storage', `A stored file of ${model} is damaged. Delete the model and download or import it again.`, { code: 'corrupt-file', detail });
  }
  if (err instanceof TypeError && /Failed to execute 'add' on 'Cache'|Failed to fetch|NetworkError|Load failed/.test(text)) {
    return appError('network', `A file of ${model} could not be downloaded: it is missing at the model source, or the network is down.`, { code: 'fetch-failed', detail });
  }
  if (/Cannot fetch|Network response was not ok|Failed to store|Unable to fetch/.test(text)) {
    return appError('network', `A file of ${model} could not be downloaded: it is missing at the model source, or the network is down.`, { code: 'fetch-failed', detail });
  }
  if (name === 'ModelNotLoadedError') return appError('internal', 'No model is loaded.', { code: 'not-loaded', detail });
  return toAppError(err, 'internal');
}
