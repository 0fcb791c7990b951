const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Standard base64 (with `=` padding) of `bytes`. Pure, so it runs the same in the worker and
 * in node; `btoa` would need a binary string of the whole image first, and FileReader is not
 * in node. Builds the output in 48 KB slices so a 10 MB image does not make 13 M tiny strings.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const SLICE = 49_152; // a multiple of 3: only the last slice pads
  for (let start = 0; start < bytes.length; start += SLICE) {
    const end = Math.min(start + SLICE, bytes.length);
    let out = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i]!;
      const b = i + 1 < end ? bytes[i + 1]! : 0;
      const c = i + 2 < end ? bytes[i + 2]! : 0;
      const n = (a << 16) | (b << 8) | c;
      out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
      out += i + 1 < end ? ALPHABET[(n >> 6) & 63]! : '=';
      out += i + 2 < end ? ALPHABET[n & 63]! : '=';
    }
    parts.push(out);
  }
  return parts.join('');
}
