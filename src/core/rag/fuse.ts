/**
 * Reciprocal-rank fusion of a keyword ranking and a vector ranking (Cormack et al. 2009, k = 60):
 * an item at 1-based rank r in a list earns weight / (k + r) from it. `vectorWeight` (the
 * RetrievalOptions.hybridWeight) shares the weight: 0 = BM25 only, 1 = vectors only. Ranks, not
 * raw scores, are fused, so BM25's unbounded scores and cosines never need a common scale.
 */

export const RRF_K = 60;

export interface Ranked {
  id: string;
  score: number;
}

export interface Fused {
  id: string;
  /** The fused score, higher is better. */
  score: number;
  /** The item's own scores from the lists it was in. */
  bm25?: number;
  cosine?: number;
}

/** Fuses the two lists (each best first, ids unique within a list); items with no weight are dropped. */
export function fuseRankings(bm25: readonly Ranked[], vectors: readonly Ranked[], vectorWeight: number, k = RRF_K): Fused[] {
  const w = Math.min(1, Math.max(0, Number.isFinite(vectorWeight) ? vectorWeight : 0.5));
  const byId = new Map<string, Fused & { best: number }>();
  const take = (list: readonly Ranked[], weight: number, side: 'bm25' | 'cosine'): void => {
    if (weight <= 0) return;
    list.forEach((item, i) => {
      let f = byId.get(item.id);
      if (!f) byId.set(item.id, (f = { id: item.id, score: 0, best: i }));
      if (f[side] !== undefined) return;
      f.score += weight / (k + i + 1);
      f[side] = item.score;
      f.best = Math.min(f.best, i);
    });
  };
  take(bm25, 1 - w, 'bm25');
  take(vectors, w, 'cosine');
  // Ties (e.g. rank 1 in one list vs rank 1 in the other at weight 0.5): the better single rank, then id.
  return [...byId.values()]
    .sort((a, b) => b.score - a.score || a.best - b.best || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ best: _best, ...f }) => f);
}
