import Dexie from 'dexie';
import type { ParleyDb } from '../storage/db';
import type { ChunkRecord, DocumentRecord, Knowledge, VectorBlock } from './schema';
import type { ChunkText } from './types';
import { appError } from '../errors';
import { newId } from '../id';
import { sameEmbedder } from './embedder-id';
import { sha256Hex } from './sha256';

/**
 * Knowledge bases, their documents, chunks and vectors in IndexedDB.
 *
 * Layout (tables in ../storage/db.ts, versions 7 and 8):
 * - `knowledge`: one row per base; `embedderId` + `dims` say which model its vectors belong to.
 * - `documents`: one small row per file (status, progress), read by lists and progress bars.
 * - `sources`: the file until extracted, then the extracted text, so a re-index never extracts
 *   again and a list never reads a 300-page text.
 * - `chunks`: text and place of each chunk, id `chunkId(documentId, index)`: a batch written
 *   twice (a resumed run) overwrites itself instead of duplicating.
 * - `vectors`: the vectors, NOT in the chunk rows, in blocks of consecutive chunks of one
 *   document (one Float32Array of `count × dims` per row), keyed
 *   [knowledgeId, embedderId, documentId, first]. Loading a base for search is then one
 *   primary-key range read in key order (no index lookups, no chunk text cloned) straight into
 *   one contiguous buffer, and a base's vectors for another model can never come along.
 *   Measured, 384 dims, chunks of ~800 characters, time to read all rows and copy the vectors
 *   into one buffer (two runs in node, three in Chromium, on a 2-core machine busy with other
 *   work, so only the ratios mean something):
 *     fake-indexeddb, 20,000 chunks: chunk rows with text + vector by index 680–1550 ms, one
 *       vector row per chunk by key range 730–1120 ms, blocks of 32 by key range 430–460 ms;
 *     Chromium (headless, /usr/bin/chromium), 20,000 chunks: chunk rows with text + vector by
 *       index 3.4–6.8 s, a vector row per chunk 3.6–4.9 s, blocks of 36 (55 KB) 2.5–5.6 s, of 128
 *       (196 KB) 0.8–1.6 s, of 512 0.7–1.2 s, of 2048 0.7–1.5 s.
 *   Per-row cost dominates, and Chromium's wrapping of values over 64 KiB into blob files did
 *   not make the larger blocks slower, so blocks grow to BLOCK_BYTES (256 KiB: at 384 dims,
 *   170 vectors) across batches: each batch appends to its document's last block (see putBatch).
 * - `bm25` (version 8): a base's BM25 index as a snapshot, saying which documents' chunks it
 *   covers (see bm25-store.ts); documents changed since are read again, so only deleting the
 *   base has to remove it.
 * Every change that touches several tables is one transaction: nothing is ever half-written.
 */

/** Vectors per block: as many as fit in BLOCK_BYTES (at least one). */
const BLOCK_BYTES = 256 * 1024;
export function blockSize(dims: number): number {
  return Math.max(1, Math.floor(BLOCK_BYTES / (4 * dims)));
}

/** Deterministic: chunk `index` of a document always has this id. Zero-padded so ids sort by index. */
export function chunkId(documentId: string, index: number): string {
  return `${documentId}:${String(index).padStart(6, '0')}`;
}

/** Statuses a run has not finished; such documents are picked up by `resumeAll`. */
export const UNFINISHED = ['queued', 'extracting', 'chunking', 'embedding'] as const;

/** The key space of vectors: '' stands for "no base" (IndexedDB keys cannot hold null). */
const space = (knowledgeId: string | null): string => knowledgeId ?? '';

export async function createKnowledge(db: ParleyDb, input: { name: string; description?: string; embedderId?: string | null; now?: number }): Promise<Knowledge> {
  const now = input.now ?? Date.now();
  const k: Knowledge = { id: newId(), name: input.name, description: input.description ?? '', createdAt: now, updatedAt: now, embedderId: input.embedderId ?? null, dims: null };
  await db.knowledge.add(k);
  return k;
}

export async function updateKnowledge(db: ParleyDb, id: string, patch: { name?: string; description?: string }, now = Date.now()): Promise<void> {
  const changes: Partial<Knowledge> = { updatedAt: now };
  if (patch.name !== undefined) changes.name = patch.name;
  if (patch.description !== undefined) changes.description = patch.description;
  await db.knowledge.update(id, changes);
}

/** Removes a base with all its documents, sources, chunks, vectors and saved BM25 index, in one transaction. */
export async function deleteKnowledge(db: ParleyDb, id: string): Promise<void> {
  await db.transaction('rw', [db.knowledge, db.documents, db.sources, db.chunks, db.vectors, db.bm25], async () => {
    const docIds = (await db.documents.where('knowledgeId').equals(id).primaryKeys()) as string[];
    await db.sources.bulkDelete(docIds);
    await db.documents.bulkDelete(docIds);
    await db.chunks.where('knowledgeId').equals(id).delete();
    await db.vectors.where('[knowledgeId+embedderId+documentId+first]').between([id, Dexie.minKey], [id, Dexie.maxKey]).delete();
    await db.bm25.delete(id);
    await db.knowledge.delete(id);
  });
}

/**
 * Stores a file as a queued document (its bytes in `sources` until extracted). The same bytes
 * added again to the same base give the existing document (`duplicate`), queued again if it
 * had failed or been cancelled.
 */
export async function addDocument(
  db: ParleyDb,
  input: { knowledgeId: string | null; chatId?: string | null; file: Blob; name: string; mime?: string; now?: number },
): Promise<{ document: DocumentRecord; duplicate: boolean }> {
  const now = input.now ?? Date.now();
  const sha256 = await sha256Hex(input.file);
  const knowledgeId = input.knowledgeId;
  return db.transaction('rw', [db.knowledge, db.documents, db.sources, db.chunks, db.vectors], async () => {
    if (knowledgeId !== null) {
      if (!(await db.knowledge.get(knowledgeId))) throw appError('invalid', 'This knowledge base no longer exists.');
      const same = await db.documents.where('[knowledgeId+sha256]').equals([knowledgeId, sha256]).first();
      if (same) {
        if (same.status === 'error' || same.status === 'cancelled') await requeue(db, same, { keepChunks: false, now });
        return { document: (await db.documents.get(same.id))!, duplicate: true };
      }
      await db.knowledge.update(knowledgeId, { updatedAt: now });
    }
    const doc: DocumentRecord = {
      id: newId(),
      knowledgeId,
      chatId: input.chatId ?? null,
      name: input.name,
      mime: input.mime ?? (input.file.type || 'application/octet-stream'),
      size: input.file.size,
      sha256,
      status: 'queued',
      progress: { done: 0, total: 0 },
      error: null,
      warnings: [],
      embedderId: null,
      chunking: null,
      createdAt: now,
      updatedAt: now,
    };
    await db.documents.add(doc);
    await db.sources.add({ documentId: doc.id, file: input.file, extracted: null });
    return { document: doc, duplicate: false };
  });
}

/** Deletes a document's chunks and vectors. Call inside a transaction over chunks + vectors. */
export async function dropChunks(db: ParleyDb, documentId: string): Promise<void> {
  await db.chunks.where('[documentId+index]').between([documentId, Dexie.minKey], [documentId, Dexie.maxKey]).delete();
  await db.vectors.where('documentId').equals(documentId).delete();
}

/** Removes a document and everything stored for it, in one transaction. A run on it stops at its next batch. */
export async function removeDocument(db: ParleyDb, documentId: string): Promise<void> {
  await db.transaction('rw', [db.documents, db.sources, db.chunks, db.vectors], async () => {
    await dropChunks(db, documentId);
    await db.sources.delete(documentId);
    await db.documents.delete(documentId);
  });
}

/**
 * Removes the files attached to a chat's messages, with their chunks and vectors. Joins the
 * caller's transaction when it spans these tables (e.g. the chat's own deletion).
 */
export async function removeChatDocuments(db: ParleyDb, chatId: string): Promise<void> {
  await db.transaction('rw', [db.documents, db.sources, db.chunks, db.vectors], async () => {
    const ids = (await db.documents.where('chatId').equals(chatId).primaryKeys()) as string[];
    for (const id of ids) await dropChunks(db, id);
    await db.sources.bulkDelete(ids);
    await db.documents.bulkDelete(ids);
  });
}

async function requeue(db: ParleyDb, doc: DocumentRecord, opts: { keepChunks: boolean; now: number }): Promise<void> {
  if (!opts.keepChunks) await dropChunks(db, doc.id);
  const changes: Partial<DocumentRecord> = { status: 'queued', error: null, updatedAt: opts.now };
  if (!opts.keepChunks) Object.assign(changes, { progress: { done: 0, total: 0 }, embedderId: null, chunking: null });
  await db.documents.update(doc.id, changes);
}

/**
 * Re-index: drops the document's chunks and vectors and queues it again; the run starts from the
 * stored extracted text (no second extraction) with the current chunk options and embedder.
 */
export async function reindexDocument(db: ParleyDb, documentId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.documents, db.chunks, db.vectors], async () => {
    const doc = await db.documents.get(documentId);
    if (doc) await requeue(db, doc, { keepChunks: false, now });
  });
}

/** Retry after an error (e.g. storage was full): queued again, keeping the batches already stored. */
export async function retryDocument(db: ParleyDb, documentId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.documents, db.chunks, db.vectors], async () => {
    const doc = await db.documents.get(documentId);
    if (doc && (doc.status === 'error' || doc.status === 'cancelled')) await requeue(db, doc, { keepChunks: doc.status === 'error', now });
  });
}

/** Cancel: the document is marked cancelled and its partial chunks removed, in one transaction. */
export async function cancelDocument(db: ParleyDb, documentId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.documents, db.chunks, db.vectors], async () => {
    const doc = await db.documents.get(documentId);
    if (!doc || doc.status === 'done') return;
    await dropChunks(db, documentId);
    await db.documents.update(documentId, { status: 'cancelled', progress: { done: 0, total: doc.progress.total }, updatedAt: now });
  });
}

/**
 * Switches a base to another embedding model. Vectors of two models never mix: every document's
 * chunks and vectors are dropped and every document not cancelled is queued to be embedded again.
 */
export async function setKnowledgeEmbedder(db: ParleyDb, knowledgeId: string, embedderId: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.knowledge, db.documents, db.chunks, db.vectors], async () => {
    const k = await db.knowledge.get(knowledgeId);
    // The same model under an older id (see embedder-id.ts): its vectors fit, nothing to re-index.
    if (!k || sameEmbedder(k.embedderId, embedderId)) return;
    await db.knowledge.update(knowledgeId, { embedderId, dims: null, updatedAt: now });
    for (const doc of await db.documents.where('knowledgeId').equals(knowledgeId).toArray()) {
      if (doc.status === 'cancelled') await dropChunks(db, doc.id);
      else await requeue(db, doc, { keepChunks: false, now });
    }
  });
}

/** The documents a run has not finished (oldest first), e.g. after the tab was closed mid-way. */
export async function unfinishedDocuments(db: ParleyDb): Promise<DocumentRecord[]> {
  const docs = await db.documents.where('status').anyOf([...UNFINISHED]).toArray();
  return docs.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** The chunk rows and vector blocks (of at most `per` vectors) for consecutive embedded chunks of one document (no DB access). */
export function batchRows(
  doc: Pick<DocumentRecord, 'id' | 'knowledgeId'>,
  embedderId: string,
  chunks: readonly ChunkText[],
  vectors: readonly Float32Array[],
  per = blockSize(vectors[0]?.length ?? 1),
): { chunks: ChunkRecord[]; blocks: VectorBlock[] } {
  const dims = vectors[0]?.length ?? 0;
  const rows: ChunkRecord[] = chunks.map((c) => ({
    id: chunkId(doc.id, c.index),
    documentId: doc.id,
    knowledgeId: doc.knowledgeId,
    index: c.index,
    text: c.text,
    start: c.start,
    end: c.end,
    headings: c.headings,
    ...(c.page !== undefined ? { page: c.page } : {}),
    embedderId,
    dims,
  }));
  const blocks: VectorBlock[] = [];
  for (let i = 0; i < chunks.length; i += per) {
    const part = vectors.slice(i, i + per);
    const data = new Float32Array(part.length * dims);
    part.forEach((v, j) => data.set(v, j * dims));
    blocks.push({ knowledgeId: space(doc.knowledgeId), embedderId, documentId: doc.id, first: chunks[i]!.index, dims, chunkIds: rows.slice(i, i + per).map((r) => r.id), vectors: data });
  }
  return { chunks: rows, blocks };
}

/**
 * Writes one embedded batch: its chunk rows, and its vectors appended to the document's last
 * block while that has room (so blocks grow to BLOCK_BYTES whatever the embedder's batch size),
 * then in new blocks. Call inside a transaction over chunks + vectors: all of it or nothing.
 */
export async function putBatch(db: ParleyDb, doc: Pick<DocumentRecord, 'id' | 'knowledgeId'>, embedderId: string, chunks: readonly ChunkText[], vectors: readonly Float32Array[]): Promise<void> {
  if (chunks.length === 0) return;
  const dims = vectors[0]!.length;
  const per = blockSize(dims);
  const ks = space(doc.knowledgeId);
  const last = await db.vectors
    .where('[knowledgeId+embedderId+documentId+first]')
    .between([ks, embedderId, doc.id, Dexie.minKey], [ks, embedderId, doc.id, Dexie.maxKey])
    .last();
  let fill = 0;
  if (last && last.dims === dims && last.first + last.chunkIds.length === chunks[0]!.index && last.chunkIds.length < per) {
    fill = Math.min(per - last.chunkIds.length, chunks.length);
    const data = new Float32Array((last.chunkIds.length + fill) * dims);
    data.set(last.vectors);
    for (let j = 0; j < fill; j++) data.set(vectors[j]!, last.vectors.length + j * dims);
    const ids = [...last.chunkIds, ...chunks.slice(0, fill).map((c) => chunkId(doc.id, c.index))];
    await db.vectors.put({ ...last, chunkIds: ids, vectors: data });
  }
  const rows = batchRows(doc, embedderId, chunks, vectors, per);
  await db.chunks.bulkPut(rows.chunks);
  if (fill < chunks.length) await db.vectors.bulkPut(batchRows(doc, embedderId, chunks.slice(fill), vectors.slice(fill), per).blocks);
}

/** One model's vectors of a base (or a document), ready for search: row `i` is `vectors[i*dims .. (i+1)*dims)`. */
export interface VectorSet {
  embedderId: string;
  dims: number;
  count: number;
  chunkIds: string[];
  documentIds: string[];
  vectors: Float32Array;
}

/** Blocks read per request while loading: large enough to be few requests, small enough not to double memory. */
const LOAD_PAGE = 128;

const mismatch = (what: string) =>
  appError('invalid', `${what} Re-index the knowledge base with the current embedding model to search it.`, { code: 'embedder_mismatch' });

/**
 * Loads every vector of a base for `embedderId` into ONE contiguous Float32Array, in key order
 * (document, then chunk index), in one read transaction so a concurrent batch is either all in
 * or not at all. Refuses (AppError `embedder_mismatch`) when the base belongs to another model
 * or a stored block's length differs from the base's: vectors of two models are never mixed.
 */
export async function loadVectors(db: ParleyDb, knowledgeId: string, embedderId: string): Promise<VectorSet> {
  return db.transaction('r', [db.knowledge, db.documents, db.vectors], async () => {
    const k = await db.knowledge.get(knowledgeId);
    if (!k) throw appError('invalid', 'This knowledge base no longer exists.');
    if (!sameEmbedder(k.embedderId, embedderId)) throw mismatch(`This knowledge base was indexed with ${k.embedderId ?? 'no model'}, not ${embedderId}.`);
    // Its vectors are keyed by the id it was indexed with (an older one may name the weights' type).
    const stored = k.embedderId!;
    // Progress is written in the same transaction as each batch, so the sum is the row count:
    // the buffer is allocated once, at its final size (no growing copies of a 150 MB array).
    let expected = 0;
    await db.documents.where('knowledgeId').equals(knowledgeId).each((d) => {
      if (d.embedderId === stored) expected += d.progress.done;
    });
    return readBlocks(db, [knowledgeId, stored], k.dims, stored, expected);
  });
}

/** The same for one document (a file attached to a message, or one document of a base). */
export async function loadDocumentVectors(db: ParleyDb, documentId: string, embedderId: string): Promise<VectorSet> {
  return db.transaction('r', [db.knowledge, db.documents, db.vectors], async () => {
    const d = await db.documents.get(documentId);
    if (!d) throw appError('invalid', 'This document no longer exists.');
    if (d.embedderId !== null && !sameEmbedder(d.embedderId, embedderId)) throw mismatch(`"${d.name}" was indexed with ${d.embedderId}, not ${embedderId}.`);
    const stored = d.embedderId ?? embedderId;
    const k = d.knowledgeId === null ? undefined : await db.knowledge.get(d.knowledgeId);
    return readBlocks(db, [space(d.knowledgeId), stored, documentId], k?.dims ?? null, stored, d.progress.done);
  });
}

async function readBlocks(db: ParleyDb, prefix: Array<string>, dims: number | null, embedderId: string, expected: number): Promise<VectorSet> {
  let cap = expected;
  let width = dims ?? 0;
  let vectors = new Float32Array(cap * width);
  const chunkIds: string[] = [];
  const documentIds: string[] = [];
  const pk = '[knowledgeId+embedderId+documentId+first]';
  const upper = [...prefix, Dexie.maxKey];
  let lower: unknown[] = [...prefix, Dexie.minKey];
  let includeLower = true;
  for (;;) {
    const page = await db.vectors.where(pk).between(lower, upper, includeLower, true).limit(LOAD_PAGE).toArray();
    for (const b of page) {
      if (width === 0) {
        width = b.dims;
        vectors = new Float32Array(cap * width);
      }
      if (b.dims !== width || b.vectors.length !== b.chunkIds.length * width) throw mismatch(`Stored vectors have ${b.dims} dimensions where ${width} were expected.`);
      const n = chunkIds.length;
      if (n + b.chunkIds.length > cap) {
        // Only if the counts disagree (rows written by an older version): grow.
        cap = Math.max(cap * 2, n + b.chunkIds.length);
        const bigger = new Float32Array(cap * width);
        bigger.set(vectors.subarray(0, n * width));
        vectors = bigger;
      }
      vectors.set(b.vectors, n * width);
      for (const id of b.chunkIds) {
        chunkIds.push(id);
        documentIds.push(b.documentId);
      }
    }
    if (page.length < LOAD_PAGE) break;
    const last = page[page.length - 1]!;
    lower = [last.knowledgeId, last.embedderId, last.documentId, last.first];
    includeLower = false; // the next page starts after the last block read
  }
  const count = chunkIds.length;
  return { embedderId, dims: width, count, chunkIds, documentIds, vectors: count * width === vectors.length ? vectors : vectors.slice(0, count * width) };
}

/** Search refuses a query vector from another model or of another length than the loaded set. */
export function checkQuery(set: Pick<VectorSet, 'embedderId' | 'dims' | 'count'>, embedderId: string, query: Float32Array): void {
  if (!sameEmbedder(embedderId, set.embedderId)) throw mismatch(`The question was embedded with ${embedderId}, the knowledge with ${set.embedderId}.`);
  if (set.count > 0 && query.length !== set.dims) throw mismatch(`The question's vector has ${query.length} dimensions, the knowledge's ${set.dims}.`);
}

/** Every chunk of a base (text, place), e.g. for keyword search and showing passages; by document, then index. */
export async function knowledgeChunks(db: ParleyDb, knowledgeId: string): Promise<ChunkRecord[]> {
  return db.chunks.where('knowledgeId').equals(knowledgeId).toArray();
}

/** A document's chunks in order. */
export async function documentChunks(db: ParleyDb, documentId: string): Promise<ChunkRecord[]> {
  return db.chunks.where('[documentId+index]').between([documentId, Dexie.minKey], [documentId, Dexie.maxKey]).toArray();
}
