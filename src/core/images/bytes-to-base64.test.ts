import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from './bytes-to-base64';

describe('bytesToBase64', () => {
  it('matches node for every padding case', () => {
    for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
      const bytes = new TextEncoder().encode(s);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('matches node across slice boundaries, all byte values', () => {
    for (const len of [49_151, 49_152, 49_153, 100_001]) {
      const bytes = new Uint8Array(len).map((_, i) => (i * 31 + 7) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
