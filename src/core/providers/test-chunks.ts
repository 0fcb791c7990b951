import { mulberry32 } from '../seeded-random';

/**
 * Test helpers: cut a body into network reads at chosen places. Parsers must give the same
 * events whatever the cuts, so every stream test replays its bytes whole, byte by byte and
 * cut at awkward points (mid-line, inside a multi-byte UTF-8 character, between \r and \n).
 */

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Cuts `bytes` before each offset (offsets outside 1..length-1 and repeats are ignored). */
export function cutAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets)].filter((o) => o > 0 && o < bytes.length).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    out.push(bytes.subarray(start, cut));
    start = cut;
  }
  out.push(bytes.subarray(start));
  return out;
}

export function cutEveryByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

/**
 * Offsets that hurt a naive parser: inside each of the first multi-byte characters, between
 * each of the first \r\n pairs, and in the middle of the first lines. `limit` bounds each kind.
 */
export function awkwardOffsets(bytes: Uint8Array, limit = 8): number[] {
  const midChar: number[] = [];
  const midCrlf: number[] = [];
  const midLine: number[] = [];
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    // A continuation byte (10xxxxxx): cutting before it splits a character.
    if ((b & 0xc0) === 0x80 && midChar.length < limit) midChar.push(i);
    if (b === 0x0a) {
      if (bytes[i - 1] === 0x0d && midCrlf.length < limit) midCrlf.push(i);
      if (i - lineStart > 2 && midLine.length < limit) midLine.push(lineStart + Math.floor((i - lineStart) / 2));
      lineStart = i + 1;
    }
  }
  return [...midChar, ...midCrlf, ...midLine];
}

/** `count` offsets from a small deterministic generator (mulberry32), so failures reproduce. */
export function seededOffsets(length: number, count: number, seed: number): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => 1 + Math.floor(next() * (length - 1)));
}

/** The ways every stream test feeds a body: whole, byte by byte, and cut at awkward points. */
export function splitVariants(bytes: Uint8Array): { name: string; chunks: Uint8Array[] }[] {
  return [
    { name: 'whole', chunks: [bytes] },
    { name: 'byte by byte', chunks: cutEveryByte(bytes) },
    { name: 'awkward cuts', chunks: cutAt(bytes, awkwardOffsets(bytes)) },
  ];
}

export async function* streamOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}
