import { createStandin, type StandinOptions } from './standin-core';

/**
 * What e2e builds put in place of '@mlc-ai/web-llm' (bundle.ts aliases the package here): the
 * four names the WebGPU worker uses (WebLlmModule in workers/webgpu/runtime.ts), with web-llm
 * 0.2.86's caching and downloads over the worker's real Cache API and fetch (standin-core.ts).
 * The options are a compile-time constant: esbuild's `define` replaces __WEBLLM_STANDIN__ with
 * the JSON of StandinOptions (a node test may set globalThis.__WEBLLM_STANDIN__ instead).
 */
declare const __WEBLLM_STANDIN__: StandinOptions;

const standin = createStandin(__WEBLLM_STANDIN__);

export const MLCEngine = standin.MLCEngine;
export const prebuiltAppConfig = standin.prebuiltAppConfig;
export const hasModelInCache = standin.hasModelInCache;
export const deleteModelAllInfoInCache = standin.deleteModelAllInfoInCache;
