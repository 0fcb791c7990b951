import { classifyGpuError } from '../../src/core/webgpu/gpu-errors';
import { detectWebGpu, type GpuLike } from '../../src/core/webgpu/detect';
import { explainNoWebGpu } from '../../src/core/webgpu/explain-no-webgpu';
import { buildCatalog } from '../../workers/webgpu/catalog';
import type { GpuHarness, GpuHarnessResult } from './api';

/**
 * Test page code for e2e/webgpu-real.spec.ts (bundled by esbuild in the spec, never part of the
 * app): runs detection, catalog marking and the error messages against the browser's REAL
 * WebGPU. The WebGPU calls below use the untyped navigator.gpu (our DOM lib has no WebGPU types).
 */

type AnyGpu = any;

const run: GpuHarness = async ({ modelList, f16ModelId }) => {
  const gpu = (navigator as unknown as { gpu?: AnyGpu }).gpu;
  const caps = await detectWebGpu(gpu as GpuLike | undefined, navigator.userAgent);
  const catalog = buildCatalog(modelList, caps);
  const result: GpuHarnessResult = {
    secureContext: isSecureContext,
    userAgent: navigator.userAgent,
    hasNavigatorGpu: gpu !== undefined,
    caps,
    catalog,
  };
  if (!caps.available) {
    result.noWebGpu = explainNoWebGpu(caps.reason, navigator.userAgent, { secureContext: isSecureContext });
    return result;
  }
  const entry = catalog.find((e) => e.modelId === f16ModelId);
  result.f16Shader = await f16ShaderError(gpu, f16ModelId, entry?.f32Variant);
  return result;
};

/** Compiles an f16 shader on a device without shader-f16 and returns Dawn's own error text. */
async function f16ShaderError(gpu: AnyGpu, modelId: string, f32Variant: string | undefined): Promise<NonNullable<GpuHarnessResult['f16Shader']>> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const device = await adapter.requestDevice(); // no requiredFeatures: like web-llm on an adapter without f16
  try {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({
      code: 'enable f16;\n@compute @workgroup_size(1) fn main() { var x: f16 = 1.0h; _ = x; }',
    });
    const info = await module.getCompilationInfo();
    const scoped = await device.popErrorScope();
    const compilationMessages: string[] = info.messages.map((m: { message: string }) => m.message);
    const out: NonNullable<GpuHarnessResult['f16Shader']> = { compilationMessages };
    if (scoped) {
      out.rawError = String(scoped.message);
      // As web-llm/TVM would surface it: an Error carrying the validation message.
      const classified = classifyGpuError(new Error(out.rawError), { modelId, ...(f32Variant ? { f32Variant } : {}) });
      if (classified) out.classified = classified;
    }
    return out;
  } finally {
    device.destroy();
  }
}

(globalThis as unknown as { __gpuHarness: GpuHarness }).__gpuHarness = run;
