import { termMatches, type QueryTerm } from './parse-query';
import { tokensOf } from './tokenize';

/** A piece of text and the parts of it to mark, as [start, end) offsets into `text`. */
export interface Marked {
  text: string;
  ranges: Array<[number, number]>;
}

/** How much of a message a result shows around its first match, in characters. */
const SNIPPET_CHARS = 160;
/** How much text comes before the first match, so it is read in context. */
const LEAD_CHARS = 40;

/** The words of `text` that match a term, as ranges (the UI wraps them in `<mark>`, never as HTML). */
export function markMatches(text: string, terms: readonly QueryTerm[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (terms.length === 0) return ranges;
  for (const t of tokensOf(text)) {
    if (terms.some((q) => termMatches(t.term, q))) ranges.push([t.start, t.end]);
  }
  return ranges;
}

/**
 * A one-line excerpt of `text` around its first match (whitespace runs collapsed to one space,
 * cut at word edges when it can), with the matches in it marked. The start of the text when
 * nothing matches.
 */
export function makeSnippet(text: string, terms: readonly QueryTerm[], chars = SNIPPET_CHARS): Marked {
  const first = firstMatch(text, terms);
  let from = Math.max(0, first - LEAD_CHARS);
  // Back to a word edge, unless that word is very long.
  const space = text.lastIndexOf(' ', from);
  if (from > 0 && space >= 0 && from - space < 15) from = space + 1;
  let to = Math.min(text.length, from + chars * 2);
  let piece = text.slice(from, to).replace(/\s+/gu, ' ');
  if (piece.length > chars) {
    const cut = piece.lastIndexOf(' ', chars);
    piece = piece.slice(0, cut > chars - 20 ? cut : chars);
    to = -1;
  }
  const lead = from > 0 ? '…' : '';
  const tail = to === -1 || to < text.length ? '…' : '';
  const shown = lead + piece.trim() + tail;
  return { text: shown, ranges: markMatches(shown, terms) };
}

/** Offset of the first word that matches a term (0 when none does). */
function firstMatch(text: string, terms: readonly QueryTerm[]): number {
  if (terms.length === 0) return 0;
  for (const t of tokensOf(text)) if (terms.some((q) => termMatches(t.term, q))) return t.start;
  return 0;
}
