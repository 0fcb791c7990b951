import { describe, expect, it } from 'vitest';
import { chunkDocument, normalizeChunkOptions } from './chunk';
import type { ChunkText } from './types';
import { mulberry32 as rng } from '../seeded-random';


const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'kettle', 'orbit', 'x', 'supercalifragilisticexpialidocious', '東京都庁', '😀', 'naïve', 'Straße', 'a'.repeat(90), '𠀋𠀌𠀍'];

function randomDoc(r: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(pick([' ', ' ', ' ', '  ', '\n', '\t']));
  const parts: string[] = [];
  const blocks = 1 + Math.floor(r() * 12);
  for (let b = 0; b < blocks; b++) {
    const k = r();
    if (k < 0.15) parts.push(`${'#'.repeat(1 + Math.floor(r() * 4))} ${words(1 + Math.floor(r() * 3))}`);
    else if (k < 0.3) parts.push('```ts\n' + Array.from({ length: 1 + Math.floor(r() * 20) }, () => '  ' + words(1 + Math.floor(r() * 6))).join('\n') + '\n```');
    else if (k < 0.4) parts.push('| a | b |\n|---|---|\n' + Array.from({ length: 1 + Math.floor(r() * 15) }, () => `| ${words(2)} | ${words(3)} |`).join('\n'));
    else if (k < 0.45) parts.push(' '.repeat(Math.floor(r() * 300)));
    else parts.push(Array.from({ length: 1 + Math.floor(r() * 8) }, () => words(1 + Math.floor(r() * 25)) + pick(['.', '!', '?', '。', ''])).join(' '));
  }
  return parts.join(pick(['\n\n', '\n', '\n\n\n']));
}

/** Throws on the first broken invariant (plain checks: thousands of chunks per run). */
function checkInvariants(text: string, chunks: ChunkText[], size: number, overlap: number): void {
  const fail = (what: string, i: number): never => {
    throw new Error(`chunk ${i}: ${what} ${JSON.stringify(chunks[i] ?? null)}`);
  };
  if (text.trim() === '') {
    if (chunks.length !== 0) fail('chunks of a blank text', 0);
    return;
  }
  if (chunks.length === 0) fail('no chunks', 0);
  if (chunks[0]!.start !== 0) fail('first does not start at 0', 0);
  if (chunks[chunks.length - 1]!.end !== text.length) fail('last does not end at the end', chunks.length - 1);
  chunks.forEach((c, i) => {
    if (c.index !== i) fail('index', i);
    if (c.text !== text.slice(c.start, c.end)) fail('offsets do not slice back', i);
    if (c.end <= c.start) fail('empty', i);
    // Only an unsplittable code point (a surrogate pair with size 1) may be longer than size.
    if (c.end - c.start > size && [...c.text].length !== 1) fail(`longer than ${size}`, i);
    if (!c.text.isWellFormed()) fail('cut inside a surrogate pair', i);
    if (i > 0) {
      const p = chunks[i - 1]!;
      if (c.start <= p.start || c.end <= p.end) fail('not moving forward', i);
      if (c.start > p.end) fail('gap before', i);
      if (p.end - c.start > overlap) fail(`overlap over ${overlap}`, i);
    }
  });
}

describe('chunkDocument: properties over random documents', () => {
  it('offsets slice back, every character is covered, sizes and overlaps are within bounds', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const text = randomDoc(r);
      const size = [1, 2, 7, 40, 100, 300, 1000][seed % 7]!;
      const { overlap } = normalizeChunkOptions({ size, overlap: Math.floor(r() * size) });
      const chunks = chunkDocument({ text }, { size, overlap });
      try {
        checkInvariants(text, chunks, size, overlap);
      } catch (e) {
        throw new Error(`seed ${seed}, size ${size}, overlap ${overlap}: ${(e as Error).message}`);
      }
    }
  });

  it('is deterministic', () => {
    const text = randomDoc(rng(7));
    expect(chunkDocument({ text }, { size: 120, overlap: 30 })).toEqual(chunkDocument({ text }, { size: 120, overlap: 30 }));
  });

  it('honours the overlap in prose: each chunk repeats close to `overlap` characters, starting at a word', () => {
    const r = rng(3);
    const words = ['the', 'river', 'ran', 'past', 'old', 'mills', 'and', 'quiet', 'farms'];
    const sentences = Array.from({ length: 200 }, () => Array.from({ length: 3 + Math.floor(r() * 4) }, () => words[Math.floor(r() * words.length)]).join(' ') + '.');
    const text = sentences.join(' ');
    const chunks = chunkDocument({ text }, { size: 200, overlap: 50 });
    expect(chunks.length).toBeGreaterThan(10);
    checkInvariants(text, chunks, 200, 50);
    for (let i = 1; i < chunks.length; i++) {
      const o = chunks[i - 1]!.end - chunks[i]!.start;
      expect(o).toBeGreaterThanOrEqual(50 - 6);
      expect(o).toBeLessThanOrEqual(50);
      expect(text[chunks[i]!.start - 1]).toBe(' ');
    }
  });

  it('overlaps text without spaces (CJK) on a code point boundary', () => {
    const text = '東京都庁😀'.repeat(100);
    const chunks = chunkDocument({ text }, { size: 50, overlap: 10 });
    checkInvariants(text, chunks, 50, 10);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i - 1]!.end - chunks[i]!.start).toBeGreaterThanOrEqual(9);
  });
});

describe('chunkDocument: structure', () => {
  const md = [
    'Intro line before any heading.',
    '',
    '# Install',
    '',
    '## On Linux',
    '',
    'Run the installer. Then reboot.',
    '',
    '```sh',
    '# not a heading',
    'make install',
    '```',
    '',
    '## On Mac',
    '',
    '| os | cmd |',
    '|----|-----|',
    '| mac | brew install parley |',
    '| mac | port install parley |',
    '',
    '# Usage',
    'Type a question.',
  ].join('\n');

  it('carries the heading path; a heading with nothing under it joins the next section', () => {
    const chunks = chunkDocument({ text: md }, { size: 1000, overlap: 100 });
    expect(chunks.map((c) => c.headings)).toEqual([[], ['Install', 'On Linux'], ['Install', 'On Mac'], ['Usage']]);
    expect(chunks[1]!.text.startsWith('# Install\n\n## On Linux')).toBe(true);
    expect(chunks[1]!.text).toContain('# not a heading');
    // Sections never share text: no overlap across a heading.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBe(chunks[i - 1]!.end);
  });

  it('keeps a fenced code block whole when it fits, even if that leaves less room for overlap', () => {
    const code = '```js\n' + Array.from({ length: 12 }, (_, i) => `const v${i} = compute(${i});`).join('\n') + '\n```';
    const text = 'Some words here. '.repeat(10) + '\n\n' + code + '\n\nAfter the code.';
    const chunks = chunkDocument({ text }, { size: code.length + 5, overlap: 40 });
    checkInvariants(text, chunks, code.length + 5, 40);
    expect(chunks.some((c) => c.text.includes(code))).toBe(true);
  });

  it('cuts a long code block at lines and a long table between rows', () => {
    const code = '```\n' + Array.from({ length: 40 }, (_, i) => `line ${i} of the program`).join('\n') + '\n```';
    const table = '| k | v |\n|---|---|\n' + Array.from({ length: 40 }, (_, i) => `| key ${i} | value ${i} |`).join('\n');
    const text = code + '\n\n' + table;
    const chunks = chunkDocument({ text }, { size: 120, overlap: 0 });
    checkInvariants(text, chunks, 120, 0);
    for (const c of chunks.slice(0, -1)) expect(text[c.end - 1]).toBe('\n');
  });

  it('cuts long paragraphs at sentences before words', () => {
    const text = 'First sentence is here. Second one follows it. Third closes the paragraph.';
    const chunks = chunkDocument({ text }, { size: 50, overlap: 0 });
    expect(chunks.map((c) => c.text)).toEqual(['First sentence is here. Second one follows it. ', 'Third closes the paragraph.']);
  });

  it('gives the page where a chunk\'s new text starts', () => {
    const pages = ['Page one text. '.repeat(5), 'Page two text. '.repeat(5), 'Page three text. '.repeat(5)];
    const pageStarts: number[] = [];
    let text = '';
    for (const p of pages) {
      pageStarts.push(text.length);
      text += p + '\n\n';
    }
    const chunks = chunkDocument({ text, pageStarts }, { size: 60, overlap: 20 });
    checkInvariants(text, chunks, 60, 20);
    chunks.forEach((c, i) => {
      // Its new text starts where the previous chunk ended; skip spaces, find that page.
      let first = i === 0 ? 0 : chunks[i - 1]!.end;
      while (/\s/.test(text[first]!)) first++;
      expect(c.page).toBe(pageStarts.filter((s) => s <= first).length);
    });
    expect(new Set(chunks.map((c) => c.page))).toEqual(new Set([1, 2, 3]));
    expect(chunks[0]!.page).toBe(1);
    expect(chunks[chunks.length - 1]!.page).toBe(3);
    expect(chunkDocument({ text: 'no pages' }, { size: 10, overlap: 0 })[0]!.page).toBeUndefined();
  });

  it('gives nothing for empty or blank text, and clamps odd options', () => {
    expect(chunkDocument({ text: '' }, { size: 10, overlap: 2 })).toEqual([]);
    expect(chunkDocument({ text: ' \n\t ' }, { size: 10, overlap: 2 })).toEqual([]);
    expect(normalizeChunkOptions({ size: 100, overlap: 900 })).toEqual({ size: 100, overlap: 50 });
    expect(normalizeChunkOptions({ size: 0, overlap: -3 })).toEqual({ size: 1, overlap: 0 });
  });
});
