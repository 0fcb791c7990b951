import Dexie from 'dexie';
import type { ParleyDb } from '../storage/db';
import type { DocumentRecord, Knowledge } from './schema';
import type { ChunkOptions, ChunkText, Embedder, ExtractedDocument } from './types';
import { appError, isAppError, isQuotaError, toAppError, type AppError } from '../errors';
import { sameEmbedder, storageId } from './embedder-id';
import { cancelDocument, dropChunks, putBatch, UNFINISHED } from './store';

/**
 * The ingestion pipeline: extract → chunk → embed, resumable. Everything it needs from outside
 * (extraction in a worker, the chunker, the embedding engine) comes in through ports, so it runs
 * and is tested in node with fakes.
 *
 * What is stored when:
 * - extraction ends with the text in `sources` (the file dropped) and status `chunking`, in one
 *   transaction: a reload never extracts again;
 * - chunking is not stored by itself: it is pure and quick, and cut again on resume with the
 *   options recorded on the document, so chunk `i` is the same text both times;
 * - each batch of `embedder.maxBatch` chunks is written with its vectors and the document's
 *   progress in one transaction: after a crash the document holds whole batches only, and a
 *   resumed run starts at the first chunk without a vector. Chunk ids are deterministic, so even
 *   a batch written twice (two tabs) overwrites itself.
 */

export interface IngestProgress {
  documentId: string;
  status: DocumentRecord['status'];
  done: number;
  total: number;
}

export interface IngestPorts {
  /** Reads the file (null if only the text was kept) into text. */
  extract(doc: DocumentRecord, file: Blob | null, signal?: AbortSignal): Promise<ExtractedDocument>;
  chunk(doc: ExtractedDocument, opts: ChunkOptions): ChunkText[] | Promise<ChunkText[]>;
  /** Used for documents not chunked yet; a resumed document keeps the options it was cut with. */
  chunkOptions: ChunkOptions;
  embedder: Embedder;
  /** Aborting cancels the document (status `cancelled`, partial chunks removed), unless the reason is INGEST_PAUSED. */
  signal?: AbortSignal;
  onProgress?(p: IngestProgress): void;
  now?(): number;
}

/**
 * Abort with this reason to stop without cancelling (a tab or worker going away, a pause):
 * the document keeps its batches and status and resumes later.
 */
export const INGEST_PAUSED = 'parley:ingest-paused';

/** What the user reads when the disk fills during ingestion: unlike other writes, earlier batches were kept. */
export const STORAGE_FULL_INGEST =
  'Storage is full: the browser refused to save more of this file. What was indexed before is kept and searchable. Free space (delete old chats, images or documents), then retry to continue.';

export const NO_TEXT = 'No text was found in this file, so there is nothing to search.';

/** The document was removed, cancelled, re-queued or re-indexed under this run: it stops quietly. */
class Superseded extends Error {}

const active = (status: DocumentRecord['status']) => (UNFINISHED as readonly string[]).includes(status);

/**
 * Runs (or continues) ingestion of one document and returns the document as it ended. A document
 * already done, failed or cancelled is returned as is (re-index or retry it first).
 */
export async function ingest(db: ParleyDb, documentId: string, ports: IngestPorts): Promise<DocumentRecord | undefined> {
  const now = ports.now ?? Date.now;
  const { signal, embedder } = ports;
  const report = (status: DocumentRecord['status'], done: number, total: number) => ports.onProgress?.({ documentId, status, done, total });
  const initial = await db.documents.get(documentId);
  if (!initial || !active(initial.status)) return initial;
  try {
    signal?.throwIfAborted();
    const extracted = await extractOnce(db, initial, ports, now);
    const doc = await current(db, documentId);
    const opts = doc.chunking ?? ports.chunkOptions;
    const chunks = await ports.chunk(extracted, opts);
    chunks.forEach((c, i) => {
      if (c.index !== i) throw appError('internal', `The chunker numbered chunk ${i} as ${c.index}.`);
    });
    signal?.throwIfAborted();
    if (chunks.length === 0) {
      await finish(db, documentId, { status: 'error', error: appError('invalid', NO_TEXT), progress: { done: 0, total: 0 }, updatedAt: now() });
      report('error', 0, 0);
      return db.documents.get(documentId);
    }
    const started = await startEmbedding(db, doc, chunks.length, opts, embedder.id, now());
    const storeId = started.embedderId;
    let done = started.done;
    report('embedding', done, chunks.length);
    const step = Math.max(1, embedder.maxBatch);
    while (done < chunks.length) {
      signal?.throwIfAborted();
      const batch = chunks.slice(done, done + step);
      const vectors = await embedder.embed(batch.map((c) => c.text), signal);
      signal?.throwIfAborted();
      checkVectors(vectors, batch.length);
      await writeBatch(db, doc, done, batch, vectors, storeId, now());
      done += batch.length;
      report('embedding', done, chunks.length);
    }
    await finish(db, documentId, { status: 'done', updatedAt: now() });
    report('done', done, chunks.length);
  } catch (err) {
    if (err instanceof Superseded) return db.documents.get(documentId);
    if (signal?.aborted) {
      if (signal.reason !== INGEST_PAUSED) {
        await cancelDocument(db, documentId, now());
        report('cancelled', 0, 0);
      }
      return db.documents.get(documentId);
    }
    await fail(db, documentId, err, now());
    const d = await db.documents.get(documentId);
    if (d) report(d.status, d.progress.done, d.progress.total);
  }
  return db.documents.get(documentId);
}

/**
 * Continues every unfinished document, oldest first, one at a time. `portsFor` gives the ports
 * for a document (its base's embedder); null leaves that document queued for later.
 */
export async function resumeAll(
  db: ParleyDb,
  portsFor: (doc: DocumentRecord, knowledge: Knowledge | undefined) => IngestPorts | null | Promise<IngestPorts | null>,
  signal?: AbortSignal,
): Promise<DocumentRecord[]> {
  const out: DocumentRecord[] = [];
  const seen = new Set<string>();
  for (;;) {
    // Read again after each document: files added meanwhile are picked up too.
    const docs = (await db.documents.where('status').anyOf([...UNFINISHED]).toArray())
      .filter((d) => !seen.has(d.id))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const doc = docs[0];
    if (!doc || signal?.aborted) return out;
    seen.add(doc.id);
    const k = doc.knowledgeId === null ? undefined : await db.knowledge.get(doc.knowledgeId);
    const ports = await portsFor(doc, k);
    if (!ports) continue;
    const end = await ingest(db, doc.id, ports);
    if (end) out.push(end);
  }
}

async function extractOnce(db: ParleyDb, doc: DocumentRecord, ports: IngestPorts, now: () => number): Promise<ExtractedDocument> {
  const src = await db.sources.get(doc.id);
  if (src?.extracted) return src.extracted;
  await db.transaction('rw', db.documents, async () => {
    await current(db, doc.id);
    await db.documents.update(doc.id, { status: 'extracting', updatedAt: now() });
  });
  ports.onProgress?.({ documentId: doc.id, status: 'extracting', done: 0, total: 0 });
  const extracted = await ports.extract(doc, src?.file ?? null, ports.signal);
  ports.signal?.throwIfAborted();
  await db.transaction('rw', db.documents, db.sources, async () => {
    await current(db, doc.id);
    await db.sources.put({ documentId: doc.id, file: null, extracted });
    await db.documents.update(doc.id, { status: 'chunking', warnings: extracted.warnings ?? [], updatedAt: now() });
  });
  ports.onProgress?.({ documentId: doc.id, status: 'chunking', done: 0, total: 0 });
  return extracted;
}

/** The document, if this run may still write to it; else Superseded. */
async function current(db: ParleyDb, id: string): Promise<DocumentRecord> {
  const d = await db.documents.get(id);
  if (!d || !active(d.status)) throw new Superseded();
  return d;
}

/**
 * Moves the document to `embedding` and returns where to start: after its stored chunks, or at 0
 * when what is stored cannot be continued (cut differently, or embedded with another model); and
 * the id its vectors are stored under (the base's, when that names the same model: see
 * embedder-id.ts).
 */
async function startEmbedding(db: ParleyDb, doc: DocumentRecord, total: number, opts: ChunkOptions, currentId: string, at: number): Promise<{ done: number; embedderId: string }> {
  return db.transaction('rw', [db.documents, db.knowledge, db.chunks, db.vectors], async () => {
    const d = await current(db, doc.id);
    let stored = d.embedderId;
    if (d.knowledgeId !== null) {
      const k = await db.knowledge.get(d.knowledgeId);
      if (!k) throw new Superseded();
      if (k.embedderId !== null && !sameEmbedder(k.embedderId, currentId)) {
        throw appError('invalid', `This knowledge base uses the embedding model ${k.embedderId}, not ${currentId}.`, { code: 'embedder_mismatch' });
      }
      stored = k.embedderId ?? d.embedderId;
    }
    const embedderId = storageId(stored, currentId);
    const last = await db.chunks.where('[documentId+index]').between([d.id, Dexie.minKey], [d.id, Dexie.maxKey]).last();
    let done = last ? last.index + 1 : 0;
    const same = d.embedderId === embedderId && d.progress.total === total && d.progress.done === done;
    if (done > 0 && !same) {
      await dropChunks(db, d.id);
      done = 0;
    }
    await db.documents.update(d.id, { status: 'embedding', chunking: opts, embedderId, progress: { done, total }, error: null, updatedAt: at });
    return { done, embedderId };
  });
}

function checkVectors(vectors: Float32Array[], n: number): void {
  if (!Array.isArray(vectors) || vectors.length !== n) throw appError('protocol', `The embedding model returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${n} passages.`);
  const dims = vectors[0]!.length;
  if (dims === 0 || vectors.some((v) => !(v instanceof Float32Array) || v.length !== dims)) {
    throw appError('protocol', 'The embedding model returned vectors of different or zero lengths.');
  }
}

/** One batch: chunks, vector blocks, the document's progress and (first time) the base's dims, all or nothing. */
async function writeBatch(db: ParleyDb, doc: DocumentRecord, from: number, batch: ChunkText[], vectors: Float32Array[], embedderId: string, at: number): Promise<void> {
  const dims = vectors[0]!.length;
  await db.transaction('rw', [db.documents, db.knowledge, db.chunks, db.vectors], async () => {
    const d = await current(db, doc.id);
    if (d.status !== 'embedding' || d.embedderId !== embedderId || d.progress.done !== from) throw new Superseded();
    if (d.knowledgeId !== null) {
      const k = await db.knowledge.get(d.knowledgeId);
      if (!k) throw new Superseded();
      // (A switch of the base's model re-queues its documents, caught above; this is another run
      // that stored its first batch with another model meanwhile.)
      if (k.embedderId !== null && k.embedderId !== embedderId) {
        throw appError('invalid', `This knowledge base uses the embedding model ${k.embedderId}, not ${embedderId}.`, { code: 'embedder_mismatch' });
      }
      if (k.dims !== null && k.dims !== dims) {
        throw appError('invalid', `The embedding model returned ${dims}-dimensional vectors; this knowledge base holds ${k.dims}. Re-index it.`, { code: 'embedder_mismatch' });
      }
      if (k.embedderId === null || k.dims === null) await db.knowledge.update(k.id, { embedderId, dims, updatedAt: at });
    }
    await putBatch(db, d, embedderId, batch, vectors);
    await db.documents.update(d.id, { progress: { done: from + batch.length, total: d.progress.total }, updatedAt: at });
  });
}

async function finish(db: ParleyDb, id: string, changes: Partial<DocumentRecord>): Promise<void> {
  await db.transaction('rw', db.documents, async () => {
    await current(db, id);
    await db.documents.update(id, changes);
  });
}

/** Marks the document failed, keeping its stored batches (a retry continues after them). */
async function fail(db: ParleyDb, id: string, err: unknown, at: number): Promise<void> {
  const e: AppError = isQuotaError(err)
    ? appError('storage', STORAGE_FULL_INGEST, { detail: String(err), code: 'QuotaExceededError' })
    : isAppError(err)
      ? err
      : toAppError(err);
  const error = { kind: e.kind, message: e.message, ...(e.detail !== undefined ? { detail: e.detail } : {}), ...(e.code !== undefined ? { code: e.code } : {}) };
  try {
    await finish(db, id, { status: 'error', error, updatedAt: at });
  } catch (again) {
    // Even this small write was refused (the disk is that full) or the document went away: it
    // stays unfinished and resumes from its last whole batch next time.
    if (!(again instanceof Superseded) && !isQuotaError(again)) throw again;
  }
}
