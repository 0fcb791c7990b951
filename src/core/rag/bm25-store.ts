import type { ParleyDb } from '../storage/db';
import type { Bm25Snapshot } from './bm25';
import { chunkId } from './store';

/**
 * A knowledge base's BM25 index saved in IndexedDB (table `bm25`, one row per base), so a worker
 * that starts, or a cache that dropped the base, loads it in a fraction of the time it takes to
 * tokenize every chunk again (100,000 chunks: ~7.5 s from texts, ~0.1 s from this).
 *
 * BM25 does not depend on the embedding model, so there is one row per base, not per model.
 * The row says what it covers: for each document, how many of its chunks (always chunks
 * 0 … count − 1) and the `updatedAt` of the document row when they were read. Every write to a
 * document (a batch, a status, a re-index, a cancel) changes its `updatedAt`, so a reader keeps a
 * document's rows only when that stamp is unchanged and reads the others' chunks again; removed
 * documents are dropped. A stale row therefore costs only the documents that changed.
 *
 * Layout: typed arrays and '\n'-joined strings only, no per-row objects: one structured clone of
 * a few large buffers (the row ids are not stored as 100,000 strings: each row is a document
 * number and a chunk index, and its id is `chunkId(document, index)`).
 */

export const BM25_RECORD_FORMAT = 1;

export interface Bm25Record {
  knowledgeId: string;
  format: typeof BM25_RECORD_FORMAT;
  savedAt: number;
  /** Covered documents' ids joined with '\n'; document d is the d-th. */
  docIds: string;
  /** Chunks 0 … counts[d] − 1 of document d are rows of the index. */
  counts: Uint32Array;
  /** Document d's row `updatedAt` when its chunks were read. */
  stamps: Float64Array;
  /** Row r of the index is chunk rowChunk[r] of document rowDoc[r]. */
  rowDoc: Uint32Array;
  rowChunk: Uint32Array;
  /** The rest of a Bm25Snapshot, as serialize() gives it. */
  docLen: Uint32Array;
  terms: string;
  offsets: Uint32Array;
  rows: Uint32Array;
  tfs: Uint16Array;
}

/** What a snapshot covers of each of its documents. */
export interface Covered {
  count: number;
  stamp: number;
}

const SEP = '\n';

/** The document id of a chunk id (`chunkId(documentId, index)`), or undefined when it has not that shape. */
export function documentOfChunk(id: string): string | undefined {
  const at = id.lastIndexOf(':');
  return at > 0 ? id.slice(0, at) : undefined;
}

/**
 * A record for `snapshot`, whose rows must be exactly chunks 0 … count − 1 of each document in
 * `covers`; null (nothing to save) when they are not, which would be a bug upstream.
 */
export function toBm25Record(knowledgeId: string, snapshot: Bm25Snapshot, covers: ReadonlyMap<string, Covered>, savedAt: number): Bm25Record | null {
  const docs = [...covers.keys()];
  const number = new Map(docs.map((d, i) => [d, i]));
  const counts = Uint32Array.from(docs, (d) => covers.get(d)!.count);
  const stamps = Float64Array.from(docs, (d) => covers.get(d)!.stamp);
  const n = snapshot.ids.length;
  const rowDoc = new Uint32Array(n);
  const rowChunk = new Uint32Array(n);
  const seen = new Uint32Array(docs.length);
  for (let r = 0; r < n; r++) {
    const id = snapshot.ids[r]!;
    const doc = documentOfChunk(id);
    const d = doc === undefined ? undefined : number.get(doc);
    if (d === undefined) return null;
    const index = Number(id.slice(doc!.length + 1));
    if (!(index < counts[d]!) || chunkId(doc!, index) !== id) return null;
    rowDoc[r] = d;
    rowChunk[r] = index;
    seen[d]!++;
  }
  for (let d = 0; d < docs.length; d++) if (seen[d] !== counts[d]) return null;
  const { docLen, terms, offsets, rows, tfs } = snapshot;
  return { knowledgeId, format: BM25_RECORD_FORMAT, savedAt, docIds: docs.join(SEP), counts, stamps, rowDoc, rowChunk, docLen, terms, offsets, rows, tfs };
}

/**
 * The snapshot and its coverage from a stored row, or null when the row is missing, of another
 * format, or inconsistent in any way the index would trip over (a damaged or hand-edited row):
 * the caller then builds from the chunk texts. Checks every posting once (a few ms for 100,000
 * chunks), so a bad row can make results wrong only by saying a document is what it is not.
 * (A structural check rather than zod: the invariants are across arrays, and zod would add
 * nothing but a pass over the same values.)
 */
export function fromBm25Record(value: unknown): { snapshot: Bm25Snapshot; covers: Map<string, Covered> } | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Partial<Bm25Record>;
  if (r.format !== BM25_RECORD_FORMAT || typeof r.docIds !== 'string' || typeof r.terms !== 'string') return null;
  const { counts, stamps, rowDoc, rowChunk, docLen, offsets, rows, tfs } = r;
  if (!(counts instanceof Uint32Array && stamps instanceof Float64Array && rowDoc instanceof Uint32Array && rowChunk instanceof Uint32Array)) return null;
  if (!(docLen instanceof Uint32Array && offsets instanceof Uint32Array && rows instanceof Uint32Array && tfs instanceof Uint16Array)) return null;
  const docs = r.docIds === '' ? [] : r.docIds.split(SEP);
  if (counts.length !== docs.length || stamps.length !== docs.length || new Set(docs).size !== docs.length) return null;
  // Every row is one chunk of a covered document, each covered chunk exactly once.
  const first = new Float64Array(docs.length + 1);
  for (let d = 0; d < docs.length; d++) first[d + 1] = first[d]! + counts[d]!;
  const n = first[docs.length]!;
  if (rowDoc.length !== n || rowChunk.length !== n || docLen.length !== n) return null;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = rowDoc[i]!;
    if (d >= docs.length || rowChunk[i]! >= counts[d]!) return null;
    const slot = first[d]! + rowChunk[i]!;
    if (seen[slot]) return null;
    seen[slot] = 1;
  }
  // Postings: offsets from 0 to the end, rows ascending within a term and in range.
  const terms = r.terms === '' ? [] : r.terms.split(SEP);
  if (offsets.length !== terms.length + 1 || offsets[0] !== 0 || offsets[terms.length] !== rows.length || tfs.length !== rows.length) return null;
  if (new Set(terms).size !== terms.length) return null;
  for (let t = 0; t < terms.length; t++) {
    const from = offsets[t]!;
    const to = offsets[t + 1]!;
    if (to < from || to > rows.length) return null;
    for (let i = from; i < to; i++) if (rows[i]! >= n || (i > from && rows[i]! <= rows[i - 1]!)) return null;
  }
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = chunkId(docs[rowDoc[i]!]!, rowChunk[i]!);
  const covers = new Map<string, Covered>();
  docs.forEach((d, i) => covers.set(d, { count: counts[i]!, stamp: stamps[i]! }));
  return { snapshot: { version: 1, ids, docLen, terms: r.terms, offsets, rows, tfs }, covers };
}

/** The stored row of a base, unchecked (fromBm25Record checks it). Call inside a transaction over `bm25` or none. */
export function readBm25(db: ParleyDb, knowledgeId: string): Promise<unknown> {
  return db.bm25.get(knowledgeId);
}

/** Saves a base's row in one put, unless the base was deleted meanwhile (no orphan rows). */
export async function writeBm25(db: ParleyDb, record: Bm25Record): Promise<boolean> {
  return db.transaction('rw', [db.knowledge, db.bm25], async () => {
    if (!(await db.knowledge.get(record.knowledgeId))) return false;
    await db.bm25.put(record);
    return true;
  });
}
