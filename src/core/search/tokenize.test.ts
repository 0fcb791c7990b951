import { describe, expect, it } from 'vitest';
import { fold, tokensOf, wordsOf } from './tokenize';
import { parseQuery } from './parse-query';

describe('wordsOf', () => {
  it('lower-cases, folds accents and splits on punctuation', () => {
    expect([...wordsOf('Café CRÈME, naïve-résumé! x2')]).toEqual(['cafe', 'creme', 'naive', 'resume', 'x2']);
  });
  it('keeps ASCII text on its fast path with the same result as the Unicode path', () => {
    expect([...wordsOf('Hello, World_42 foo.bar')]).toEqual(['hello', 'world', '42', 'foo', 'bar']);
    expect([...wordsOf('Hello, World_42 foo.bar é')]).toEqual(['hello', 'world', '42', 'foo', 'bar', 'e']);
  });
  it('splits CJK into characters and keeps other scripts whole', () => {
    expect([...wordsOf('東京タワーへ行く')]).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'へ', '行', 'く']);
    expect([...wordsOf('Привет мир ΣΟΦΙΑ')]).toEqual(['привет', 'мир', 'σοφια']);
    expect([...wordsOf('abc東京')]).toEqual(['abc', '東', '京']);
    expect([...wordsOf('한국어')]).toEqual(['한', '국', '어']);
  });
  it('gives each word once', () => {
    expect([...wordsOf('a a A b')]).toEqual(['a', 'b']);
  });
});

describe('tokensOf', () => {
  it('gives offsets into the original text', () => {
    const text = 'Ça va, Éric?';
    const t = tokensOf(text);
    expect(t.map((x) => [x.term, text.slice(x.start, x.end)])).toEqual([['ca', 'Ça'], ['va', 'va'], ['eric', 'Éric']]);
  });
  it('fold of a decomposed accent equals the composed one', () => {
    expect(fold('e\u0301t\u00e9')).toBe('ete');
  });
});

describe('parseQuery', () => {
  it('makes words of two letters or more prefixes, single letters exact', () => {
    expect(parseQuery('quantum b ').terms).toEqual([{ term: 'quantum', prefix: true }, { term: 'b', prefix: false }]);
  });
  it('leaves out a single letter still being typed after other words', () => {
    expect(parseQuery('quantum b').terms).toEqual([{ term: 'quantum', prefix: true }]);
    expect(parseQuery('b').terms).toEqual([{ term: 'b', prefix: false }]);
  });
  it('takes tag: filters out of the words', () => {
    expect(parseQuery('tag:Work plan tag:')).toEqual({ terms: [{ term: 'plan', prefix: true }], tags: ['work'] });
  });
  it('matches CJK characters exactly', () => {
    expect(parseQuery('東京').terms).toEqual([{ term: '東', prefix: false }, { term: '京', prefix: false }]);
  });
});
