import { describe, expect, it } from 'vitest';
import { entry } from './fake-webgpu-client';
import { catalogFamilies, EMPTY_FILTER, filterCatalog } from './filter-catalog';

const list = [
  entry('Llama-3.2-1B-Instruct-q4f16_1-MLC', { runnable: false, reason: 'needs shader-f16', needsF16: true }),
  entry('Llama-3.2-1B-Instruct-q4f32_1-MLC'),
  entry('Qwen2.5-0.5B-Instruct-q4f32_1-MLC'),
  entry('Phi-3.5-mini-instruct-q4f32_1-MLC'),
];
const ids = (xs: { modelId: string }[]) => xs.map((x) => x.modelId);

describe('filterCatalog', () => {
  it('hides what the GPU cannot run unless asked or stored', () => {
    expect(ids(filterCatalog(list, EMPTY_FILTER, new Set()))).not.toContain(list[0]!.modelId);
    expect(ids(filterCatalog(list, { ...EMPTY_FILTER, showBlocked: true }, new Set()))).toContain(list[0]!.modelId);
    expect(ids(filterCatalog(list, EMPTY_FILTER, new Set([list[0]!.modelId])))).toContain(list[0]!.modelId);
  });

  it('matches every word in name, family, id or quantization, any case', () => {
    expect(ids(filterCatalog(list, { ...EMPTY_FILTER, query: 'llama F32' }, new Set()))).toEqual(['Llama-3.2-1B-Instruct-q4f32_1-MLC']);
    expect(ids(filterCatalog(list, { ...EMPTY_FILTER, query: 'qwen' }, new Set()))).toEqual(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC']);
    expect(filterCatalog(list, { ...EMPTY_FILTER, query: 'mistral' }, new Set())).toEqual([]);
  });

  it('filters by family and by downloaded', () => {
    expect(ids(filterCatalog(list, { ...EMPTY_FILTER, family: 'Phi' }, new Set()))).toEqual(['Phi-3.5-mini-instruct-q4f32_1-MLC']);
    expect(ids(filterCatalog(list, { ...EMPTY_FILTER, downloadedOnly: true }, new Set(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'])))).toEqual([
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    ]);
  });

  it('puts stored models first and keeps pinned ones whatever the filter', () => {
    const out = ids(filterCatalog(list, { ...EMPTY_FILTER, query: 'phi' }, new Set(['Phi-3.5-mini-instruct-q4f32_1-MLC']), new Set(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'])));
    expect(out).toEqual(['Phi-3.5-mini-instruct-q4f32_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC']);
    expect(ids(filterCatalog(list, EMPTY_FILTER, new Set(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'])))[0]).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  });

  it('lists families once, sorted', () => {
    expect(catalogFamilies(list)).toEqual(['Llama', 'Phi', 'Qwen']);
  });
});
