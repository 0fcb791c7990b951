import { describe, expect, it } from 'vitest';
import { WordIndex } from './word-index';

const docs = (ix: WordIndex, terms: Array<[string, boolean]>) => {
  const out: number[] = [];
  ix.match(terms.map(([term, prefix]) => ({ term, prefix })), (d) => out.push(d));
  return out;
};

describe('WordIndex', () => {
  it('ANDs terms, exact and prefix', () => {
    const ix = new WordIndex();
    const a = ix.add(['quantum', 'physics']);
    const b = ix.add(['quantity', 'surveying']);
    const c = ix.add(['physical', 'quantum']);
    expect(docs(ix, [['quant', true]])).toEqual([a, b, c]);
    expect(docs(ix, [['quant', true], ['phys', true]])).toEqual([a, c]);
    expect(docs(ix, [['quantum', false], ['physics', false]])).toEqual([a]);
    expect(docs(ix, [['quant', false]])).toEqual([]);
    expect(docs(ix, [['zzz', true], ['quant', true]])).toEqual([]);
  });
  it('counts a document once when several of its words share the prefix', () => {
    const ix = new WordIndex();
    const a = ix.add(['photo', 'photon']);
    ix.add(['other']);
    expect(docs(ix, [['pho', true], ['photon', false]])).toEqual([a]);
  });
  it('finds words added after a bulk load (the sorted list is kept in order)', () => {
    const ix = new WordIndex();
    ix.beginBulk();
    ix.add(['mango', 'apple']);
    ix.endBulk();
    const d = ix.add(['banana', 'zebra', 'avocado']);
    expect(docs(ix, [['ban', true]])).toEqual([d]);
    expect(docs(ix, [['av', true]])).toEqual([d]);
    expect(docs(ix, [['a', true]])).toEqual([0, d]);
  });
  it('skips removed documents, and still does after sweeping them out', () => {
    const ix = new WordIndex();
    const ids = Array.from({ length: 30_000 }, (_, i) => ix.add(['common', `w${i}`]));
    ix.remove(ids[0]!);
    expect(docs(ix, [['w0', false]])).toEqual([]);
    for (let i = 1; i < 20_000; i++) ix.remove(ids[i]!);
    expect(ix.size).toBe(10_000);
    const left = docs(ix, [['common', false]]);
    expect(left.length).toBe(10_000);
    expect(left[0]).toBe(20_000);
    expect(docs(ix, [['w1', true]]).every((d) => d >= 20_000)).toBe(true);
    // The first 10,001 removed were swept out (their words with them) when they passed a quarter of the live ones.
    expect(ix.wordCount).toBe(20_000);
  });
});
