/**
 * Whether WebGPU can be used here: an adapter, and a device from it (a SwiftShader adapter
 * counts: it runs, slowly). Checked before transformers.js ever tries WebGPU, because a failed
 * WebGPU session leaves transformers.js unable to create any other session in the same worker.
 */
export async function hasWebGPU(): Promise<boolean> {
  type Device = { destroy?: () => void };
  type Adapter = { requestDevice(): Promise<Device> };
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return false;
    const device = await adapter.requestDevice();
    device.destroy?.();
    return true;
  } catch {
    return false;
  }
}
