import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { GpuCaps } from '../../src/core/webgpu/detect';
import type { CatalogEntry } from './api';
import { buildCatalog, f32VariantOf, quantizationOf } from './catalog';

/** Against web-llm's REAL list (0.2.86): importing the package works under node (no GPU touched). */
const list = prebuiltAppConfig.model_list;

const GOOD_GPU: GpuCaps = { available: true, f16: true, isFallback: false, maxBufferSize: 4 * 2 ** 30, maxStorageBufferBindingSize: 2 ** 31 };
/** What Chromium's SwiftShader adapter reports (no shader-f16, fallback, WebGPU default limits). */
const SWIFTSHADER: GpuCaps = { available: true, f16: false, isFallback: true, maxBufferSize: 256 * 2 ** 20, maxStorageBufferBindingSize: 128 * 2 ** 20 };

function find(entries: CatalogEntry[], id: string): CatalogEntry {
  const e = entries.find((x) => x.modelId === id);
  if (!e) throw new Error(`${id} not in the catalog`);
  return e;
}

describe('buildCatalog on prebuiltAppConfig', () => {
  const good = buildCatalog(list, GOOD_GPU);
  const soft = buildCatalog(list, SWIFTSHADER);

  it('keeps chat models, drops the embedding ones, marks the vision model', () => {
    const embeddings = list.filter((r) => r.model_type === 1).map((r) => r.model_id);
    expect(embeddings).toContain('snowflake-arctic-embed-m-q0f32-MLC-b32');
    expect(good).toHaveLength(list.length - embeddings.length);
    expect(good.some((e) => e.modelId.startsWith('snowflake'))).toBe(false);
    expect(find(good, 'Phi-3.5-vision-instruct-q4f16_1-MLC').kind).toBe('vlm');
    expect(find(good, 'Phi-3.5-mini-instruct-q4f16_1-MLC').kind).toBe('llm');
  });

  it('describes a model from its record', () => {
    expect(find(good, 'Llama-3.2-1B-Instruct-q4f16_1-MLC')).toEqual({
      modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
      displayName: 'Llama 3.2 1B Instruct',
      family: 'Llama',
      quantization: 'q4f16_1',
      vramRequiredMB: 879.04,
      lowResource: true,
      // No required_features in its record: f16 comes from the id.
      needsF16: true,
      contextWindow: 4096,
      kind: 'llm',
      f32Variant: 'Llama-3.2-1B-Instruct-q4f32_1-MLC',
      runnable: true,
    });
    expect(find(good, 'gemma-2-2b-it-q4f16_1-MLC-1k')).toMatchObject({ displayName: 'gemma 2 2b it (1k context)', family: 'Gemma', contextWindow: 1024, f32Variant: 'gemma-2-2b-it-q4f32_1-MLC-1k' });
    expect(find(good, 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC')).toMatchObject({ family: 'Qwen', needsF16: false, quantization: 'q4f32_1' });
    expect(find(good, 'Qwen2.5-Coder-7B-Instruct-q4f32_1-MLC').f32Variant).toBeUndefined();
    expect(find(good, 'Qwen3-0.6B-q0f16-MLC').f32Variant).toBe('Qwen3-0.6B-q0f32-MLC');
  });

  it('every f32 variant offered exists and needs no f16; f16 models without one are the ones web-llm lists alone', () => {
    const ids = new Set(list.map((r) => r.model_id));
    const withVariant = good.filter((e) => e.f32Variant);
    expect(withVariant.length).toBeGreaterThan(50);
    for (const e of withVariant) {
      expect(ids.has(e.f32Variant!)).toBe(true);
      expect(find(good, e.f32Variant!).needsF16).toBe(false);
    }
    const alone = good.filter((e) => e.needsF16 && !e.f32Variant).map((e) => e.modelId);
    expect(alone).toContain('Hermes-2-Pro-Mistral-7B-q4f16_1-MLC');
    expect(alone).toContain('Llama-3.1-70B-Instruct-q3f16_1-MLC');
    expect(alone).not.toContain('Mistral-7B-Instruct-v0.3-q4f16_1-MLC');
  });

  it('a good GPU runs everything without a warning', () => {
    expect(good.every((e) => e.runnable && e.reason === undefined && e.warning === undefined)).toBe(true);
  });

  it('SwiftShader: f16 models blocked with the f32 variant named, f32 models runnable with warnings', () => {
    expect(find(soft, 'Llama-3.2-1B-Instruct-q4f16_1-MLC')).toMatchObject({ runnable: false, reason: 'needs shader-f16; use Llama-3.2-1B-Instruct-q4f32_1-MLC' });
    expect(find(soft, 'Hermes-2-Pro-Mistral-7B-q4f16_1-MLC')).toMatchObject({ runnable: false, reason: expect.stringContaining('no f32 variant') });
    const small = find(soft, 'Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(small.runnable).toBe(true);
    expect(small.warning).toBe('this is a software adapter: it will be very slow');
    expect(find(soft, 'Llama-3.1-8B-Instruct-q4f32_1-MLC').warning).toBe(
      'made for GPUs with more memory than this adapter suggests; this is a software adapter: it will be very slow',
    );
    expect(find(soft, 'gemma-2b-it-q4f32_1-MLC').warning).toMatch(/^needs GPU buffers of 250 MB; this adapter allows 128 MB/);
    expect(soft.filter((e) => e.needsF16).every((e) => !e.runnable)).toBe(true);
    expect(soft.filter((e) => !e.needsF16).every((e) => e.runnable)).toBe(true);
  });

  it('no WebGPU: nothing runnable; a VRAM budget warns about bigger models only', () => {
    const none = buildCatalog(list, { available: false, f16: false, isFallback: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, reason: 'no-webgpu' });
    expect(none.every((e) => !e.runnable && e.reason === 'WebGPU is not available in this browser')).toBe(true);
    const budget = buildCatalog(list, GOOD_GPU, { vramBudgetMB: 2048 });
    expect(find(budget, 'Llama-3.1-8B-Instruct-q4f32_1-MLC').warning).toMatch(/^needs about \d+\.\d GB of GPU memory; this device may have 2\.0 GB$/);
    expect(find(budget, 'Llama-3.2-1B-Instruct-q4f32_1-MLC').warning).toBeUndefined();
  });
});

describe('ids', () => {
  it('quantization and f32 variant names', () => {
    expect(quantizationOf('Llama-3.1-70B-Instruct-q3f16_1-MLC')).toBe('q3f16_1');
    expect(quantizationOf('snowflake-arctic-embed-s-q0f32-MLC-b4')).toBe('q0f32');
    expect(quantizationOf('custom-model')).toBe('');
    expect(f32VariantOf('TinyLlama-1.1B-Chat-v1.0-q4f16_1-MLC-1k')).toBe('TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC-1k');
    expect(f32VariantOf('Qwen3-0.6B-q4f32_1-MLC')).toBeUndefined();
  });
});
