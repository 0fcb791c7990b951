import type { GpuCaps } from '../../src/core/webgpu/detect';
import type { CatalogEntry } from './api';
import type { WebLlmModelRecord } from './runtime';

/**
 * web-llm's model list (prebuiltAppConfig.model_list, or a mirror's rewritten copy) as the UI
 * shows it, each model marked for the adapter at hand. Pure: the list comes in, so this module
 * never loads web-llm. Embedding models (model_type 1) are left out: this is a chat catalog.
 */

/** ModelType in web-llm's config.ts. */
const MODEL_TYPE_EMBEDDING = 1;
const MODEL_TYPE_VLM = 2;

/**
 * Below this maxStorageBufferBindingSize web-llm's own chat demo treats the device as a
 * low-resource one (phones, integrated GPUs) and offers only `low_resource_required` models.
 */
export const LOW_RESOURCE_BINDING_BYTES = 2 ** 30;

const MIB = 1024 * 1024;

export interface CatalogOptions {
  /**
   * GPU memory the caller believes is available, in MB (WebGPU does not tell; e.g. from a user
   * setting). A model needing more gets a warning, not a block: the estimate may be wrong.
   */
  vramBudgetMB?: number;
}

export function buildCatalog(list: readonly WebLlmModelRecord[], caps: GpuCaps, options: CatalogOptions = {}): CatalogEntry[] {
  const ids = new Set(list.map((r) => r.model_id));
  return list.filter((r) => r.model_type !== MODEL_TYPE_EMBEDDING).map((r) => markEntry(describeModel(r, ids), r, caps, options));
}

/** What the record says, before any adapter is considered (runnable true until marked). */
export function describeModel(r: WebLlmModelRecord, ids: ReadonlySet<string>): CatalogEntry {
  const quantization = quantizationOf(r.model_id);
  const needsF16 = (r.required_features ?? []).includes('shader-f16') || /^q\d+f16/.test(quantization);
  const entry: CatalogEntry = {
    modelId: r.model_id,
    displayName: displayNameOf(r.model_id, quantization),
    family: familyOf(r.model_id),
    quantization,
    lowResource: r.low_resource_required === true,
    needsF16,
    kind: r.model_type === MODEL_TYPE_VLM ? 'vlm' : 'llm',
    runnable: true,
  };
  if (r.vram_required_MB !== undefined) entry.vramRequiredMB = r.vram_required_MB;
  const ctx = r.overrides?.context_window_size;
  if (ctx !== undefined && ctx > 0) entry.contextWindow = ctx;
  if (needsF16) {
    const f32 = f32VariantOf(r.model_id, quantization);
    if (f32 !== undefined && ids.has(f32)) entry.f32Variant = f32;
  }
  return entry;
}

/** Marks what `caps` can run: a block (`runnable: false` + `reason`) or a `warning`. */
export function markEntry(entry: CatalogEntry, r: WebLlmModelRecord, caps: GpuCaps, options: CatalogOptions = {}): CatalogEntry {
  const out: CatalogEntry = { ...entry, runnable: true };
  delete out.reason;
  delete out.warning;
  if (!caps.available) {
    out.runnable = false;
    out.reason = 'WebGPU is not available in this browser';
    return out;
  }
  if (entry.needsF16 && !caps.f16) {
    out.runnable = false;
    out.reason = entry.f32Variant
      ? `needs shader-f16; use ${entry.f32Variant}`
      : 'needs shader-f16, which this GPU does not offer, and web-llm has no f32 variant of it';
    return out;
  }
  const warnings: string[] = [];
  const budget = options.vramBudgetMB;
  if (budget !== undefined && entry.vramRequiredMB !== undefined && entry.vramRequiredMB > budget) {
    warnings.push(`needs about ${formatMB(entry.vramRequiredMB)} of GPU memory; this device may have ${formatMB(budget)}`);
  }
  const binding = caps.maxStorageBufferBindingSize;
  if (r.buffer_size_required_bytes !== undefined && r.buffer_size_required_bytes > binding) {
    warnings.push(`needs GPU buffers of ${Math.ceil(r.buffer_size_required_bytes / MIB)} MB; this adapter allows ${Math.floor(binding / MIB)} MB`);
  } else if (!entry.lowResource && binding < LOW_RESOURCE_BINDING_BYTES) {
    warnings.push('made for GPUs with more memory than this adapter suggests');
  }
  if (caps.isFallback) warnings.push('this is a software adapter: it will be very slow');
  if (warnings.length) out.warning = warnings.join('; ');
  return out;
}

/** "q4f16_1" in "Llama-3.2-1B-Instruct-q4f16_1-MLC"; "" when the id has none. */
export function quantizationOf(modelId: string): string {
  return /-(q\d+f\d+(?:_\d+)?)-MLC/.exec(modelId)?.[1] ?? '';
}

/** The same model with f32 weights: q4f16_1 → q4f32_1, q0f16 → q0f32 (it may not exist). */
export function f32VariantOf(modelId: string, quantization = quantizationOf(modelId)): string | undefined {
  if (!/^q\d+f16/.test(quantization)) return undefined;
  return modelId.replace(`-${quantization}-MLC`, `-${quantization.replace('f16', 'f32')}-MLC`);
}

function displayNameOf(modelId: string, quantization: string): string {
  const [base = modelId, tail = ''] = quantization ? modelId.split(`-${quantization}-MLC`) : [modelId.replace(/-MLC.*$/, '')];
  const name = base.replace(/-/g, ' ');
  const ctx = /^-(\d+k)$/.exec(tail);
  return ctx ? `${name} (${ctx[1]} context)` : name;
}

/** "Llama", "Qwen", "Gemma", "Phi", "SmolLM", "DeepSeek", … from the first part of the id. */
function familyOf(modelId: string): string {
  const first = modelId.split('-')[0] ?? modelId;
  const stem = first.replace(/[\d._]+$/, '') || first;
  return stem.charAt(0).toUpperCase() + stem.slice(1);
}

function formatMB(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}
