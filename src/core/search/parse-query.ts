import { fold, isCjk, tokensOf } from './tokenize';

const MAX_TERMS = 32;

export interface QueryTerm {
  term: string;
  /** Matches any word starting with it (the word being typed, or a partial word). */
  prefix: boolean;
}

export interface Query {
  terms: QueryTerm[];
  /** Open WebUI's `tag:<name>`: only chats carrying every one of these tags. */
  tags: string[];
}

/**
 * What the user typed, as terms. Every word of two letters or more matches as a prefix, so
 * partial words find their whole; a single letter or digit matches only that exact word (as
 * a prefix it would match most of the library). A single letter still being typed at the end
 * is left out, so results do not vanish between keystrokes.
 */
export function parseQuery(input: string): Query {
  const tags: string[] = [];
  const rest = input.replace(/(^|\s)tag:(\S*)/giu, (_all, space: string, tag: string) => {
    if (tag !== '') tags.push(fold(tag));
    return space;
  });
  const tokens = tokensOf(rest);
  const typing = rest !== '' && !/\s$/u.test(rest);
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  tokens.forEach((t, i) => {
    const short = t.term.length < 2 && !isCjk(t.term);
    if (short && typing && i === tokens.length - 1 && tokens.length > 1) return;
    // The index counts matched terms in a byte; nobody types more than this many words.
    if (seen.has(t.term) || terms.length >= MAX_TERMS) return;
    seen.add(t.term);
    terms.push({ term: t.term, prefix: !short && !isCjk(t.term) });
  });
  return { terms, tags };
}

/** Whether a word of text matches a query term. */
export function termMatches(word: string, q: QueryTerm): boolean {
  return q.prefix ? word.startsWith(q.term) : word === q.term;
}
