/**
 * Bytes → text for the text kinds. A BOM decides the encoding (UTF-8, UTF-16 LE/BE); without
 * one, UTF-16 is recognised by its pattern of zero bytes, else UTF-8 is tried. Binary content is
 * refused: a zero byte in the first 8,000 (git's test), or many control characters / invalid
 * UTF-8 sequences. Text that is mostly valid but not UTF-8 (Latin-1 exports) is read as
 * Windows-1252, with a warning.
 */

export type Decoded = { ok: true; text: string; warning?: string } | { ok: false; reason: 'binary' };

/** How far the zero-byte and UTF-16 tests look. */
const PROBE_BYTES = 8000;
/** Over this share of invalid UTF-8 sequences (per byte), the bytes are not text in any 8-bit encoding we guess. */
const MAX_INVALID_RATIO = 0.3;
/** Over this share of control characters (besides tab, newlines, form feed), the bytes are not text. */
const MAX_CONTROL_RATIO = 0.05;

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be');
  const sniffed = sniffUtf16(bytes);
  if (sniffed) return utf16(bytes, sniffed);
  const probe = bytes.subarray(0, PROBE_BYTES);
  if (probe.includes(0)) return { ok: false, reason: 'binary' };
  return utf8(bytes);
}

function utf8(bytes: Uint8Array): Decoded {
  const text = new TextDecoder('utf-8').decode(bytes);
  if (controlRatio(text) > MAX_CONTROL_RATIO) return { ok: false, reason: 'binary' };
  let invalid = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) invalid++;
  if (invalid === 0) return { ok: true, text };
  // A replacement character can be in the file itself: count only those decoding produced.
  const made = invalid - countEncodedReplacements(bytes);
  if (made <= 0) return { ok: true, text };
  if (made / Math.max(1, bytes.length) > MAX_INVALID_RATIO) return { ok: false, reason: 'binary' };
  const latin = new TextDecoder('windows-1252').decode(bytes);
  return { ok: true, text: latin, warning: 'The file is not valid UTF-8; it was read as Windows-1252 (Western European). Check accented letters.' };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  const text = new TextDecoder(encoding).decode(bytes);
  if (text.includes('\0') || controlRatio(text) > MAX_CONTROL_RATIO) return { ok: false, reason: 'binary' };
  return { ok: true, text };
}

/** UTF-16 without a BOM: in mostly-ASCII text every other byte is zero. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, PROBE_BYTES) & ~1;
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function controlRatio(text: string): number {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  if (sample.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 127) control++;
  }
  return control / sample.length;
}

/** U+FFFD written in the file as its UTF-8 bytes EF BF BD (not a decoding failure). */
function countEncodedReplacements(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  return n;
}
