import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text';

const utf16 = (s: string, le: boolean, bom: boolean) => {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  if (bom) out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const at = (bom ? 2 : 0) + i * 2;
    out[at] = le ? c & 0xff : c >> 8;
    out[at + 1] = le ? c >> 8 : c & 0xff;
  }
  return out;
};

describe('decodeText', () => {
  it('reads UTF-8 and drops its BOM', () => {
    expect(decodeText(new TextEncoder().encode('Grüße 😀'))).toEqual({ ok: true, text: 'Grüße 😀' });
    expect(decodeText(Uint8Array.of(0xef, 0xbb, 0xbf, 0x68, 0x69))).toEqual({ ok: true, text: 'hi' });
  });

  it('reads UTF-16 LE and BE by their BOMs, and LE without one', () => {
    expect(decodeText(utf16('Héllo wörld', true, true))).toEqual({ ok: true, text: 'Héllo wörld' });
    expect(decodeText(utf16('Héllo wörld', false, true))).toEqual({ ok: true, text: 'Héllo wörld' });
    expect(decodeText(utf16('plain ascii text', true, false))).toEqual({ ok: true, text: 'plain ascii text' });
  });

  it('refuses bytes with a NUL early on, and random binary', () => {
    expect(decodeText(Uint8Array.of(0x68, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x69))).toEqual({ ok: false, reason: 'binary' });
    let seed = 42;
    const noise = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 255) + 1);
    expect(decodeText(noise)).toEqual({ ok: false, reason: 'binary' });
  });

  it('reads mostly valid non-UTF-8 text as Windows-1252, with a warning', () => {
    const latin1 = Uint8Array.from('Un café à Paris, déjà vu.', (c) => c.charCodeAt(0));
    const d = decodeText(latin1);
    expect(d).toMatchObject({ ok: true, text: 'Un café à Paris, déjà vu.' });
    expect(d.ok && d.warning).toMatch(/not valid UTF-8/);
  });

  it('keeps a replacement character written in the file without calling it invalid', () => {
    expect(decodeText(new TextEncoder().encode('bad char: \ufffd'))).toEqual({ ok: true, text: 'bad char: \ufffd' });
  });
});
