import { describe, expect, it } from 'vitest';
import { createDotKernel } from './dot-kernel';

describe('createDotKernel', () => {
  it('scores each row against the query (WebAssembly SIMD)', () => {
    const k = createDotKernel(16, 3);
    expect(k).not.toBeNull();
    for (let i = 0; i < 16; i++) {
      k!.query[i] = 1;
      k!.data[i] = i;
      k!.data[16 + i] = 2;
      k!.data[32 + i] = -1;
    }
    k!.scan(3);
    expect([...k!.scores]).toEqual([120, 32, -16]);
  });

  it('matches a plain dot product on random 384-dimension rows, and scans only n rows', () => {
    const dims = 384;
    const k = createDotKernel(dims, 50)!;
    let a = 7;
    const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    for (let i = 0; i < k.data.length; i++) k.data[i] = rnd();
    for (let i = 0; i < dims; i++) k.query[i] = rnd();
    k.scores.fill(99);
    k.scan(40);
    for (let r = 0; r < 40; r++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += k.data[r * dims + j]! * k.query[j]!;
      expect(k.scores[r]).toBeCloseTo(s, 4);
    }
    expect(k.scores[40]).toBe(99);
  });

  it('declines rows that are not a multiple of 16 floats', () => {
    expect(createDotKernel(384 + 4, 10)).toBeNull();
    expect(createDotKernel(3, 10)).toBeNull();
  });
});
