import { describe, expect, it } from 'vitest';
import { TopK } from './top-k';

describe('TopK', () => {
  it('keeps the k best of a stream, best first, equal to a full sort', () => {
    let a = 12345;
    const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const scores = Array.from({ length: 5000 }, () => Math.round(rnd() * 1000) / 10);
    const top = new TopK(25);
    scores.forEach((s, row) => top.push(s, row));
    const expected = scores.map((score, row) => ({ row, score })).sort((x, y) => y.score - x.score || x.row - y.row).slice(0, 25);
    expect(top.drain()).toEqual(expected);
  });

  it('breaks ties by the lower row, skips NaN, and handles k = 0 and fewer items than k', () => {
    const t = new TopK(2);
    for (const row of [5, 3, 9, 1]) t.push(1, row);
    t.push(NaN, 0);
    expect(t.drain()).toEqual([{ row: 1, score: 1 }, { row: 3, score: 1 }]);
    const none = new TopK(0);
    none.push(1, 1);
    expect(none.drain()).toEqual([]);
    const few = new TopK(10);
    few.push(0.5, 2);
    expect(few.floor).toBe(-Infinity);
    expect(few.drain()).toEqual([{ row: 2, score: 0.5 }]);
  });
});
