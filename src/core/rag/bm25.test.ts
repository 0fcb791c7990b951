import { describe, expect, it } from 'vitest';
import { Bm25Index, type Bm25Snapshot } from './bm25';
import { tokenize } from './tokenize';

const DOCS: Array<[string, string]> = [
  ['d1', 'The kettle boils water for tea.'],
  ['d2', 'Planets orbit the sun; the orbit of Mars is elliptical.'],
  ['d3', 'Configure connectionPool with maxConnections for the database.'],
  ['d4', 'Tea ceremonies in Japan use a kettle called a kama, a heavy iron kettle.'],
  ['d5', '東京都の天気は晴れです。'],
];

function build(docs = DOCS): Bm25Index {
  const ix = new Bm25Index();
  for (const [id, text] of docs) ix.add(id, text);
  return ix;
}

/** BM25 by the formula, from scratch, for checking. */
function reference(docs: Array<[string, string]>, query: string): Array<{ id: string; score: number }> {
  const toks = docs.map(([, t]) => tokenize(t));
  const N = docs.length;
  const avgdl = toks.reduce((s, t) => s + t.length, 0) / N;
  const out = docs.map(([id], i) => {
    let score = 0;
    for (const q of new Set(tokenize(query))) {
      const df = toks.filter((t) => t.includes(q)).length;
      if (df === 0) continue;
      const tf = toks[i]!.filter((t) => t === q).length;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * toks[i]!.length) / avgdl));
    }
    return { id, score };
  });
  return out.filter((h) => h.score > 0).sort((a, b) => b.score - a.score);
}

describe('Bm25Index', () => {
  it('scores as the BM25 formula does (k1 1.2, b 0.75)', () => {
    const ix = build();
    for (const q of ['kettle tea', 'orbit', 'connection pool', 'database kettle', '東京']) {
      const got = ix.search(q, 10);
      const want = reference(DOCS, q);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 9));
    }
  });

  it('ranks the document with more of the rarer term first, and returns only matching rows', () => {
    const hits = build().search('kettle', 10);
    expect(hits.map((h) => h.id)).toEqual(['d4', 'd1']);
    expect(build().search('zebra', 10)).toEqual([]);
    expect(build().search('the of', 10)).toEqual([]);
    expect(build().search('kettle', 1)).toHaveLength(1);
  });

  it('removes and replaces rows; document frequencies follow', () => {
    const ix = build();
    expect(ix.remove('d4')).toBe(true);
    expect(ix.remove('d4')).toBe(false);
    expect(ix.size).toBe(4);
    const left = DOCS.filter(([id]) => id !== 'd4');
    expect(ix.search('kettle tea', 5)).toEqual(reference(left, 'kettle tea').map((h) => expect.objectContaining({ id: h.id })));
    expect(ix.search('kettle tea', 5)[0]!.score).toBeCloseTo(reference(left, 'kettle tea')[0]!.score, 9);
    ix.add('d1', 'Nothing about that any more.');
    expect(ix.search('kettle', 5)).toEqual([]);
    expect(ix.size).toBe(4);
  });

  it('serializes compactly (typed arrays, dead rows dropped) and loads to the same answers', () => {
    const ix = build();
    ix.remove('d2');
    const snap = ix.serialize();
    expect(snap.ids).toEqual(['d1', 'd3', 'd4', 'd5']);
    expect(snap.rows).toBeInstanceOf(Uint32Array);
    expect(snap.tfs).toBeInstanceOf(Uint16Array);
    expect(snap.offsets).toHaveLength(snap.terms.split('\n').length + 1);
    expect(snap.terms.split('\n')).not.toContain('mars');
    const copy: Bm25Snapshot = structuredClone(snap);
    const loaded = Bm25Index.load(copy);
    for (const q of ['kettle tea', 'database', '東京', 'orbit']) expect(loaded.search(q, 10)).toEqual(ix.search(q, 10));
    // It keeps growing after a load (base + delta), and serializes again.
    loaded.add('d6', 'A copper kettle.');
    ix.add('d6', 'A copper kettle.');
    expect(loaded.search('kettle', 10)).toEqual(ix.search('kettle', 10));
    const again = Bm25Index.load(loaded.serialize());
    expect(again.search('kettle copper', 10)).toEqual(ix.search('kettle copper', 10));
    expect(again.size).toBe(5);
  });

  it('matches a brute-force reference on a random corpus, across an incremental build and a reload', () => {
    let a = 99;
    const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const vocab = Array.from({ length: 60 }, (_, i) => `w${i.toString(36)}x`);
    const docs: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => [`r${i}`, Array.from({ length: 5 + Math.floor(rnd() * 30) }, () => vocab[Math.floor(rnd() * rnd() * vocab.length)]).join(' ')]);
    const ix = build(docs.slice(0, 150));
    const loaded = Bm25Index.load(ix.serialize());
    for (const d of docs.slice(150)) loaded.add(d[0], d[1]);
    for (const q of ['w0x w1x', 'w2x', 'w1hx w3x w0x', 'w5x w5x']) {
      const want = reference(docs, q).slice(0, 20);
      const got = loaded.search(q, 20);
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 9));
      expect(got).toHaveLength(want.length);
    }
  });
});
