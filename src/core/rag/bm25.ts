/**
 * A small BM25 index (k1 = 1.2, b = 0.75, Lucene's idf ln(1 + (N − df + 0.5)/(df + 0.5))) over
 * chunk texts, built incrementally and saved compactly.
 *
 * Postings live in two segments: a frozen base in compressed-sparse-row form (one Uint32Array of
 * rows and one Uint16Array of term frequencies for all terms, with offsets per term) and a delta
 * of plain arrays for rows added since. Removal marks a row dead; document frequencies count
 * live rows only, at query time. `serialize()` folds the delta into the base and drops dead rows,
 * and its result is typed arrays plus two strings: structured-clone friendly, and `load()` uses
 * the arrays as they are, so a worker rebuilds the index in the time it takes to map the terms.
 */

import { TopK } from './top-k';
import { tokenize } from './tokenize';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Term strings are joined with this in a snapshot; the tokenizer never emits it. */
const SEP = '\n';

export interface Bm25Hit {
  id: string;
  score: number;
}

export interface Bm25Snapshot {
  version: 1;
  /** Row ids, in row order. */
  ids: string[];
  /** Terms per row. */
  docLen: Uint32Array;
  /** The distinct terms, joined with "\n", in term order. */
  terms: string;
  /** Term t's postings are [offsets[t], offsets[t + 1]) in `rows` and `tfs`, rows ascending. */
  offsets: Uint32Array;
  rows: Uint32Array;
  /** Term frequency in the row, capped at 65,535. */
  tfs: Uint16Array;
}

const EMPTY: Bm25Snapshot = { version: 1, ids: [], docLen: new Uint32Array(0), terms: '', offsets: new Uint32Array(1), rows: new Uint32Array(0), tfs: new Uint16Array(0) };

export class Bm25Index {
  private rowIds: string[];
  private rowOf = new Map<string, number>();
  private docLen: Uint32Array;
  private alive: Uint8Array;
  private liveRows = 0;
  private liveTerms = 0;
  private baseTerms = new Map<string, number>();
  private base: Pick<Bm25Snapshot, 'offsets' | 'rows' | 'tfs'>;
  /** Rows added since the base was frozen: term → [row, tf, row, tf, …]. */
  private delta = new Map<string, number[]>();
  private readonly scratch = new Map<string, number>();

  constructor(snapshot: Bm25Snapshot = EMPTY) {
    this.rowIds = [];
    this.docLen = new Uint32Array(0);
    this.alive = new Uint8Array(0);
    this.base = EMPTY;
    this.init(snapshot);
  }

  private init(snapshot: Bm25Snapshot): void {
    if (snapshot.version !== 1) throw new Error(`unknown BM25 snapshot version ${String(snapshot.version)}`);
    this.rowIds = [...snapshot.ids];
    const n = this.rowIds.length;
    this.rowOf = new Map();
    this.docLen = new Uint32Array(Math.max(16, n));
    this.docLen.set(snapshot.docLen);
    this.alive = new Uint8Array(this.docLen.length);
    this.alive.fill(1, 0, n);
    this.liveTerms = 0;
    for (let r = 0; r < n; r++) {
      this.rowOf.set(this.rowIds[r]!, r);
      this.liveTerms += snapshot.docLen[r]!;
    }
    this.liveRows = n;
    this.baseTerms = new Map();
    if (snapshot.terms !== '') snapshot.terms.split(SEP).forEach((t, i) => this.baseTerms.set(t, i));
    this.base = { offsets: snapshot.offsets, rows: snapshot.rows, tfs: snapshot.tfs };
    this.delta = new Map();
  }

  static load(snapshot: Bm25Snapshot): Bm25Index {
    return new Bm25Index(snapshot);
  }

  /** Live rows. */
  get size(): number {
    return this.liveRows;
  }

  /** Rows held, removed ones included: removal only marks a row dead until serialize() compacts. */
  get stored(): number {
    return this.rowIds.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Adds (or replaces) a row from its text. */
  add(id: string, text: string): void {
    this.addTerms(id, tokenize(text));
  }

  /** Adds (or replaces) a row from terms already tokenized. */
  addTerms(id: string, terms: readonly string[]): void {
    this.remove(id);
    const row = this.rowIds.length;
    this.rowIds.push(id);
    this.rowOf.set(id, row);
    if (row >= this.docLen.length) {
      const len = new Uint32Array(this.docLen.length * 2);
      len.set(this.docLen);
      this.docLen = len;
      const alive = new Uint8Array(len.length);
      alive.set(this.alive);
      this.alive = alive;
    }
    this.docLen[row] = terms.length;
    this.alive[row] = 1;
    this.liveRows++;
    this.liveTerms += terms.length;
    // Term frequencies in one reused map (a new map per row was most of the build time).
    const tf = this.scratch;
    tf.clear();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, f] of tf) {
      const list = this.delta.get(t);
      if (list) list.push(row, f);
      else this.delta.set(t, [row, f]);
    }
    tf.clear();
  }

  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.rowOf.delete(id);
    this.alive[row] = 0;
    this.liveRows--;
    this.liveTerms -= this.docLen[row]!;
    return true;
  }

  /** The k best rows for `query`, best first; rows sharing no term with it are never returned. */
  search(query: string, k: number): Bm25Hit[] {
    const n = this.liveRows;
    const top = new TopK(Math.min(Math.max(0, Math.floor(k)), n));
    if (top.k === 0) return [];
    const avgdl = this.liveTerms / n || 1;
    const scores = new Float64Array(this.rowIds.length);
    const touched: number[] = [];
    const { offsets, rows, tfs } = this.base;
    const alive = this.alive;
    const docLen = this.docLen;
    for (const term of new Set(tokenize(query))) {
      const t = this.baseTerms.get(term);
      const from = t === undefined ? 0 : offsets[t]!;
      const to = t === undefined ? 0 : offsets[t + 1]!;
      const extra = this.delta.get(term);
      let df = 0;
      for (let i = from; i < to; i++) df += alive[rows[i]!]!;
      if (extra) for (let i = 0; i < extra.length; i += 2) df += alive[extra[i]!]!;
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      // Two plain loops (base, then delta), no per-posting calls: this runs over every posting of every query term.
      const norm = BM25_K1 * (1 - BM25_B);
      const perLen = (BM25_K1 * BM25_B) / avgdl;
      const boost = idf * (BM25_K1 + 1);
      for (let i = from; i < to; i++) {
        const row = rows[i]!;
        if (alive[row] === 0) continue;
        const tf = tfs[i]!;
        if (scores[row] === 0) touched.push(row);
        scores[row]! += (boost * tf) / (tf + norm + perLen * docLen[row]!);
      }
      if (extra) {
        for (let i = 0; i < extra.length; i += 2) {
          const row = extra[i]!;
          if (alive[row] === 0) continue;
          const tf = extra[i + 1]!;
          if (scores[row] === 0) touched.push(row);
          scores[row]! += (boost * tf) / (tf + norm + perLen * docLen[row]!);
        }
      }
    }
    for (const row of touched) if (scores[row]! > top.floor) top.push(scores[row]!, row);
    return top.drain().map((h) => ({ id: this.rowIds[h.row]!, score: h.score }));
  }

  /**
   * The live rows as a compact snapshot (dead rows dropped, rows renumbered). The index then
   * continues from that snapshot: its arrays are shared, so copy them before transferring.
   */
  serialize(): Bm25Snapshot {
    const oldRows = this.rowIds.length;
    const newRow = new Int32Array(oldRows).fill(-1);
    const ids: string[] = [];
    const docLen = new Uint32Array(this.liveRows);
    for (let r = 0; r < oldRows; r++) {
      if (this.alive[r] === 0) continue;
      newRow[r] = ids.length;
      docLen[ids.length] = this.docLen[r]!;
      ids.push(this.rowIds[r]!);
    }
    const terms = new Set<string>([...this.baseTerms.keys(), ...this.delta.keys()]);
    let total = 0;
    for (const t of terms) {
      const b = this.baseTerms.get(t);
      if (b !== undefined) total += this.base.offsets[b + 1]! - this.base.offsets[b]!;
      total += (this.delta.get(t)?.length ?? 0) / 2;
    }
    const rows = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    const kept: string[] = [];
    const offsets: number[] = [0];
    let at = 0;
    for (const t of terms) {
      const start = at;
      const b = this.baseTerms.get(t);
      if (b !== undefined) {
        for (let i = this.base.offsets[b]!; i < this.base.offsets[b + 1]!; i++) {
          const r = newRow[this.base.rows[i]!]!;
          if (r < 0) continue;
          rows[at] = r;
          tfs[at++] = this.base.tfs[i]!;
        }
      }
      const extra = this.delta.get(t);
      if (extra) {
        for (let i = 0; i < extra.length; i += 2) {
          const r = newRow[extra[i]!]!;
          if (r < 0) continue;
          rows[at] = r;
          tfs[at++] = Math.min(65535, extra[i + 1]!);
        }
      }
      if (at > start) {
        kept.push(t);
        offsets.push(at);
      }
    }
    const snapshot: Bm25Snapshot = { version: 1, ids, docLen, terms: kept.join(SEP), offsets: Uint32Array.from(offsets), rows: rows.slice(0, at), tfs: tfs.slice(0, at) };
    this.init(snapshot);
    return snapshot;
  }
}
