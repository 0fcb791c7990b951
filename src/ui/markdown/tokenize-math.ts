/**
 * Tokenizers for TeX math in model output, as marked extensions use them. Pure functions of
 * the source text, so the streaming renderer and the whole-text renderer agree exactly.
 *
 * Inline: `$…$`, `\(…\)`; display: `$$…$$`, `\[…\]` (inline in a paragraph, or a block of its
 * own). `$` follows pandoc's rule so prices stay prices: the opening `$` is followed by a
 * non-space, the next unescaped `$` closes it and must be preceded by a non-space and not
 * followed by a digit, and single-`$` math stays on one line. "$5 and $10" is therefore text.
 */

export interface MathToken {
  type: 'math';
  raw: string;
  /** TeX source, without delimiters. */
  text: string;
  displayMode: boolean;
}

export interface MathBlockToken {
  type: 'mathBlock';
  raw: string;
  text: string;
  /**
   * False while the closing delimiter has not arrived and the source ends inside the block
   * (a stream mid-formula); rendered as source until then.
   */
  closed: boolean;
}

const BLANK_LINE = /\n[ \t]*\n/;
const BLOCK_OPEN = /^ {0,3}(\$\$|\\\[)/;
const REST_OF_LINE_BLANK = /^[ \t]*(?:\n|$)/;

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** True when the char at `i` is preceded by an odd number of backslashes. */
function isEscaped(src: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && src[i - n - 1] === '\\') n++;
  return n % 2 === 1;
}

/** Index where inline math could start in `src` (for marked's `start` hook), or undefined. */
export function findInlineMathStart(src: string): number | undefined {
  // `\x` is an escape: skipping it as a pair keeps `\\(` (an escaped backslash, then "(") out.
  const candidates = /\$|\\[\s\S]/g;
  for (let m = candidates.exec(src); m; m = candidates.exec(src)) {
    if (m[0] === '$' || m[0] === '\\(' || m[0] === '\\[') return m.index;
  }
  return undefined;
}

function inlineToken(raw: string, text: string, displayMode: boolean): MathToken | undefined {
  if (text.trim() === '') return undefined;
  return { type: 'math', raw, text, displayMode };
}

/** Inline math at the very start of `src`, or undefined. */
export function tokenizeInlineMath(src: string): MathToken | undefined {
  if (src.startsWith('$$')) {
    const end = src.indexOf('$$', 2);
    if (end === -1) return undefined;
    return inlineToken(src.slice(0, end + 2), src.slice(2, end), true);
  }
  if (src.startsWith('\\(') || src.startsWith('\\[')) {
    const close = src[1] === '(' ? '\\)' : '\\]';
    const end = src.indexOf(close, 2);
    if (end === -1) return undefined;
    return inlineToken(src.slice(0, end + 2), src.slice(2, end), src[1] === '[');
  }
  if (src[0] !== '$' || isSpace(src[1]) || src[1] === '$' || src[1] === undefined) return undefined;
  for (let i = 1; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\n') return undefined;
    if (ch !== '$' || isEscaped(src, i)) continue;
    // The next `$` closes or nothing does: in "$5 and $10 …" the second `$` starts a price.
    if (isSpace(src[i - 1]) || isDigit(src[i + 1])) return undefined;
    return inlineToken(src.slice(0, i + 1), src.slice(1, i), false);
  }
  return undefined;
}

/**
 * A display-math block (`$$` or `\[` at the start of a line) at the start of `src`.
 *
 * Closed: the closing delimiter ends its line. A block never spans a blank line (TeX forbids
 * it in display math), which keeps every block decidable from text up to the next blank line.
 * Unclosed and running to the end of `src` with no blank line: an open block (`closed:false`);
 * it is necessarily the last token, so a stream shows it as source until it closes.
 * Anything else (a closing delimiter with text after it on its line) is left to the
 * paragraph and its inline math.
 */
export function tokenizeBlockMath(src: string): MathBlockToken | undefined {
  const open = BLOCK_OPEN.exec(src);
  if (!open) return undefined;
  const close = open[1] === '$$' ? '$$' : '\\]';
  const start = open[0].length;
  const blank = BLANK_LINE.exec(src.slice(start));
  const limit = blank ? start + blank.index : src.length;
  const end = src.indexOf(close, start);
  if (end === -1 || end >= limit) {
    if (blank || end !== -1) return undefined;
    return { type: 'mathBlock', raw: src, text: src.slice(start), closed: false };
  }
  const after = REST_OF_LINE_BLANK.exec(src.slice(end + close.length));
  const text = src.slice(start, end);
  if (!after || text.trim() === '') return undefined;
  return { type: 'mathBlock', raw: src.slice(0, end + close.length + after[0].length), text, closed: true };
}
