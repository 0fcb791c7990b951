/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { createEmbedService } from './embed/service';
import { ortWasmPaths } from './embed/wasm-paths';

/** Whether the browser gives a WebGPU adapter (a SwiftShader one counts: it runs, slowly). */
async function hasWebGPU(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

const service = createEmbedService({
  // transformers.js (and onnxruntime-web) only when the in-browser engine is first loaded.
  transformers: () => import('@huggingface/transformers') as unknown as Promise<import('./embed/local').TransformersLike>,
  caches: self.caches,
  wasmPaths: ortWasmPaths,
  hasWebGPU,
  fetch: (url, init) => fetch(url, init),
});

Comlink.expose(service);
