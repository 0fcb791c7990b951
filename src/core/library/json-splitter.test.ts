import { describe, expect, it } from 'vitest';
import { JsonSplitError, JsonSplitter } from './json-splitter';

function split(pieces: string[], maxDepth = 64): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const s = new JsonSplitter({ maxDepth, onElement: (t, top) => out.push([t, top]) });
  for (const p of pieces) s.push(p);
  s.end();
  return out;
}

const tricky = ' [ {"a":"x]}\\"{[","b":[1,{"c":null}]} ,\n{"d":"\\\\"}, {} ] ';

describe('JsonSplitter', () => {
  it('cuts a top-level list into its items, brackets and escapes inside strings ignored', () => {
    const items = split([tricky]).map(([t]) => JSON.parse(t));
    expect(items).toEqual([{ a: 'x]}"{[', b: [1, { c: null }] }, { d: '\\' }, {}]);
  });

  it('gives the same items however the text is cut into pieces', () => {
    const whole = split([tricky]);
    for (let i = 0; i <= tricky.length; i++) {
      for (const j of [i, Math.min(tricky.length, i + 1), Math.min(tricky.length, i + 7)]) {
        expect(split([tricky.slice(0, i), tricky.slice(i, j), tricky.slice(j)])).toEqual(whole);
      }
    }
  });

  it('hands on a top-level object whole', () => {
    expect(split(['{"format":', '"x", "t": [1]}'])).toEqual([['{"format":"x", "t": [1]}', 'value']]);
  });

  it('refuses nesting past the limit without recursing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(() => split([deep])).toThrow(JsonSplitError);
    expect(() => split(['[{"a":' + '['.repeat(10) + ']'.repeat(10) + '}]'], 5)).toThrow(/nested more than 5/);
    expect(split(['[{"a":' + '['.repeat(3) + ']'.repeat(3) + '}]'], 5)).toHaveLength(1);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['"text"', /not a JSON list or object/],
    ['[{}', /before its top-level list is closed/],
    ['[{"a":"x}]', /inside a string/],
    ['[{} {}]', /Missing comma/],
    ['[,{}]', /Unexpected comma/],
    ['[{},]', /Unexpected comma/],
    ['[1,2]', /not an object/],
    ['[{}] x', /after the end/],
    ['{}}', /after the end/],
  ])('rejects %j', (text, message) => {
    expect(() => split([text])).toThrow(message);
  });

  it('accepts an empty list', () => {
    expect(split(['[ ]'])).toEqual([]);
  });
});
