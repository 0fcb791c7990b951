/**
 * Terms for BM25 over document chunks: lower-case, accents folded, runs of letters, digits and
 * combining marks; identifiers split at camelCase and snake_case humps so `parseHttpResponse`
 * and `parse_http_response` both give parse, http, response; a small set of English stopwords
 * dropped. Han, kana and Hangul have no spaces between words, so a run of them gives its
 * overlapping character bigrams (one character alone gives itself), the usual CJK analysis of
 * full-text engines. Documents and queries go through the same function, so they always agree.
 */

const CJK = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}';
/** A run of CJK characters, or a run of other letters/digits/marks. */
const RUN = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');
const CJK_START = new RegExp(`^[${CJK}]`, 'u');
/** The common case (ASCII text and code) skips Unicode work. */
const ASCII_RUN = /[A-Za-z0-9]+/g;
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{M}/gu;
/** A lower/digit→upper step or an acronym followed by a word: where camelCase splits. */
const HUMP = /[\p{Ll}\p{N}]\p{Lu}|\p{Lu}\p{Lu}\p{Ll}/u;
/** The parts of a camelCase run: an acronym before a capitalised word, a word with digits after it, the rest. */
const HUMP_PART = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+\p{N}*|\p{Lu}+[\p{M}\p{N}]*|[^\p{Lu}\p{Ll}]+/gu;

/** Short English function words: frequent enough to carry no signal, few enough to never hide a topic. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ('a an and are as at be but by for from has have he her his i if in into is it its me my no not of on or our ' +
    'she so than that the their them then there these they this those to was we were what when where which who ' +
    'will with would you your').split(' '),
);

function fold(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase();
  // NFKD splits accents off to drop them; NFC afterwards rejoins Hangul syllables.
  return word.normalize('NFKD').replace(MARKS, '').normalize('NFC').toLowerCase();
}

function pushWord(run: string, out: string[]): void {
  if (HUMP.test(run)) {
    for (const m of run.matchAll(HUMP_PART)) pushTerm(fold(m[0]), out);
  } else {
    pushTerm(fold(run), out);
  }
}

function pushTerm(term: string, out: string[]): void {
  if (term !== '' && !STOPWORDS.has(term)) out.push(term);
}

function pushCjk(run: string, out: string[]): void {
  // Code points, not UTF-16 units: some Han characters are outside the BMP.
  const chars = Array.from(run);
  if (chars.length === 1) {
    out.push(chars[0]!);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
}

/** The terms of `text`, in order, repeats kept (BM25 counts them). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  if (!NON_ASCII.test(text)) {
    for (const m of text.matchAll(ASCII_RUN)) pushWord(m[0], out);
    return out;
  }
  // NFKC folds compatibility forms first: full-width Ａ → A, ligatures, half-width kana.
  for (const m of text.normalize('NFKC').matchAll(RUN)) {
    if (CJK_START.test(m[0])) pushCjk(m[0], out);
    else pushWord(m[0], out);
  }
  return out;
}
