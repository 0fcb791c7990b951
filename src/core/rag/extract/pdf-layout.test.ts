import { describe, expect, it } from 'vitest';
import { emptyPagesWarning, joinPages, pageTextFromRuns } from './pdf-layout';

/** A run as pdf.js gives it: 11 pt text at (x, y); width from a rough 0.5 em per character. */
const run = (str: string, x: number, y: number, size = 11) => ({ str, transform: [size, 0, 0, size, x, y], width: str.length * size * 0.5, height: size, hasEOL: false });

describe('pageTextFromRuns', () => {
  it('breaks lines where the baseline moves and paragraphs at large gaps', () => {
    const items = [
      run('First line of a', 72, 700), run('paragraph.', 72, 687),
      run('A second paragraph', 72, 648), run('goes on here.', 72, 635),
      run('Third.', 72, 622),
    ];
    expect(pageTextFromRuns(items)).toBe('First line of a\nparagraph.\n\nA second paragraph\ngoes on here.\nThird.');
  });

  it('joins runs on one line, with a space only where there is a gap', () => {
    const a = run('Hel', 72, 700);
    const b = run('lo', 72 + a.width, 700); // touching: one word
    const c = run('world', 72 + a.width + b.width + 3, 700); // a gap: a space
    const sup = run('2', 72 + a.width + b.width + 3 + 27.5, 703, 7); // superscript: same line
    expect(pageTextFromRuns([a, b, c, sup])).toBe('Hello world2');
  });

  it('starts a paragraph when text jumps back up the page (a new column), skips empty and marked-content items', () => {
    const items = [run('left column end', 72, 100), { str: '', transform: [1, 0, 0, 1, 0, 0], width: 0, height: 0, hasEOL: true }, { type: 'beginMarkedContent' }, run('right column top', 320, 700)];
    expect(pageTextFromRuns(items)).toBe('left column end\n\nright column top');
  });

  it('gives an empty string for a page without runs', () => {
    expect(pageTextFromRuns([])).toBe('');
  });
});

describe('joinPages', () => {
  it('joins pages with blank lines and records where each starts; empty pages start where the next would', () => {
    const r = joinPages(['one', '', 'three']);
    expect(r).toEqual({ text: 'one\n\nthree', pageStarts: [0, 3, 5], empty: [2] });
    expect(r.text.slice(r.pageStarts[2])).toBe('three');
  });
});

describe('emptyPagesWarning', () => {
  it('names the pages as ranges', () => {
    expect(emptyPagesWarning([], 3)).toBeUndefined();
    expect(emptyPagesWarning([2], 3)).toBe('Page 2 has no text layer (scanned?) and was skipped: 1 of 3 pages.');
    expect(emptyPagesWarning([1, 3, 4, 5], 9)).toBe('Pages 1, 3–5 have no text layer (scanned?) and were skipped: 4 of 9 pages.');
  });
});

describe('pageTextFromRuns, paragraph gaps', () => {
  it('sees Word-style spacing (12 pt, 14.4 leading, 6 pt after) and pages of one-line paragraphs', () => {
    const word = [run('a1', 72, 700, 12), run('a2', 72, 685.6, 12), run('b1', 72, 665.2, 12), run('b2', 72, 650.8, 12)];
    expect(pageTextFromRuns(word)).toBe('a1\na2\n\nb1\nb2');
    const singles = [run('one', 72, 700), run('two', 72, 674), run('three', 72, 648)];
    expect(pageTextFromRuns(singles)).toBe('one\n\ntwo\n\nthree');
  });
});

describe('pageTextFromRuns, headings', () => {
  it('makes lines set larger than the body text headings, joining a wrapped one', () => {
    const items = [
      run('A long title that', 72, 760, 24), run('wraps', 72, 732, 24),
      run('Body text line one', 72, 700, 12), run('line two.', 72, 686, 12),
      run('Section', 72, 650, 18),
      run('More body text.', 72, 626, 12),
      run('Sub', 72, 600, 14), run('Last words here.', 72, 584, 12),
    ];
    expect(pageTextFromRuns(items)).toBe('# A long title that wraps\n\nBody text line one\nline two.\n\n## Section\n\nMore body text.\n\n### Sub\n\nLast words here.');
  });

  it('does not make a heading of a line with a drop cap, nor of large digits', () => {
    const items = [run('O', 72, 700, 30), run('tters float on their backs.', 87, 700, 12), run('and sleep.', 72, 686, 12), run('42', 72, 640, 30)];
    expect(pageTextFromRuns(items)).toBe('Otters float on their backs.\nand sleep.\n\n42');
  });
});
