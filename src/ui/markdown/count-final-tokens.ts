import type { Token } from 'marked';

/** Block types whose end is decided by their own text, whatever follows them. */
const SELF_CLOSING = new Set(['heading', 'hr', 'code', 'mathBlock']);

/** Does `src[start, end)` end with a blank line (`\n[ \t]*\n[ \t]*` at its end)? */
function endsWithBlankLine(src: string, start: number, end: number): boolean {
  let i = end - 1;
  let newlines = 0;
  while (i >= start) {
    const ch = src[i];
    if (ch === '\n') {
      if (++newlines === 2) return true;
    } else if (ch !== ' ' && ch !== '\t') {
      return false;
    }
    i--;
  }
  return false;
}

/**
 * How many of `tokens` (lexed from `src`) are final: all tokens before the last boundary
 * that satisfies the rule in the header comment. Tokens must concatenate to `src`.
 */
export function countFinalTokens(tokens: Token[], src: string): number {
  let count = 0;
  let start = 0;
  let prev: { token: Token; start: number } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'space') {
      if (prev) {
        const separated = SELF_CLOSING.has(prev.token.type) || endsWithBlankLine(src, prev.start, start);
        const kindKnown = src.indexOf('\n', start) !== -1;
        if (separated && kindKnown) count = i;
        if (!kindKnown) break;
      }
      prev = { token, start };
    }
    start += token.raw.length;
  }
  return count;
}

/** Length in `original` of its first `normalizedLength` chars after CRLF/CR → LF. */
export function originalLength(original: string, normalizedLength: number): number {
  let o = 0;
  for (let n = 0; n < normalizedLength; n++) o += original[o] === '\r' && original[o + 1] === '\n' ? 2 : 1;
  return o;
}
