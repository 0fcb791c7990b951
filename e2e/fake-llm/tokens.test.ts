import { describe, expect, it } from 'vitest';

import { countTokens, loremMarkdown, tokenize } from './tokens';

describe('tokens.ts', () => {
  it('tokenize is lossless, ~4 chars a token, and never splits surrogate pairs', () => {
    const s = 'Hello, world! Internationalization 12345\n\n```ts\n  const x = 1;\n```\n日本語のテキスト 👨‍👩‍👧 🎉';
    const toks = tokenize(s);
    expect(toks.join('')).toBe(s);
    expect(s.length / toks.length).toBeGreaterThan(2.5);
    expect(s.length / toks.length).toBeLessThan(6);
    for (const t of toks) expect(t).toBe(Buffer.from(t, 'utf8').toString('utf8')); // no lone surrogates
    expect(toks).toContain(' world');
    expect(toks).toContain('\n\n');
  });

  it('loremMarkdown(N) is deterministic, about N tokens, with realistic markdown', () => {
    const md = loremMarkdown(2000);
    expect(loremMarkdown(2000)).toBe(md);
    expect(Math.abs(countTokens(md) - 2000)).toBeLessThan(100);
    const fences = md.match(/^```\w+$/gm) ?? [];
    expect(fences).toHaveLength(3);
    const blocks = md.match(/^```\w+\n[\s\S]*?\n```$/gm) ?? [];
    for (const b of blocks) expect(b.split('\n').length - 2).toBe(40);
    expect(md).toMatch(/^# /m);
    expect(md).toMatch(/^## /m);
    expect(md).toMatch(/^- /m);
    expect(md).toMatch(/^1\. /m);
    expect(md).toMatch(/^\| --- \|/m);
    expect(md).toMatch(/\$\$\n[\s\S]+?\n\$\$/);
    expect(md).toMatch(/[^$]\$[^$\n]+\$[^$]/);
    for (const n of [1, 20, 200, 5000]) expect(Math.abs(countTokens(loremMarkdown(n)) - n)).toBeLessThanOrEqual(Math.max(2, n * 0.05));
  });
});
