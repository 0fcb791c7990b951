import { appError, isAppError, type AppError } from '../../src/core/errors';
import { abortedError } from '../../src/core/providers/transport-errors';
import { toGpuAppError, type GpuErrorContext } from '../../src/core/webgpu/gpu-errors';

/**
 * The service's error step: a thin adapter over src/core/webgpu/gpu-errors.ts, the one
 * classifier of web-llm/WebGPU errors (codes no-shader-f16, gpu-out-of-memory, storage-quota,
 * model-file-missing, model-file-corrupt, device-lost, … with `action`, `file`, `variant`).
 * It only adds what the service needs before that: its own AppErrors pass through unchanged
 * (they are already classified, and a second pass must not turn one case into another), an
 * abort is "Stopped.", and web-llm's ModelNotFoundError / ModelNotLoadedError get the codes
 * unknown-model / not-loaded the service uses for its own checks.
 */
export function classifyServiceError(err: unknown, ctx: GpuErrorContext): AppError {
  if (isAppError(err)) return err;
  const name = typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : '';
  if (name === 'AbortError') return abortedError();
  const message = err instanceof Error ? err.message : String(err);
  const detail = `${name ? `${name}: ` : ''}${message}`;
  if (name === 'ModelNotFoundError') return appError('invalid', `${ctx.modelId ?? 'This model'} is not in the model list.`, { code: 'unknown-model', detail });
  if (name === 'ModelNotLoadedError') return appError('internal', 'No model is loaded.', { code: 'not-loaded', detail });
  return toGpuAppError(err, ctx);
}
