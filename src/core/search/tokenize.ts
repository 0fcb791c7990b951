/**
 * Words for search: lower-case, accents folded (é → e, ß stays ß), split on anything that is
 * not a letter, digit or combining mark. Han, kana and Hangul have no spaces between words,
 * so each of their characters is a word of its own: a search for 東京 asks for 東 and 京.
 * Index and query go through the same function, so they always agree.
 */

/** One CJK character, or a run of other letters/digits/marks (a CJK character ends the run). */
const WORD = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]|(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}])[\p{L}\p{N}\p{M}])+/gu;
const CJK_CHAR = /^[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]$/u;
const MARKS = /\p{M}/gu;
const NON_ASCII = /[^\x00-\x7f]/;
/** The common case (plain ASCII text) skips Unicode work: most chats are English and code. */
const ASCII_WORD = /[a-z0-9]+/g;

/** One word's search form. */
export function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase();
  // NFC afterwards puts Hangul syllables back together (NFKD splits them into jamo).
  return word.normalize('NFKD').replace(MARKS, '').normalize('NFC').toLowerCase();
}

/** Whether `term` is one CJK character (matched exactly, never as a prefix of a longer word). */
export function isCjk(term: string): boolean {
  return CJK_CHAR.test(term);
}

/** The distinct words of `text`, for the index. */
export function wordsOf(text: string, into: Set<string> = new Set()): Set<string> {
  if (!NON_ASCII.test(text)) {
    for (const m of text.toLowerCase().matchAll(ASCII_WORD)) into.add(m[0]);
    return into;
  }
  for (const m of text.matchAll(WORD)) {
    const w = fold(m[0]);
    if (w !== '') into.add(w);
  }
  return into;
}

export interface Token {
  /** Search form. */
  term: string;
  /** Where the word sits in the original text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

/** Every word of `text` with its place, for marking matches in what is shown. */
export function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const term = fold(m[0]);
    if (term !== '') out.push({ term, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
