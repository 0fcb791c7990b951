import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The installed web-llm's bundle, read as text (never imported: tests check facts against it). */
export const WEBLLM_SRC = readFileSync(join(process.cwd(), 'node_modules/@mlc-ai/web-llm/lib/index.js'), 'utf8');

/** Real records of web-llm 0.2.86's prebuiltAppConfig (model-source.test checks they are still there). */
export const LLAMA_F16 = {
  model: 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC',
  model_id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
  model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm',
  vram_required_MB: 879.04,
  low_resource_required: true,
  overrides: { context_window_size: 4096 },
};
export const GEMMA4_F32 = {
  model: 'https://huggingface.co/mlc-ai/gemma-4-E2B-it-q4f32_1-MLC',
  model_id: 'gemma-4-E2B-it-q4f32_1-MLC',
  model_lib: 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/gemma-4-E2B-it-q4f32_1_cs512-webgpu.wasm',
  model_manifest: 'mlc-model-manifest.json',
  vram_required_MB: 3862.72,
};

/** web-llm's own cleanModelUrl, taken from the installed library's text. */
export function webllmCleanModelUrl(): (u: string) => string {
  const m = /function cleanModelUrl\(modelUrl\) \{[\s\S]*?\n\}/.exec(WEBLLM_SRC);
  if (!m) throw new Error('cleanModelUrl not found in web-llm');
  return new Function(`${m[0]}; return cleanModelUrl;`)() as (u: string) => string;
}
