/**
 * Sync vocabulary (issue 9). One CouchDB document per record, `_id` = `<type>:<record id>`;
 * its body is AES-GCM ciphertext of a `Version`: the record's fields, each with the hybrid
 * logical clock of its last edit, and the clock of its deletion if it was deleted.
 */

/** The record kinds that sync, each the prefix of its documents' ids. */
export type SyncType = 'chat' | 'msg' | 'folder' | 'prompt' | 'setting' | 'conn';
export const SYNC_TYPES: readonly SyncType[] = ['chat', 'msg', 'folder', 'prompt', 'setting', 'conn'];

/**
 * Records edited as a whole: one field `'*'` holds the record, and a deletion drops it
 * (messages only ever gain siblings; a setting is one value). The other kinds merge field
 * by field and keep their fields under a tombstone, so an edit made after a delete brings
 * back a whole record.
 */
export const WHOLE_TYPES: ReadonlySet<SyncType> = new Set<SyncType>(['msg', 'setting']);

/** `<type>:<record id>`, also the CouchDB `_id`. */
export type DocId = string;

/**
 * A hybrid-logical-clock stamp, fixed width so string order is clock order:
 * `<wall ms, 13 digits>-<counter, 4 base-36 digits>-<device id>`. Two stamps are equal only
 * when one device stamped one edit; the device id is the tie-break of equal wall+counter.
 */
export type Hlc = string;

export interface FieldState {
  /** When this field was last written. */
  h: Hlc;
  /** Its value (JSON-safe). */
  v: unknown;
}

/** One record's state as synced: the plaintext inside a document's ciphertext. */
export interface Version {
  id: DocId;
  /** Field name → its value and clock. Whole-record kinds: the single field `'*'`. */
  fields: Record<string, FieldState>;
  /** The clock of the latest deletion, or null. The record is deleted when no field is newer. */
  del: Hlc | null;
}

/** Local bookkeeping of one record (table `syncState`): the clocks of its fields, not their values. */
export interface SyncStateRow {
  id: DocId;
  clocks: Record<string, Hlc>;
  del: Hlc | null;
  /** The CouchDB `_rev` this device last saw for the document; null before the first push/pull. */
  rev: string | null;
}

/** Table `syncOutbox`: a record changed here since it was last pushed. `at` = ms of the change (a newer change replaces the row). */
export interface OutboxRow {
  id: DocId;
  at: number;
}

/** A CouchDB document as Parley writes it. `iv`/`ct` are base64; the id is the AES-GCM additional data. */
export interface SyncDoc {
  _id: DocId;
  _rev?: string;
  _conflicts?: string[];
  _deleted?: boolean;
  /** Envelope version. */
  e: 1;
  iv: string;
  ct: string;
}

/** The one plain document on the server, `_id: 'parley:meta'`: how to derive the key, and a check value to tell a wrong passphrase. */
export interface MetaDoc {
  _id: 'parley:meta';
  _rev?: string;
  e: 1;
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  /** base64, 16 bytes. */
  salt: string;
  /** A known plaintext encrypted with the key (AES-GCM, additional data 'parley:meta'). */
  check: { iv: string; ct: string };
}
export const META_ID = 'parley:meta';
