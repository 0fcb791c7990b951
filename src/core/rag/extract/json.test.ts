import { describe, expect, it } from 'vitest';
import { jsonToMarkdown } from './json';

describe('jsonToMarkdown', () => {
  it('pretty-prints a small document in one fenced block', () => {
    expect(jsonToMarkdown('{"a":1,"b":[true,null]}')).toEqual({ ok: true, text: '```json\n{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}\n```' });
  });

  it('puts each item of a large array in its own block, labelled with its path', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i, title: `Item number ${i}`, tags: ['x', 'y'] }));
    const r = jsonToMarkdown(JSON.stringify({ items }), { blockChars: 500 });
    expect(r.ok).toBe(true);
    const blocks = r.ok ? r.text.split('\n\n') : [];
    expect(blocks).toHaveLength(40);
    expect(blocks[3]).toBe('$.items[3]\n```json\n{\n  "id": 3,\n  "title": "Item number 3",\n  "tags": [\n    "x",\n    "y"\n  ]\n}\n```');
  });

  it('reads JSON Lines one block per line and names the bad line', () => {
    expect(jsonToMarkdown('{"a":1}\n\n{"a":2}\n', { lines: true })).toEqual({ ok: true, text: 'line 1\n```json\n{\n  "a": 1\n}\n```\n\nline 3\n```json\n{\n  "a": 2\n}\n```' });
    const bad = jsonToMarkdown('{"a":1}\n{oops}', { lines: true });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.detail).toMatch(/^line 2: /);
  });

  it('reports invalid JSON', () => {
    expect(jsonToMarkdown('{"a":').ok).toBe(false);
  });
});
