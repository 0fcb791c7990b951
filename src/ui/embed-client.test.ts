import { describe, expect, it } from 'vitest';
import { workerEmbedder } from './embed-client';

describe('workerEmbedder', () => {
  const api = () => {
    const calls: string[][] = [];
    return { calls, embed: async (_id: string, texts: string[]) => (calls.push(texts), texts.map((t) => Float32Array.of(t.length))) };
  };

  it('sends maxBatch texts per call with the embedder id, vectors in order', async () => {
    const a = api();
    const e = workerEmbedder(a, { id: 'local:m:q8', maxBatch: 2 });
    expect(e.id).toBe('local:m:q8');
    const out = await e.embed(['a', 'bb', 'ccc']);
    expect(a.calls).toEqual([['a', 'bb'], ['ccc']]);
    expect(out.map((v) => v[0])).toEqual([1, 2, 3]);
  });

  it('an abort stops before the next batch', async () => {
    const ac = new AbortController();
    const a = api();
    const e = workerEmbedder({ embed: async (id, t) => (ac.abort(), a.embed(id, t)) }, { id: 'x', maxBatch: 1 });
    await expect(e.embed(['a', 'b'], ac.signal)).rejects.toMatchObject({ kind: 'aborted' });
    expect(a.calls).toEqual([['a']]);
  });
});
