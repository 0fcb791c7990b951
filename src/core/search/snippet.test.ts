import { describe, expect, it } from 'vitest';
import { makeSnippet, markMatches } from './snippet';
import { parseQuery } from './parse-query';

const marked = (m: { text: string; ranges: Array<[number, number]> }) => m.ranges.map(([a, b]) => m.text.slice(a, b));

describe('snippets', () => {
  it('marks every matching word, prefixes included, in the original spelling', () => {
    const text = 'Über Quantum computers: QUANTUM-safe crypto, über alles';
    expect(marked({ text, ranges: markMatches(text, parseQuery('quant uber').terms) })).toEqual(['Über', 'Quantum', 'QUANTUM', 'über']);
  });
  it('shows a window around the first match with ellipses, whitespace collapsed', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    words[120] = 'Needle';
    const s = makeSnippet(words.join('\n  '), parseQuery('needle').terms);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text).not.toMatch(/\n|  /);
    expect(s.text.length).toBeLessThanOrEqual(162);
    expect(marked(s)).toEqual(['Needle']);
    expect(s.text.indexOf('Needle')).toBeGreaterThan(20);
  });
  it('shows a short text whole', () => {
    const s = makeSnippet('a needle here', parseQuery('needle').terms);
    expect(s).toEqual({ text: 'a needle here', ranges: [[2, 8]] });
  });
  it('keeps markup as plain text (the UI never renders it as HTML)', () => {
    const s = makeSnippet('<img src=x onerror=alert(1)> needle', parseQuery('needle').terms);
    expect(s.text).toContain('<img');
    expect(marked(s)).toEqual(['needle']);
  });
});
