/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { createEmbedService } from './embed/service';
import { ortWasmPaths } from './embed/wasm-paths';
import { hasWebGPU } from './embed/webgpu';

const service = createEmbedService({
  // transformers.js (and onnxruntime-web) only when the in-browser engine is first loaded.
  transformers: () => import('@huggingface/transformers') as unknown as Promise<import('./embed/local').TransformersLike>,
  caches: self.caches,
  wasmPaths: ortWasmPaths,
  hasWebGPU,
  fetch: (url, init) => fetch(url, init),
});

Comlink.expose(service);
