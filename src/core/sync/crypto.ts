import { metaDocSchema, syncDocSchema, versionSchema } from './version-schema';
import { META_ID, type MetaDoc, type SyncDoc, type Version } from './types';

/**
 * End-to-end encryption of sync documents (issue 9), with WebCrypto only (`globalThis.crypto`,
 * in browsers, workers and node 20). The key comes from the user's passphrase by PBKDF2-SHA256
 * with a random salt kept in the plain meta document; it is AES-GCM-256 and non-extractable, so
 * not even Parley's own code can read its bytes. Every document is encrypted under a fresh
 * 12-byte IV with its id as additional data: the server sees ids and revisions, nothing else,
 * and cannot move a body to another id or alter it without decryption failing.
 */

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** The known plaintext of the meta document's check value. */
const CHECK_TEXT = 'parley-sync-check:1';

/** The passphrase does not open this meta document (its check value did not decrypt). */
export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('Wrong passphrase: it does not match the one this sync database was set up with.');
  }
}

/** The meta document on the server is not one Parley wrote (missing fields, bad base64, …). */
export class MetaFormatError extends Error {
  override name = 'MetaFormatError';
}

/** Why a document could not be read: it failed authentication, its id differs, or its content is not a Version. */
export type SyncDecryptReason = 'auth' | 'id' | 'shape';

/** A sync document that does not decrypt to a valid Version of its own id. */
export class SyncDecryptError extends Error {
  override name = 'SyncDecryptError';
  constructor(
    readonly docId: string,
    readonly reason: SyncDecryptReason,
    detail: string,
  ) {
    super(`Sync document ${JSON.stringify(docId)} could not be read: ${detail}`);
  }
}

export interface CreateMetaOptions {
  /** PBKDF2 iterations (default 600,000); tests use a small number. */
  iterations?: number;
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Derives the AES-GCM key. The passphrase is NFC-normalised first, so the same words typed on
 * two keyboards that compose accents differently give the same key.
 */
export async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', utf8.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A new meta document (random salt) and the key it describes, for a database nobody has set up yet. */
export async function createMeta(passphrase: string, opts: CreateMetaOptions = {}): Promise<{ meta: MetaDoc; key: CryptoKey }> {
  if (passphrase.length === 0) throw new Error('The sync passphrase is empty.');
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`PBKDF2 iterations must be a positive integer: ${iterations}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(passphrase, salt, iterations);
  const check = await seal(key, utf8.encode(CHECK_TEXT), META_ID);
  const meta: MetaDoc = { _id: META_ID, e: 1, kdf: 'PBKDF2-SHA256', iterations, salt: toBase64(salt), check };
  return { meta, key };
}

/**
 * The key of an existing meta document; throws MetaFormatError when the document is not a
 * valid meta document, WrongPassphraseError when the check value does not decrypt with the key
 * this passphrase gives.
 */
export async function openMeta(meta: unknown, passphrase: string): Promise<CryptoKey> {
  const parsed = metaDocSchema.safeParse(meta);
  if (!parsed.success) throw new MetaFormatError(`The sync meta document is malformed: ${issues(parsed.error)}`);
  const m = parsed.data;
  let salt: Uint8Array;
  let iv: Uint8Array;
  let ct: Uint8Array;
  try {
    salt = fromBase64(m.salt);
    iv = fromBase64(m.check.iv);
    ct = fromBase64(m.check.ct);
  } catch {
    throw new MetaFormatError('The sync meta document is malformed: invalid base64.');
  }
  if (salt.length !== SALT_BYTES) throw new MetaFormatError(`The sync meta document is malformed: salt is ${salt.length} bytes, not ${SALT_BYTES}.`);
  if (iv.length !== IV_BYTES) throw new MetaFormatError(`The sync meta document is malformed: check IV is ${iv.length} bytes, not ${IV_BYTES}.`);
  const key = await deriveKey(passphrase, salt, m.iterations);
  let plain: Uint8Array;
  try {
    plain = await open(key, iv, ct, META_ID);
  } catch {
    throw new WrongPassphraseError();
  }
  // A key that authenticates but yields another text cannot come from GCM; checked anyway.
  if (fromUtf8.decode(plain) !== CHECK_TEXT) throw new WrongPassphraseError();
  return key;
}

/** The document for a version: JSON, encrypted under a fresh IV with the id as additional data. No `_rev`. */
export async function encryptVersion(key: CryptoKey, v: Version): Promise<SyncDoc> {
  const { iv, ct } = await seal(key, utf8.encode(JSON.stringify(v)), v.id);
  return { _id: v.id, e: 1, iv, ct };
}

/**
 * The version inside a sync document; throws SyncDecryptError when the document is malformed or
 * fails authentication (tampered, moved from another id, another key), or when the plaintext is
 * not a Version of this very id.
 */
export async function decryptDoc(key: CryptoKey, doc: SyncDoc): Promise<Version> {
  const id = typeof doc?._id === 'string' ? doc._id : '';
  const env = syncDocSchema.safeParse(doc);
  if (!env.success) throw new SyncDecryptError(id, 'shape', `not an encrypted document (${issues(env.error)})`);
  let iv: Uint8Array;
  let ct: Uint8Array;
  try {
    iv = fromBase64(env.data.iv);
    ct = fromBase64(env.data.ct);
  } catch {
    throw new SyncDecryptError(id, 'shape', 'invalid base64');
  }
  if (iv.length !== IV_BYTES) throw new SyncDecryptError(id, 'shape', `IV is ${iv.length} bytes, not ${IV_BYTES}`);
  let text: string;
  try {
    text = fromUtf8.decode(await open(key, iv, ct, id));
  } catch {
    throw new SyncDecryptError(id, 'auth', 'it does not decrypt with this key (tampered, moved to another id, or another passphrase)');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyncDecryptError(id, 'shape', 'its content is not JSON');
  }
  const v = versionSchema.safeParse(json);
  if (!v.success) throw new SyncDecryptError(id, 'shape', `its content is not a record version (${issues(v.error)})`);
  if (v.data.id !== id) throw new SyncDecryptError(id, 'id', `it holds record ${JSON.stringify(v.data.id)}`);
  const fields = Object.fromEntries(Object.entries(v.data.fields).map(([k, f]) => [k, { h: f.h, v: f.v }]));
  return { id: v.data.id, fields, del: v.data.del };
}

async function seal(key: CryptoKey, plain: Uint8Array, aad: string): Promise<{ iv: string; ct: string }> {
  const iv = randomBytes(IV_BYTES);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv: bytes(iv), additionalData: utf8.encode(aad) }, key, bytes(plain));
  return { iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) };
}

async function open(key: CryptoKey, iv: Uint8Array, ct: Uint8Array, aad: string): Promise<Uint8Array> {
  const plain = await subtle().decrypt({ name: 'AES-GCM', iv: bytes(iv), additionalData: utf8.encode(aad) }, key, bytes(ct));
  return new Uint8Array(plain);
}

function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

/** A copy backed by a plain ArrayBuffer, which WebCrypto's TypeScript types require. */
function bytes(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

function issues(e: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Bytes per String.fromCharCode call: far below any engine's argument limit. */
const CHUNK = 0x2000;

/** Standard base64 (with padding) of any size; converts in chunks so a large buffer cannot overflow the stack. */
export function toBase64(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += CHUNK) {
    // apply takes the typed array as its argument list without spreading it into an array first.
    parts.push(String.fromCharCode.apply(null, b.subarray(i, i + CHUNK) as unknown as number[]));
  }
  return btoa(parts.join(''));
}

/** Bytes of standard base64; throws on anything else. */
export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('Invalid base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
