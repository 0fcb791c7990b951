import { toAppError, type AppError } from '../../core/errors';
import type { GpuErrorAction } from '../../core/webgpu/gpu-errors';

/**
 * What a failed load, delete or import shows next to the model: the AppError's words and,
 * when gpu-errors.ts gave it an `action`, the one button that helps. The worker's errors cross
 * Comlink as plain objects, so `code`, `action` and `variant` arrive as data; nothing else
 * (a bug's plain Error) gets a button.
 */
export type ErrorButton =
  /** Download and use this model instead (the f32 variant when the adapter lacks shader-f16). */
  | { kind: 'use-variant'; modelId: string }
  /** Load the same model again (the GPU device was lost). */
  | { kind: 'reload' }
  /** Delete this model's files and download it again (a corrupt file). */
  | { kind: 'redownload' };

export interface ErrorView {
  message: string;
  detail?: string;
  button?: ErrorButton;
  /** Set for a stop the user asked for: not an error to show. */
  aborted?: true;
}

/** `f32Variant`: the catalog's variant of the model, offered when the error names none. */
export function errorView(err: unknown, f32Variant?: string): ErrorView {
  const e: AppError & { action?: unknown; variant?: unknown } = toAppError(err);
  const view: ErrorView = { message: e.message };
  if (e.detail) view.detail = e.detail;
  if (e.kind === 'aborted') view.aborted = true;
  const action = typeof e.action === 'string' ? (e.action as GpuErrorAction) : undefined;
  const variant = typeof e.variant === 'string' ? e.variant : f32Variant;
  if (action === 'use-f32-variant' && variant) view.button = { kind: 'use-variant', modelId: variant };
  else if (action === 'reload-model') view.button = { kind: 'reload' };
  else if (action === 'redownload-model') view.button = { kind: 'redownload' };
  return view;
}
