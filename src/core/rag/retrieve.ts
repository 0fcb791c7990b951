/**
 * Hybrid retrieval over one or several knowledge sets. Each set is searched on its own (its
 * BM25 index with the query text, its vectors with the query embedded by ITS embedder), its two
 * rankings are fused by reciprocal rank, and the sets' fused lists are merged by fused score:
 * rank-based scores compare across sets even when their embedders' cosines do not.
 */

import type { Bm25Index } from './bm25';
import { fuseRankings, type Ranked } from './fuse';
import type { Hit, RetrievalOptions } from './types';
import type { VectorIndex } from './vector-index';

export interface RetrievalSet {
  bm25: Bm25Index | null;
  vectors: VectorIndex | null;
  /** The query embedded by this set's embedder (dimensions of `vectors`); null = keywords only. */
  queryVector: Float32Array | null;
  /** The document a chunk id belongs to; chunks it does not know are dropped. */
  documentOf(chunkId: string): string | undefined;
}

/** How many candidates each side returns before fusion, for a final top-k. */
export function candidatesFor(topK: number): number {
  return Math.max(20, topK * 4);
}

export function retrieve(sets: readonly RetrievalSet[], queryText: string, opts: RetrievalOptions): Hit[] {
  const topK = Math.max(0, Math.floor(opts.topK));
  if (topK === 0) return [];
  const w = Math.min(1, Math.max(0, opts.hybridWeight));
  const n = candidatesFor(topK);
  const best = new Map<string, Hit>();
  for (const set of sets) {
    const keyword: Ranked[] = w < 1 && set.bm25 && queryText.trim() !== '' ? set.bm25.search(queryText, n) : [];
    const vector: Ranked[] = w > 0 && set.vectors && set.queryVector ? set.vectors.search(set.queryVector, n) : [];
    // One side missing (no vectors yet, or an empty keyword query): the other ranks alone at full weight.
    const weight = vector.length === 0 ? 0 : keyword.length === 0 ? 1 : w;
    for (const f of fuseRankings(keyword, vector, weight)) {
      const documentId = set.documentOf(f.id);
      if (documentId === undefined) continue;
      const prev = best.get(f.id);
      if (prev && prev.score >= f.score) continue;
      const hit: Hit = { chunkId: f.id, documentId, score: f.score };
      if (f.cosine !== undefined) hit.cosine = f.cosine;
      if (f.bm25 !== undefined) hit.bm25 = f.bm25;
      best.set(f.id, hit);
    }
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || (b.cosine ?? -2) - (a.cosine ?? -2) || (b.bm25 ?? 0) - (a.bm25 ?? 0) || (a.chunkId < b.chunkId ? -1 : 1))
    .slice(0, topK);
}
