import { describe, expect, it } from 'vitest';
import {
  createMeta,
  decryptDoc,
  encryptVersion,
  fromBase64,
  MetaFormatError,
  openMeta,
  SyncDecryptError,
  toBase64,
  WrongPassphraseError,
} from './crypto';
import type { SyncDoc, Version } from './types';

/** Small, so each derivation takes well under a millisecond; the default is 600,000. */
const ITER = 1000;

const message: Version = {
  id: 'msg:8c1e2f7a',
  fields: { '*': { h: '1700000000000-0000-abc123', v: { role: 'user', content: 'Meet me at Quasimodo Café, 7pm 🥐', chatId: 'c-42' } } },
  del: null,
};

/** Flips one bit of a base64 value's byte i. */
function flip(b64: string, i: number): string {
  const b = fromBase64(b64);
  b[i] = b[i]! ^ 1;
  return toBase64(b);
}

async function expectDecryptError(p: Promise<unknown>, reason: SyncDecryptError['reason']): Promise<void> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SyncDecryptError);
  expect((e as SyncDecryptError).reason).toBe(reason);
}

describe('meta document and key', () => {
  it('creates a meta document that the same passphrase opens, with the iterations asked for', async () => {
    const { meta, key } = await createMeta('correct horse', { iterations: ITER });
    expect(meta).toMatchObject({ _id: 'parley:meta', e: 1, kdf: 'PBKDF2-SHA256', iterations: ITER });
    expect(fromBase64(meta.salt)).toHaveLength(16);
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    const again = await openMeta(JSON.parse(JSON.stringify(meta)), 'correct horse');
    // The key opened from the meta document reads what the creating key wrote.
    expect(await decryptDoc(again, await encryptVersion(key, message))).toEqual(message);
  });

  it('a different salt each time, so the same passphrase gives different keys on different databases', async () => {
    const a = await createMeta('same', { iterations: ITER });
    const b = await createMeta('same', { iterations: ITER });
    expect(a.meta.salt).not.toBe(b.meta.salt);
    await expectDecryptError(decryptDoc(b.key, await encryptVersion(a.key, message)), 'auth');
  });

  it('honours the iterations in the meta document: a changed count derives another key', async () => {
    const { meta } = await createMeta('pw', { iterations: ITER });
    await expect(openMeta({ ...meta, iterations: ITER + 1 }, 'pw')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(openMeta(meta, 'pw')).resolves.toBeDefined();
  });

  it('a wrong passphrase throws WrongPassphraseError', async () => {
    const { meta } = await createMeta('correct horse', { iterations: ITER });
    const e = await openMeta(meta, 'correct hors').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WrongPassphraseError);
    expect((e as Error).message).toMatch(/wrong passphrase/i);
    await expect(openMeta({ ...meta, check: { ...meta.check, ct: flip(meta.check.ct, 0) } }, 'correct horse')).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
  });

  it('the passphrase is NFC-normalised: composed and decomposed accents give one key', async () => {
    const { meta } = await createMeta('caf\u00e9', { iterations: ITER });
    await expect(openMeta(meta, 'cafe\u0301')).resolves.toBeDefined();
  });

  it('refuses an empty passphrase and bad iteration counts', async () => {
    await expect(createMeta('', { iterations: ITER })).rejects.toThrow(/empty/);
    await expect(createMeta('pw', { iterations: 0 })).rejects.toThrow(/iterations/);
    await expect(createMeta('pw', { iterations: 1.5 })).rejects.toThrow(/iterations/);
  });

  it('a malformed meta document is a clear MetaFormatError, not a wrong passphrase', async () => {
    const { meta } = await createMeta('pw', { iterations: ITER });
    const bad: unknown[] = [
      null,
      'parley:meta',
      { ...meta, _id: 'other' },
      { ...meta, kdf: 'scrypt' },
      { ...meta, e: 2 },
      { ...meta, iterations: '1000' },
      { ...meta, iterations: 0 },
      { ...meta, iterations: 1e12 },
      { ...meta, salt: 'not base64!' },
      { ...meta, salt: toBase64(new Uint8Array(8)) },
      { ...meta, check: { iv: toBase64(new Uint8Array(8)), ct: meta.check.ct } },
      { ...meta, check: undefined },
    ];
    for (const m of bad) {
      const e = await openMeta(m, 'pw').catch((x: unknown) => x);
      expect(e, JSON.stringify(m)).toBeInstanceOf(MetaFormatError);
      expect((e as Error).message).toMatch(/meta document is malformed/);
    }
  });
});

describe('documents', () => {
  it('round-trips versions of every shape, tombstones included', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const versions: Version[] = [
      message,
      { id: 'msg:gone', fields: {}, del: '1700000000001-0003-abc123' },
      {
        id: 'chat:c-42',
        fields: { title: { h: '1700000000000-0000-abc123', v: 'Trip' }, tags: { h: '1700000000002-0000-zz', v: ['a', 'b'] } },
        del: '1700000000001-0000-abc123',
      },
      { id: 'setting:rag.topK', fields: { '*': { h: '1700000000000-0001-q', v: 8 } }, del: null },
    ];
    for (const v of versions) {
      const doc = await encryptVersion(key, v);
      expect(doc).toEqual({ _id: v.id, e: 1, iv: expect.any(String), ct: expect.any(String) });
      expect(fromBase64(doc.iv)).toHaveLength(12);
      expect(await decryptDoc(key, doc)).toEqual(v);
    }
  });

  it('uses a fresh IV for each encryption', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const a = await encryptVersion(key, message);
    const b = await encryptVersion(key, message);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('the stored document contains none of the plaintext', async () => {
    const { meta, key } = await createMeta('pw', { iterations: ITER });
    const doc = await encryptVersion(key, message);
    const raw = JSON.stringify({ doc, meta });
    for (const s of ['Quasimodo', 'Café', 'user', 'content', 'chatId', 'c-42', 'abc123', '1700000000000', '"fields"', '"del"', 'correct']) {
      expect(raw).not.toContain(s);
    }
    // Nor its base64 at any byte alignment (someone might look for encoded text).
    for (const shift of ['', 'x', 'xx']) expect(raw).not.toContain(btoa(shift + 'Quasimodo').slice(4, 12));
  });

  it('a tampered ciphertext, IV or tag fails authentication', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const doc = await encryptVersion(key, message);
    const ctLen = fromBase64(doc.ct).length;
    await expectDecryptError(decryptDoc(key, { ...doc, ct: flip(doc.ct, 0) }), 'auth');
    await expectDecryptError(decryptDoc(key, { ...doc, ct: flip(doc.ct, ctLen - 1) }), 'auth');
    await expectDecryptError(decryptDoc(key, { ...doc, iv: flip(doc.iv, 5) }), 'auth');
    await expectDecryptError(decryptDoc(key, { ...doc, ct: toBase64(fromBase64(doc.ct).slice(0, ctLen - 1)) }), 'auth');
  });

  it('a document moved to another id fails (the id is the additional data)', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const doc = await encryptVersion(key, message);
    await expectDecryptError(decryptDoc(key, { ...doc, _id: 'msg:other' }), 'auth');
  });

  it('another passphrase’s key cannot read a document', async () => {
    const a = await createMeta('one', { iterations: ITER });
    const b = await createMeta('two', { iterations: ITER });
    await expectDecryptError(decryptDoc(b.key, await encryptVersion(a.key, message)), 'auth');
  });

  it('a well-encrypted body that is not a Version of its own id is refused', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    // Authentic for its _id, but the plaintext names another record (a buggy or hostile client).
    await expectDecryptError(decryptDoc(key, await sealWithAad(key, JSON.stringify({ ...message, id: 'msg:elsewhere' }), message.id)), 'id');
    for (const body of [
      { fields: {}, del: null },
      { id: 'chat:1', fields: { '*': { h: 'yesterday', v: 1 } }, del: null },
      { id: 'chat:1', fields: { '*': { v: 1 } }, del: null },
      { id: 'chat:1', fields: [], del: null },
      { id: 'chat:1', fields: {}, del: 5 },
      { id: 'chat:1', fields: {} },
    ]) {
      await expectDecryptError(decryptDoc(key, await sealWithAad(key, JSON.stringify(body), 'chat:1')), 'shape');
    }
    await expectDecryptError(decryptDoc(key, await sealWithAad(key, 'not json', 'chat:1')), 'shape');
  });

  it('a malformed envelope is a shape error', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const doc = await encryptVersion(key, message);
    await expectDecryptError(decryptDoc(key, { _id: 'chat:1', _rev: '2-x', _deleted: true } as unknown as SyncDoc), 'shape');
    await expectDecryptError(decryptDoc(key, { ...doc, e: 2 } as unknown as SyncDoc), 'shape');
    await expectDecryptError(decryptDoc(key, { ...doc, iv: toBase64(new Uint8Array(16)) }), 'shape');
    await expectDecryptError(decryptDoc(key, { ...doc, ct: 'abc' }), 'shape');
  });

  it('keeps CouchDB’s own fields out of the way: _rev and _conflicts do not affect decryption', async () => {
    const { key } = await createMeta('pw', { iterations: ITER });
    const doc = await encryptVersion(key, message);
    expect(await decryptDoc(key, { ...doc, _rev: '3-abc', _conflicts: ['2-def'] })).toEqual(message);
  });
});

describe('base64', () => {
  it('round-trips every byte value and large buffers without overflowing the stack', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    const big = new Uint8Array(3_000_001);
    for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
    const back = fromBase64(toBase64(big));
    expect(back.length).toBe(big.length);
    // A plain loop: a deep toEqual over 3 MB takes vitest tens of seconds.
    let diff = -1;
    for (let i = 0; i < big.length && diff < 0; i++) if (back[i] !== big[i]) diff = i;
    expect(diff).toBe(-1);
    expect(toBase64(new Uint8Array())).toBe('');
  });

  it('rejects what is not standard padded base64', () => {
    for (const bad of ['abc', 'ab$=', '-_8=', 'a===', ' QQ==']) expect(() => fromBase64(bad), bad).toThrow(/Invalid base64/);
  });
});

/** AES-GCM with chosen plaintext and AAD, for documents encryptVersion would not write. */
async function sealWithAad(key: CryptoKey, text: string, id: string): Promise<SyncDoc> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const enc = new TextEncoder();
  const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(id) }, key, enc.encode(text));
  return { _id: id, e: 1, iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}
