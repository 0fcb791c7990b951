import { describe, expect, it } from 'vitest';
import { STOPWORDS, tokenize } from './tokenize';

describe('tokenize', () => {
  it('lower-cases, splits on non-word characters and drops stopwords', () => {
    expect(tokenize('The Quick brown fox, and the lazy dog!')).toEqual(['quick', 'brown', 'fox', 'lazy', 'dog']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('the of and')).toEqual([]);
  });

  it('keeps repeats (BM25 counts them) and digits', () => {
    expect(tokenize('error 404, error 500')).toEqual(['error', '404', 'error', '500']);
  });

  it('splits camelCase, PascalCase, acronyms and snake_case identifiers', () => {
    expect(tokenize('parseHttpResponse')).toEqual(['parse', 'http', 'response']);
    expect(tokenize('parse_http_response')).toEqual(['parse', 'http', 'response']);
    expect(tokenize('HTTPServer XMLHttpRequest')).toEqual(['http', 'server', 'xml', 'http', 'request']);
    expect(tokenize('utf8Decoder getV2')).toEqual(['utf8', 'decoder', 'get', 'v2']);
    expect(tokenize('kebab-case-name')).toEqual(['kebab', 'case', 'name']);
  });

  it('folds accents and compatibility forms, and splits camelCase beyond ASCII', () => {
    expect(tokenize('Café Ünïcödé')).toEqual(['cafe', 'unicode']);
    expect(tokenize('ＡＢＣ ﬁle')).toEqual(['abc', 'file']);
    expect(tokenize('größeÄnderung')).toEqual(['große', 'anderung']);
    expect(tokenize('Москва и Киев')).toEqual(['москва', 'и', 'киев']);
  });

  it('gives CJK runs as overlapping bigrams, a lone character as itself', () => {
    expect(tokenize('東京都')).toEqual(['東京', '京都']);
    expect(tokenize('東')).toEqual(['東']);
    expect(tokenize('GPT模型很好')).toEqual(['gpt', '模型', '型很', '很好']);
    expect(tokenize('カタカナ')).toEqual(['カタ', 'タカ', 'カナ']);
  });

  it('counts characters outside the BMP as one (no broken surrogate halves)', () => {
    const terms = tokenize('𠀋𠀌𠀍');
    expect(terms).toEqual(['𠀋𠀌', '𠀌𠀍']);
    for (const t of terms) expect(t.isWellFormed()).toBe(true);
  });

  it('agrees with itself on a query and a document', () => {
    const doc = tokenize('Configure the ConnectionPool with max_connections = 10.');
    for (const q of tokenize('connection pool max connections')) expect(doc).toContain(q);
  });

  it('has a short stopword list', () => {
    expect(STOPWORDS.size).toBeLessThan(80);
    expect(STOPWORDS.has('the')).toBe(true);
    expect(STOPWORDS.has('python')).toBe(false);
  });
});
