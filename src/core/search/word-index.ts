import type { QueryTerm } from './parse-query';

/**
 * An inverted index over numbered documents: each word maps to the ascending list of the
 * documents that contain it (each once; no positions or counts, to stay small: 200,000
 * messages of ~60 words take a few tens of MB). A removed document is only marked dead and
 * skipped by queries; its entries are swept out once the dead are a quarter of the whole.
 *
 * Why not MiniSearch: measured on 20,000 generated messages it held 46 MB and took
 * 0.5–0.7 s for a two-letter prefix query; at 200,000 messages that is ~460 MB and seconds
 * per keystroke. Plain arrays of document numbers and a sorted word list do the same
 * AND-of-prefixes in milliseconds.
 */
export class WordIndex {
  /**
   * word → ascending document numbers. Packed into an exact-size Int32Array at the end of a
   * bulk load (no growth slack); a list that grows again turns back into an array.
   */
  private postings = new Map<string, Posting>();
  /** Every word, sorted, for prefix ranges; null while a bulk load defers the sort. */
  private sorted: string[] | null = [];
  private alive: Uint8Array = new Uint8Array(1024);
  private next = 0;
  private live = 0;
  /** Dead documents whose numbers are still in lists. */
  private unswept = 0;

  /** Adds a document with these words and returns its number. */
  add(words: Iterable<string>): number {
    const doc = this.next++;
    if (doc >= this.alive.length) {
      const grown = new Uint8Array(this.alive.length * 2);
      grown.set(this.alive);
      this.alive = grown;
    }
    this.alive[doc] = 1;
    this.live++;
    for (const w of words) {
      const list = this.postings.get(w);
      if (Array.isArray(list)) list.push(doc);
      else if (list) this.postings.set(w, [...list, doc]);
      else {
        this.postings.set(w, [doc]);
        if (this.sorted) this.sorted.splice(lowerBound(this.sorted, w), 0, w);
      }
    }
    return doc;
  }

  remove(doc: number): void {
    if (doc < this.next && this.alive[doc] === 1) {
      this.alive[doc] = 0;
      this.live--;
      this.unswept++;
      if (this.unswept > 10_000 && this.unswept * 4 > this.live) this.sweep();
    }
  }

  isAlive(doc: number): boolean {
    return this.alive[doc] === 1;
  }

  /** Many adds at once: the sorted word list is rebuilt once at `endBulk` instead of per new word. */
  beginBulk(): void {
    this.sorted = null;
  }

  endBulk(): void {
    for (const [w, list] of this.postings) if (Array.isArray(list)) this.postings.set(w, Int32Array.from(list));
    this.sorted = [...this.postings.keys()].sort();
  }

  get size(): number {
    return this.live;
  }

  get wordCount(): number {
    return this.postings.size;
  }

  /**
   * Calls `hit` for each live document holding every term (AND; a prefix term is satisfied by
   * any word it starts). Work is the sum of the matching words' lists, each read once.
   */
  match(terms: readonly QueryTerm[], hit: (doc: number) => void): void {
    if (terms.length === 0) return;
    // stamp[d] = how many terms document d has met so far, in order.
    const stamp = new Uint8Array(this.next);
    const byCost = terms.map((t) => ({ t, lists: this.listsOf(t) }));
    byCost.sort((a, b) => cost(a.lists) - cost(b.lists));
    for (let i = 0; i < byCost.length; i++) {
      const { lists } = byCost[i]!;
      if (lists.length === 0) return;
      for (const list of lists) {
        for (let j = 0; j < list.length; j++) {
          const d = list[j]!;
          if (stamp[d] === i) stamp[d] = i + 1;
        }
      }
    }
    const all = byCost.length;
    for (let d = 0; d < this.next; d++) if (stamp[d] === all && this.alive[d] === 1) hit(d);
  }

  private listsOf(t: QueryTerm): Posting[] {
    if (!t.prefix) {
      const list = this.postings.get(t.term);
      return list ? [list] : [];
    }
    const sorted = this.sorted ?? (this.sorted = [...this.postings.keys()].sort());
    const out: Posting[] = [];
    for (let i = lowerBound(sorted, t.term); i < sorted.length && sorted[i]!.startsWith(t.term); i++) out.push(this.postings.get(sorted[i]!)!);
    return out;
  }

  /** Drops dead documents from every list, and words left with none. */
  private sweep(): void {
    for (const [w, list] of this.postings) {
      const kept = list.filter((d) => this.alive[d] === 1);
      if (kept.length === 0) this.postings.delete(w);
      else this.postings.set(w, kept);
    }
    this.unswept = 0;
    this.sorted = null;
  }
}

type Posting = number[] | Int32Array;

const cost = (lists: readonly Posting[]): number => lists.reduce((n, l) => n + l.length, 0);

/** First index in `sorted` whose word is ≥ `w`. */
function lowerBound(sorted: readonly string[], w: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < w) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
