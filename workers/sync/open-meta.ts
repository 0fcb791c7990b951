import { createMeta, fromBase64, openMeta, WrongPassphraseError } from '../../src/core/sync/crypto';
import { META_ID } from '../../src/core/sync/types';
import type { Couch, CouchDoc } from './couch';
import { SyncError } from './sync-error';

/**
 * The first step of every sync: make sure the database exists and get the key. An empty
 * database gets a new meta document (salt + check value) made from the passphrase; one in use
 * must open with it — a wrong passphrase throws WrongPassphraseError after reading only.
 * Without a passphrase (a key kept from an earlier start) the key must still fit the meta
 * document: a database set up again with another passphrase would otherwise get documents no
 * other device can read.
 */

export interface OpenMetaOptions {
  passphrase?: string;
  key?: CryptoKey;
  /** PBKDF2 iterations of a new meta document. */
  iterations?: number;
}

/** The stored key no longer fits: the database was set up again with another passphrase. */
export class KeyMismatchError extends WrongPassphraseError {
  constructor(couch: Couch) {
    super();
    this.message = `The database “${couch.db}” on ${couch.server} was set up again with another passphrase. Enter that passphrase to keep syncing.`;
  }
}

/** Whether `key` decrypts the meta document's check value (AES-GCM authenticates: a wrong key fails). */
async function keyFitsMeta(key: CryptoKey, meta: CouchDoc): Promise<boolean> {
  const check = meta.check as { iv?: unknown; ct?: unknown } | undefined;
  if (typeof check?.iv !== 'string' || typeof check.ct !== 'string') return false;
  try {
    const iv = Uint8Array.from(fromBase64(check.iv));
    const ct = Uint8Array.from(fromBase64(check.ct));
    await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(META_ID) }, key, ct);
    return true;
  } catch {
    return false;
  }
}

export async function openSyncKey(couch: Couch, o: OpenMetaOptions): Promise<CryptoKey> {
  await couch.ensureDb();
  let meta = await couch.getDoc(META_ID);
  if (meta === null) {
    if (o.passphrase === undefined) {
      throw new SyncError('not-found', `The database “${couch.db}” on ${couch.server} was emptied or replaced. Set up sync again with your passphrase.`);
    }
    const made = await createMeta(o.passphrase, o.iterations === undefined ? {} : { iterations: o.iterations });
    const [answer] = await couch.bulkDocs([made.meta]);
    if (answer && 'ok' in answer) return made.key;
    // Another device set it up at the same moment: use theirs.
    meta = await couch.getDoc(META_ID);
    if (meta === null) throw new SyncError('server', `The sync server at ${couch.server} did not keep the key settings of “${couch.db}”.`);
  }
  if (o.passphrase !== undefined) return openMeta(meta, o.passphrase);
  if (!o.key) throw new Error('Sync needs a passphrase or a key.');
  if (!(await keyFitsMeta(o.key, meta))) throw new KeyMismatchError(couch);
  return o.key;
}
