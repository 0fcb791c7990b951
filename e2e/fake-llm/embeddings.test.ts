import { describe, expect, it } from 'vitest';

import { post, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('extras', () => {
  it('embeddings: deterministic unit vectors for /v1/embeddings and /api/embed', async () => {
    const a = (await (await post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['red apple', 'red apple', 'blue sky'], dimensions: 32 })).json()) as {
      data: Array<{ embedding: number[]; index: number }>;
    };
    expect(a.data).toHaveLength(3);
    expect(a.data[0]!.embedding).toHaveLength(32);
    expect(a.data[0]!.embedding).toEqual(a.data[1]!.embedding);
    const norm = Math.hypot(...a.data[2]!.embedding);
    expect(norm).toBeCloseTo(1, 5);
    const o = (await (await post('/api/embed', { model: 'nomic-embed-text', input: 'hello' })).json()) as { embeddings: number[][] };
    expect(o.embeddings[0]).toHaveLength(768);
  });
});
