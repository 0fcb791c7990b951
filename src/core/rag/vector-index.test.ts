import { describe, expect, it } from 'vitest';
import { normalize, VectorIndex } from './vector-index';
import { mulberry32 as rng } from '../seeded-random';

const vec = (r: () => number, dims: number): Float32Array => Float32Array.from({ length: dims }, () => r() * 2 - 1);

/** Cosine by the book, in doubles, for checking. */
function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / Math.sqrt(na * nb);
}

describe('normalize', () => {
  it('scales to unit length in place, leaves a zero vector alone', () => {
    const v = Float32Array.of(3, 4);
    expect(normalize(v)).toBe(v);
    expect([...v].map((x) => +x.toFixed(6))).toEqual([0.6, 0.8]);
    expect([...normalize(new Float32Array(3))]).toEqual([0, 0, 0]);
  });
});

describe('VectorIndex', () => {
  it('finds the same top-k as brute force over every row (odd dimensions exercise the unrolled tail)', () => {
    for (const dims of [1, 3, 4, 7, 384]) {
      const r = rng(dims);
      const ix = new VectorIndex(dims);
      const rows = Array.from({ length: 500 }, () => vec(r, dims));
      rows.forEach((v, i) => ix.add(`c${i}`, v));
      const q = vec(r, dims);
      const expected = rows.map((v, i) => ({ id: `c${i}`, score: cosine(v, q) })).sort((a, b) => b.score - a.score).slice(0, 10);
      const got = ix.search(q, 10);
      expect(got.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
    }
  });

  it('scores alike in the SIMD kernel and in the JavaScript loop, growing and removing rows', () => {
    const r = rng(42);
    const fast = new VectorIndex(32);
    const slow = new VectorIndex(32, 0, { simd: false });
    expect(fast.accelerated).toBe(true);
    expect(slow.accelerated).toBe(false);
    expect(new VectorIndex(30).accelerated).toBe(false);
    for (let i = 0; i < 300; i++) {
      const v = vec(r, 32);
      fast.add(`c${i}`, v);
      slow.add(`c${i}`, v);
      if (i % 7 === 3) {
        fast.remove(`c${i - 2}`);
        slow.remove(`c${i - 2}`);
      }
    }
    for (let t = 0; t < 20; t++) {
      const q = vec(r, 32);
      const a = fast.search(q, 15);
      const b = slow.search(q, 15);
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i]!.score, 5));
    }
  });

  it('keeps all rows in one buffer, growing it as rows come', () => {
    const ix = new VectorIndex(4, 1);
    for (let i = 0; i < 100; i++) ix.add(`r${i}`, Float32Array.of(i, 1, 0, 0));
    const snap = ix.snapshot();
    expect(snap.ids).toHaveLength(100);
    expect(snap.vectors).toHaveLength(400);
    expect(snap.vectors[99 * 4]! / snap.vectors[99 * 4 + 1]!).toBeCloseTo(99, 3);
  });

  it('replaces a row added again, removes rows (moving the last into the hole) and still searches right', () => {
    const ix = new VectorIndex(2);
    ix.add('a', Float32Array.of(1, 0));
    ix.add('b', Float32Array.of(0, 1));
    ix.add('c', Float32Array.of(-1, 0));
    ix.add('a', Float32Array.of(0, -1));
    expect(ix.size).toBe(3);
    expect(ix.search(Float32Array.of(0, -1), 1)[0]).toEqual({ id: 'a', score: 1 });
    expect(ix.remove('a')).toBe(true);
    expect(ix.remove('a')).toBe(false);
    expect(ix.has('a')).toBe(false);
    expect(ix.search(Float32Array.of(-1, 0), 3).map((h) => h.id)).toEqual(['c', 'b']);
    expect([...ix.vectorOf('c')!]).toEqual([-1, 0]);
    ix.remove('c');
    ix.remove('b');
    expect(ix.search(Float32Array.of(1, 0), 5)).toEqual([]);
  });

  it('normalizes rows and the query, so scores are cosines whatever the lengths', () => {
    const ix = new VectorIndex(2);
    ix.add('long', Float32Array.of(10, 0));
    ix.add('diag', Float32Array.of(3, 3));
    const hits = ix.search(Float32Array.of(0.1, 0), 2);
    expect(hits[0]).toEqual({ id: 'long', score: 1 });
    expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('does not change the caller\'s query vector', () => {
    const ix = new VectorIndex(2);
    ix.add('a', Float32Array.of(1, 0));
    const q = Float32Array.of(5, 0);
    ix.search(q, 1);
    expect([...q]).toEqual([5, 0]);
  });

  it('rejects vectors and queries of other dimensions', () => {
    const ix = new VectorIndex(3);
    expect(() => ix.add('x', new Float32Array(4))).toThrow(RangeError);
    expect(() => ix.search(new Float32Array(384), 5)).toThrow(/384 dimensions, this index holds 3/);
    expect(() => new VectorIndex(0)).toThrow(RangeError);
  });

  it('round-trips through a snapshot and loads many rows at once', () => {
    const r = rng(9);
    const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
    const flat = new Float32Array(50 * 8);
    for (let i = 0; i < flat.length; i++) flat[i] = r() - 0.5;
    const a = new VectorIndex(8);
    a.addMany(ids, flat);
    const b = VectorIndex.fromSnapshot(a.snapshot());
    const q = vec(r, 8);
    expect(b.search(q, 7)).toEqual(a.search(q, 7));
    expect(() => a.addMany(['x'], new Float32Array(7))).toThrow(RangeError);
  });
});
