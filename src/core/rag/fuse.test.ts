import { describe, expect, it } from 'vitest';
import { fuseRankings, RRF_K } from './fuse';

const list = (...ids: string[]) => ids.map((id, i) => ({ id, score: 10 - i }));

describe('fuseRankings', () => {
  it('adds weight / (60 + rank) from each list', () => {
    const f = fuseRankings(list('a', 'b'), list('b', 'c'), 0.5);
    expect(RRF_K).toBe(60);
    const score = Object.fromEntries(f.map((x) => [x.id, x.score]));
    expect(score['b']).toBeCloseTo(0.5 / 62 + 0.5 / 61, 12);
    expect(score['a']).toBeCloseTo(0.5 / 61, 12);
    expect(score['c']).toBeCloseTo(0.5 / 62, 12);
    expect(f.map((x) => x.id)).toEqual(['b', 'a', 'c']);
  });

  it('keeps each side\'s own score', () => {
    const [b] = fuseRankings([{ id: 'b', score: 7.5 }], [{ id: 'b', score: 0.83 }], 0.5);
    expect(b).toEqual({ id: 'b', score: expect.any(Number), bm25: 7.5, cosine: 0.83 });
  });

  it('weight 0 is BM25 only and 1 is vectors only, in that list\'s order', () => {
    expect(fuseRankings(list('a', 'b'), list('c', 'a'), 0).map((x) => x.id)).toEqual(['a', 'b']);
    expect(fuseRankings(list('a', 'b'), list('c', 'a'), 1).map((x) => x.id)).toEqual(['c', 'a']);
    expect(fuseRankings(list('a', 'b'), list('c', 'a'), 1)[1]).not.toHaveProperty('bm25');
  });

  it('the weight moves the balance between the two lists', () => {
    const kw = list('k1', 'k2', 'k3');
    const vec = list('v1', 'v2', 'v3');
    expect(fuseRankings(kw, vec, 0.3)[0]!.id).toBe('k1');
    expect(fuseRankings(kw, vec, 0.7)[0]!.id).toBe('v1');
    // Equal weight: rank 1 of each ties; the tie-break is stable (better rank, then id).
    expect(fuseRankings(kw, vec, 0.5).map((x) => x.id)).toEqual(['k1', 'v1', 'k2', 'v2', 'k3', 'v3']);
  });

  it('counts an id repeated within one list once, and clamps odd weights', () => {
    const f = fuseRankings([{ id: 'a', score: 2 }, { id: 'a', score: 1 }], [], 0);
    expect(f).toEqual([{ id: 'a', score: 1 / 61, bm25: 2 }]);
    expect(fuseRankings(list('a'), list('b'), 7).map((x) => x.id)).toEqual(['b']);
    expect(fuseRankings(list('a'), list('b'), -1).map((x) => x.id)).toEqual(['a']);
  });
});
