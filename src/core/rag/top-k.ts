/**
 * The k best (score, row) pairs of a stream, in a bounded min-heap held in two typed arrays: no
 * per-item objects, O(log k) per accepted item, and callers can skip the call entirely while a
 * score is not above `floor` (the hot loops of the vector and BM25 searches do).
 * Ties keep the lower row, so results are deterministic.
 */
export class TopK {
  readonly scores: Float64Array;
  readonly rows: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    const cap = Math.max(0, Math.floor(k));
    this.scores = new Float64Array(cap);
    this.rows = new Int32Array(cap);
  }

  /** The score an item must beat to get in: -Infinity until k items are held. */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(score: number, row: number): void {
    if (this.k <= 0 || score !== score) return;
    const s = this.scores;
    const r = this.rows;
    if (this.size < this.k) {
      // Sift up from the end.
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(score, row, s[p]!, r[p]!)) break;
        s[i] = s[p]!;
        r[i] = r[p]!;
        i = p;
      }
      s[i] = score;
      r[i] = row;
      return;
    }
    if (!worse(s[0]!, r[0]!, score, row)) return;
    // Replace the root (the worst kept) and sift down.
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const rr = l + 1;
      const c = rr < n && worse(s[rr]!, r[rr]!, s[l]!, r[l]!) ? rr : l;
      if (!worse(s[c]!, r[c]!, score, row)) break;
      s[i] = s[c]!;
      r[i] = r[c]!;
      i = c;
    }
    s[i] = score;
    r[i] = row;
  }

  /** The held items, best first. Leaves the heap empty. */
  drain(): Array<{ row: number; score: number }> {
    const out: Array<{ row: number; score: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ row: this.rows[i]!, score: this.scores[i]! });
    this.size = 0;
    return out.sort((a, b) => b.score - a.score || a.row - b.row);
  }
}

/** Whether (a, ar) ranks below (b, br): a lower score, or the same score and a later row. */
function worse(a: number, ar: number, b: number, br: number): boolean {
  return a < b || (a === b && ar > br);
}
