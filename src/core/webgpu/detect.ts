/**
 * What the browser's WebGPU can do, as plain data: the UI and the model catalog decide with it
 * (which models to offer, whether to offer the f32 variant), and it crosses the worker bridge.
 *
 * The platform comes in as a parameter (`navigator.gpu` and `navigator.userAgent` from the
 * caller), so this module runs in node against fake objects. No device is requested: asking for
 * an adapter is enough to know features and limits, and a device would hold GPU memory.
 */

/** The shared shape (issue 8 plan): workers/webgpu/catalog.ts imports it. */
export interface GpuCaps {
  available: boolean;
  /** The adapter has the `shader-f16` feature (models with `q4f16`/`q0f16` quantisation need it). */
  f16: boolean;
  /** A software or otherwise fallback adapter (e.g. SwiftShader): works, but slowly. */
  isFallback: boolean;
  /** Bytes; 0 when not available. */
  maxBufferSize: number;
  /** Bytes; 0 when not available. */
  maxStorageBufferBindingSize: number;
  vendor?: string;
  architecture?: string;
  /** Why `available` is false: one of `GpuUnavailableReason`. */
  reason?: string;
}

/** Why there is no usable WebGPU; gpu-errors.ts turns each into a message for the user. */
export type GpuUnavailableReason =
  | 'no-webgpu' // the browser exposes no `navigator.gpu` (not supported, disabled, or not a secure context)
  | 'no-adapter' // requestAdapter() resolved to null (blocklisted GPU, hardware acceleration off)
  | 'adapter-error'; // requestAdapter() or reading the adapter threw

/** The subset of the WebGPU API read here (the DOM lib of our TypeScript has no WebGPU types). */
export interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Chrome 131+ moved `isFallbackAdapter` onto the info object. */
  isFallbackAdapter?: boolean;
}

export interface GpuAdapterLike {
  features: { has(name: string): boolean };
  limits: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
  /** Chrome 114+, Firefox, Safari 26: a property. */
  info?: GpuAdapterInfoLike;
  /** Older Chrome: a method (removed in Chrome 131). */
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
  /** Deprecated spot of the same flag; Chrome < 131 and Firefox. */
  isFallbackAdapter?: boolean;
}

export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** No WebGPU: everything false or zero, with the reason (and the error text in `detail`). */
export function unavailableCaps(reason: GpuUnavailableReason): GpuCaps {
  return { available: false, f16: false, isFallback: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, reason };
}

/**
 * Asks for a high-performance adapter (web-llm asks for the same) and reads what the model
 * catalog needs. Never throws: every failure becomes `available: false` with a reason.
 * `userAgent` is not needed for the answer itself but is kept in the signature so callers pass
 * both platform facts at one place; gpu-errors.ts uses it for the per-browser advice.
 */
export async function detectWebGpu(gpu: GpuLike | undefined | null, _userAgent: string): Promise<GpuCaps> {
  if (!gpu || typeof gpu.requestAdapter !== 'function') return unavailableCaps('no-webgpu');
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return unavailableCaps('adapter-error');
  }
  if (!adapter) return unavailableCaps('no-adapter');
  try {
    const info = await readInfo(adapter);
    const caps: GpuCaps = {
      available: true,
      f16: adapter.features.has('shader-f16'),
      isFallback: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      maxBufferSize: numberOr0(adapter.limits.maxBufferSize),
      maxStorageBufferBindingSize: numberOr0(adapter.limits.maxStorageBufferBindingSize),
    };
    if (info.vendor) caps.vendor = info.vendor;
    if (info.architecture) caps.architecture = info.architecture;
    return caps;
  } catch {
    return unavailableCaps('adapter-error');
  }
}

async function readInfo(adapter: GpuAdapterLike): Promise<GpuAdapterInfoLike> {
  if (adapter.info) return adapter.info;
  if (typeof adapter.requestAdapterInfo === 'function') {
    try {
      return await adapter.requestAdapterInfo();
    } catch {
      return {}; // the info is decoration; a refusal must not hide a working adapter
    }
  }
  return {};
}

function numberOr0(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}
