// onnxruntime-web's WebAssembly build that transformers.js's bundle (onnxruntime-web/webgpu)
// loads, served from this app's own assets (vite copies them at build time), never from a CDN.
// They are large (the .wasm ≈ 26 MB): vite.config.ts keeps them out of the service worker's
// precache and caches them at runtime instead.
import wasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

export const ortWasmPaths = { wasm, mjs };
