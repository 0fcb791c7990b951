import type { AppError } from '../../src/core/errors';
import type { GpuAppError } from '../../src/core/webgpu/gpu-errors';
import type { GpuCaps } from '../../src/core/webgpu/detect';
import type { CatalogEntry } from '../../workers/webgpu/api';
import type { WebLlmModelRecord } from '../../workers/webgpu/runtime';

/**
 * What the WebGPU harness page (entry.ts) puts on `globalThis.__gpuHarness`, for
 * e2e/webgpu-real.spec.ts. Everything returned is plain data (it crosses page.evaluate).
 */
export interface GpuHarnessInput {
  /** web-llm's prebuiltAppConfig.model_list, passed in from node (the page does not load web-llm). */
  modelList: WebLlmModelRecord[];
  /** The f16 model whose fallback is checked, e.g. Llama-3.2-1B-Instruct-q4f16_1-MLC. */
  f16ModelId: string;
}

export interface GpuHarnessResult {
  secureContext: boolean;
  userAgent: string;
  hasNavigatorGpu: boolean;
  caps: GpuCaps;
  catalog: CatalogEntry[];
  /**
   * When an adapter exists: the validation error Dawn itself raises for a WGSL shader with
   * `enable f16;` on a device created without shader-f16 (undefined if it raised none), and
   * what gpu-errors makes of that real error for `f16ModelId`.
   */
  f16Shader?: { rawError?: string; compilationMessages: string[]; classified?: GpuAppError };
  /** explainNoWebGpu(caps.reason, navigator.userAgent, { secureContext }) when unavailable. */
  noWebGpu?: AppError & { code: string; action: string };
}

export type GpuHarness = (input: GpuHarnessInput) => Promise<GpuHarnessResult>;
