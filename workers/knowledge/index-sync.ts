import Dexie from 'dexie';
import type { Bm25Index } from '../../src/core/rag/bm25';
import type { ChunkRecord, DocumentRecord } from '../../src/core/rag/schema';
import { chunkId } from '../../src/core/rag/store';
import type { VectorIndex } from '../../src/core/rag/vector-index';
import type { ParleyDb } from '../../src/core/storage/db';

/**
 * Bringing the indexes in memory up to date document by document instead of loading them again.
 *
 * Each side of a set (its BM25 index; its vectors of one model) holds, of each document, its
 * chunks 0 … n − 1 (chunk ids are `chunkId(document, i)`, so the count is all the bookkeeping
 * needed to remove them again). Chunk i's text is a function of the document's extracted text,
 * which never changes for a document id, and of the chunk options it was cut with; a batch's
 * vectors are written in the same transaction as its chunks and the document's `progress.done`.
 * So while a document's options are unchanged and it did not shrink, what a side holds is still
 * right and only chunks [held, done) are new; otherwise (re-indexed with other options,
 * cancelled, moved to another model, removed) its rows are dropped and read again. A document
 * dropped and embedded again between two looks, with the same options and model, has the same
 * texts, and the same vectors up to the model's rounding, so keeping the held ones is harmless.
 */

/** What one side of a set (its BM25 index, or its vectors) holds of one document. */
export interface HeldDoc {
  /** Chunks 0 … count − 1 are rows of the index. */
  count: number;
  /** The chunk options the document was cut with when read ('' before it was cut, or unknown). */
  cut: string;
  /** Its row's `updatedAt` when read. */
  stamp: number;
}

/** For one document: remove its first `drop` rows (all the side held), then add chunks [from, to). */
export interface DocChange {
  documentId: string;
  /** '' for a document without a base (the vectors' key space). */
  space: string;
  drop: number;
  from: number;
  to: number;
}

export type DocRow = Pick<DocumentRecord, 'id' | 'knowledgeId' | 'progress' | 'chunking' | 'embedderId' | 'updatedAt'>;

export const cutOf = (d: Pick<DocumentRecord, 'chunking'>): string => (d.chunking ? `${d.chunking.size}/${d.chunking.overlap}` : '');

/** Every chunk stored of a document (BM25 holds them all, whatever the model). */
export const allChunks = (d: DocRow): number => d.progress.done;

/** The chunks with vectors of `embedderId` (a document embedded with another model has none of them). */
export const chunksOf =
  (embedderId: string) =>
  (d: DocRow): number =>
    d.embedderId === embedderId ? d.progress.done : 0;

/**
 * The changes that make a side holding `held` hold `want(d)` chunks of every document of `docs`
 * as stored now, and what it holds then. Documents needing nothing are left out of `changes`.
 * `trust` says when to keep what is held: 'cut' (a side kept in memory) while the chunk options
 * are the same and the document did not shrink; 'stamp' (a snapshot read back) only while the
 * document row is unchanged since it was saved, so even a chunker changed by an app update
 * between the save and now cannot leave old texts.
 */
export function planSide(held: ReadonlyMap<string, HeldDoc>, docs: readonly DocRow[], want: (d: DocRow) => number, trust: 'cut' | 'stamp'): { changes: DocChange[]; next: Map<string, HeldDoc> } {
  const changes: DocChange[] = [];
  const next = new Map<string, HeldDoc>();
  for (const d of docs) {
    const h = held.get(d.id);
    const cut = cutOf(d);
    const count = want(d);
    const keep = h !== undefined && (trust === 'stamp' ? h.stamp === d.updatedAt : h.cut === cut) && count >= h.count;
    next.set(d.id, { count, cut, stamp: d.updatedAt });
    const change: DocChange = { documentId: d.id, space: d.knowledgeId ?? '', drop: keep ? 0 : (h?.count ?? 0), from: keep ? h.count : 0, to: count };
    if (change.drop > 0 || change.to > change.from) changes.push(change);
  }
  for (const [id, h] of held) if (!next.has(id) && h.count > 0) changes.push({ documentId: id, space: '', drop: h.count, from: 0, to: 0 });
  return { changes, next };
}

/** The chunk rows the changes add, read by key range. Call inside a read transaction with the document rows planned from. */
export async function readTexts(db: ParleyDb, changes: readonly DocChange[]): Promise<ChunkRecord[]> {
  const out: ChunkRecord[] = [];
  for (const c of changes) {
    if (c.to <= c.from) continue;
    out.push(...(await db.chunks.where('[documentId+index]').between([c.documentId, c.from], [c.documentId, c.to], true, false).toArray()));
  }
  return out;
}

/** Of all chunk rows read at once (BM25 built from scratch), those the changes add. */
export function textsOf(rows: readonly ChunkRecord[], changes: readonly DocChange[]): ChunkRecord[] {
  const range = new Map(changes.map((c) => [c.documentId, c]));
  return rows.filter((c) => {
    const r = range.get(c.documentId);
    return r !== undefined && c.index >= r.from && c.index < r.to;
  });
}

export interface PlannedVectors {
  dims: number;
  ids: string[];
  /** ids.length × dims, row-major. */
  data: Float32Array;
}

const PK = '[knowledgeId+embedderId+documentId+first]';

/** Factor a vector buffer grows by when incremental adds overflow it. */
const GROWTH = 1.25;

/**
 * The vectors the changes add: per document, only the blocks that can hold a chunk of its range
 * (the keys are read first, which costs no vector data). Call inside the same read transaction.
 */
export async function readVectors(db: ParleyDb, changes: readonly DocChange[], embedderId: string): Promise<PlannedVectors[]> {
  const out: PlannedVectors[] = [];
  for (const p of changes) {
    const { from, to } = p;
    if (to <= from) continue;
    const keys = (await db.vectors
      .where(PK)
      .between([p.space, embedderId, p.documentId, Dexie.minKey], [p.space, embedderId, p.documentId, Dexie.maxKey])
      .primaryKeys()) as Array<[string, string, string, number]>;
    // Block i holds at most chunks [first_i, first_{i+1}).
    const wanted = keys.filter((k, i) => k[3] < to && (i === keys.length - 1 || keys[i + 1]![3] > from));
    for (const b of await db.vectors.bulkGet(wanted)) {
      if (!b) continue;
      const ids: string[] = [];
      let lo = -1;
      b.chunkIds.forEach((id, j) => {
        const index = b.first + j;
        if (index < from || index >= to) return;
        if (lo < 0) lo = j;
        ids.push(id);
      });
      if (ids.length > 0) out.push({ dims: b.dims, ids, data: b.vectors.subarray(lo * b.dims, (lo + ids.length) * b.dims) });
    }
  }
  return out;
}

/** Drops, then adds, on the BM25 side. Returns the rows tokenized. */
export function applyTexts(bm25: Bm25Index, changes: readonly DocChange[], rows: readonly ChunkRecord[]): number {
  for (const c of changes) for (let i = 0; i < c.drop; i++) bm25.remove(chunkId(c.documentId, i));
  for (const c of rows) bm25.add(c.id, c.text);
  return rows.length;
}

/**
 * Drops, then adds, on the vector side. False (nothing changed) when a block's length is not the
 * index's: the caller loads the vectors again, which says why.
 */
export function applyVectors(index: VectorIndex, changes: readonly DocChange[], read: readonly PlannedVectors[]): boolean {
  if (read.some((r) => r.dims !== index.dims || r.data.length !== r.ids.length * r.dims)) return false;
  for (const c of changes) for (let i = 0; i < c.drop; i++) index.remove(chunkId(c.documentId, i));
  // Grow by a quarter at least: batches of 64 into an exactly sized 150 MB buffer would each copy it.
  const need = index.size + read.reduce((n, r) => n + r.ids.length, 0);
  if (need > index.capacity) index.reserve(Math.max(need, Math.ceil(index.capacity * GROWTH)));
  for (const r of read) index.addMany(r.ids, r.data);
  return true;
}
