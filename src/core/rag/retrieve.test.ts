import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25';
import { retrieve, type RetrievalSet } from './retrieve';
import { VectorIndex } from './vector-index';

/** A toy 3-d "embedding": one axis per topic. */
const TOPIC: Record<string, Float32Array> = {
  tea: Float32Array.of(1, 0, 0),
  space: Float32Array.of(0, 1, 0),
  code: Float32Array.of(0, 0, 1),
};

function set(chunks: Array<{ id: string; doc: string; text: string; topic: keyof typeof TOPIC }>, query: Float32Array | null, dims = 3): RetrievalSet {
  const bm25 = new Bm25Index();
  const vectors = new VectorIndex(dims);
  const docOf = new Map<string, string>();
  for (const c of chunks) {
    bm25.add(c.id, c.text);
    if (dims === 3) vectors.add(c.id, TOPIC[c.topic]!);
    docOf.set(c.id, c.doc);
  }
  return { bm25, vectors, queryVector: query, documentOf: (id) => docOf.get(id) };
}

const A = [
  { id: 'a1', doc: 'tea.md', text: 'Brewing green tea at 80 degrees.', topic: 'tea' as const },
  { id: 'a2', doc: 'tea.md', text: 'The kettle whistles.', topic: 'tea' as const },
  { id: 'a3', doc: 'space.pdf', text: 'Mars has two moons, Phobos and Deimos.', topic: 'space' as const },
];
const B = [
  { id: 'b1', doc: 'code.ts', text: 'function brewTea(kettle) { return kettle.pour(); }', topic: 'code' as const },
  { id: 'b2', doc: 'orbits.pdf', text: 'Orbital mechanics of Phobos.', topic: 'space' as const },
];

describe('retrieve', () => {
  it('fuses keyword and vector rankings and reports both scores', () => {
    const hits = retrieve([set(A, TOPIC['tea']!)], 'kettle', { topK: 3, hybridWeight: 0.5 });
    expect(hits[0]).toMatchObject({ chunkId: 'a2', documentId: 'tea.md', cosine: 1 });
    expect(hits[0]!.bm25).toBeGreaterThan(0);
    expect(hits.map((h) => h.chunkId)).toEqual(['a2', 'a1', 'a3']);
  });

  it('weight 0 uses keywords only, 1 vectors only', () => {
    const s = set(A, TOPIC['space']!);
    expect(retrieve([s], 'kettle', { topK: 5, hybridWeight: 0 }).map((h) => h.chunkId)).toEqual(['a2']);
    const v = retrieve([s], 'kettle', { topK: 5, hybridWeight: 1 });
    expect(v[0]!.chunkId).toBe('a3');
    expect(v.every((h) => h.bm25 === undefined)).toBe(true);
  });

  it('searches several sets, each with its own query vector, and keeps the top k overall', () => {
    const hits = retrieve([set(A, TOPIC['space']!), set(B, TOPIC['space']!)], 'phobos', { topK: 2, hybridWeight: 0.5 });
    expect(hits.map((h) => h.chunkId).sort()).toEqual(['a3', 'b2']);
    expect(hits.map((h) => h.documentId).sort()).toEqual(['orbits.pdf', 'space.pdf']);
  });

  it('falls back to the side that exists: keywords when a set has no vectors or no query vector', () => {
    const noVec = set(B, null);
    expect(retrieve([noVec], 'kettle', { topK: 5, hybridWeight: 0.9 }).map((h) => h.chunkId)).toEqual(['b1']);
    const noBm25: RetrievalSet = { ...set(A, TOPIC['tea']!), bm25: null };
    expect(retrieve([noBm25], 'kettle', { topK: 1, hybridWeight: 0.1 })[0]!.cosine).toBe(1);
  });

  it('dedupes a chunk reached through two sets and drops chunks with no known document', () => {
    const s = set(A, TOPIC['tea']!);
    const hits = retrieve([s, s], 'tea', { topK: 10, hybridWeight: 0.5 });
    expect(new Set(hits.map((h) => h.chunkId)).size).toBe(hits.length);
    const orphan: RetrievalSet = { ...s, documentOf: (id) => (id === 'a1' ? undefined : 'tea.md') };
    expect(retrieve([orphan], 'tea', { topK: 10, hybridWeight: 0.5 }).map((h) => h.chunkId)).not.toContain('a1');
    expect(retrieve([s], 'tea', { topK: 0, hybridWeight: 0.5 })).toEqual([]);
  });

  it('rejects a query vector of other dimensions than the set (never mixes embedders)', () => {
    expect(() => retrieve([set(A, new Float32Array(384))], 'tea', { topK: 3, hybridWeight: 0.5 })).toThrow(RangeError);
  });
});
