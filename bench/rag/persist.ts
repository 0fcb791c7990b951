/**
 * The knowledge worker's own index cache (workers/knowledge/indexes.ts) over a base of `rows`
 * chunks stored as ingestion stores them (Parley's database, Dexie, in this worker's IndexedDB):
 * 1. the old way: BM25 built from every chunk's text, all vectors loaded (no saved snapshot);
 * 2. saving BM25 (serialize + one put) and loading it back: raw read, check, load, and through a
 *    new cache as a worker start does (keywords only, then with the vectors);
 * 3. a worker start while a file is being indexed, then its batches of 64 chunks each followed by
 *    a search: the set brought up to date in place, against the old full rebuild measured again
 *    after the batches.
 */
import { Bm25Index } from '../../src/core/rag/bm25';
import { fromBm25Record } from '../../src/core/rag/bm25-store';
import { retrieve } from '../../src/core/rag/retrieve';
import type { DocumentRecord } from '../../src/core/rag/schema';
import { createKnowledge, putBatch } from '../../src/core/rag/store';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { mulberry32 } from '../../src/core/seeded-random';
import { createIndexCache, retrievalSet, type IndexCache, type SyncStats } from '../../workers/knowledge/indexes';
import { vocabulary } from './corpus';
import type { PersistResult, RagBenchOptions } from './protocol';

const MODEL = 'bench:model-384';
/** Chunks per document (a ~100-page file at ~800 characters a chunk). */
const DOC_CHUNKS = 320;
/** Chunks per ingestion batch (OpenAI-compatible engines batch 64). */
const BATCH = 64;
/** Batches ingested one by one, each followed by a search. */
const BATCHES = 5;

function randomVectors(r: () => number, n: number, dims: number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: dims }, () => r() * 2 - 1));
}

function newDocument(knowledgeId: string, n: number, chunks: number): DocumentRecord {
  const id = `bench-doc-${String(n).padStart(5, '0')}`;
  return { id, knowledgeId, chatId: null, name: `${id}.md`, mime: 'text/markdown', size: 1, sha256: id, status: 'embedding', progress: { done: 0, total: chunks }, error: null, warnings: [], embedderId: MODEL, chunking: { size: 800, overlap: 80 }, createdAt: n, updatedAt: n };
}

/** One batch as ingest's writeBatch stores it: chunks, vector blocks and progress in one transaction (the last one ends the document). */
async function writeBatch(db: ParleyDb, doc: DocumentRecord, from: number, texts: string[], vectors: Float32Array[], now: number): Promise<void> {
  await db.transaction('rw', [db.documents, db.knowledge, db.chunks, db.vectors], async () => {
    const chunks = texts.map((text, i) => ({ index: from + i, text, start: 0, end: text.length, headings: [] }));
    await putBatch(db, doc, MODEL, chunks, vectors);
    const done = from + texts.length;
    await db.documents.update(doc.id, { progress: { done, total: doc.progress.total }, status: done < doc.progress.total ? 'embedding' : 'done', updatedAt: now });
  });
}

const pick = (s: SyncStats) => ({ ms: s.ms, readMs: s.readMs, bm25Ms: s.bm25Ms, vectorsMs: s.vectorsMs, textsRead: s.textsRead, vectorsRead: s.vectorsRead, source: s.bm25 });

export async function measurePersist(o: RagBenchOptions, progress: (m: string) => void): Promise<PersistResult> {
  const r = mulberry32(20261208);
  const vocab = vocabulary(r, o.vocabulary);
  const text = () => {
    const ws: string[] = [];
    const n = Math.round(o.wordsPerChunk * (0.5 + r()));
    for (let k = 0; k < n; k++) ws.push(vocab.word());
    return ws.join(' ') + '.';
  };
  const name = 'parley-rag-bench-persist';
  await openDb(name).delete();
  const db = openDb(name);
  try {
    // The base, a document per transaction (its chunks in one batch: writing is not what is measured here).
    let t0 = performance.now();
    const k = await createKnowledge(db, { name: 'bench', embedderId: MODEL });
    await db.knowledge.update(k.id, { dims: o.dims });
    let docs = 0;
    for (let done = 0; done < o.rows; done += DOC_CHUNKS, docs++) {
      const n = Math.min(DOC_CHUNKS, o.rows - done);
      const doc = newDocument(k.id, docs, n);
      await db.documents.add(doc);
      await writeBatch(db, doc, 0, Array.from({ length: n }, text), randomVectors(r, n, o.dims), docs + 1);
    }
    const writeMs = performance.now() - t0;
    progress(`persist: ${o.rows} chunks in ${docs} documents written in ${writeMs.toFixed(0)} ms`);

    // 1. The old way, and the save that follows it.
    let cache: IndexCache = createIndexCache(db);
    const rebuild = (await cache.knowledge(k.id, MODEL))!.last;
    progress(`persist: built from the texts in ${rebuild.ms.toFixed(0)} ms (BM25 ${rebuild.bm25Ms.toFixed(0)} ms)`);
    t0 = performance.now();
    await cache.settled();
    const saveMs = performance.now() - t0;
    cache.clear();

    // 2. The saved snapshot: raw read, check, load; then through new caches.
    t0 = performance.now();
    const stored = await db.bm25.get(k.id);
    const idbReadMs = performance.now() - t0;
    const recordMB = stored ? [stored.counts, stored.stamps, stored.rowDoc, stored.rowChunk, stored.docLen, stored.offsets, stored.rows, stored.tfs].reduce((n, a) => n + a.byteLength, 0) / 2 ** 20 + (stored.terms.length + stored.docIds.length) * 2 / 2 ** 20 : 0;
    t0 = performance.now();
    const checked = fromBm25Record(stored);
    const checkMs = performance.now() - t0;
    t0 = performance.now();
    if (checked) Bm25Index.load(checked.snapshot);
    const loadMs = performance.now() - t0;
    const keywordsOnly = (await createIndexCache(db).knowledge(k.id, null))!.last;
    // A worker start while one more file is being indexed (its first batch not stored yet).
    const doc = newDocument(k.id, docs, BATCHES * BATCH);
    await db.documents.add(doc);
    cache = createIndexCache(db);
    const fresh = (await cache.knowledge(k.id, MODEL))!.last;
    progress(`persist: snapshot loaded in ${keywordsOnly.ms.toFixed(0)} ms (read ${idbReadMs.toFixed(0)}, check ${checkMs.toFixed(0)}, load ${loadMs.toFixed(0)})`);

    // 3. That file's batches of 64, each followed by a search through the same cache.
    const query = Array.from({ length: 3 }, () => vocab.words[Math.floor(r() * 300)]!).join(' ');
    const queryVector = randomVectors(r, 1, o.dims)[0]!;
    const batches: PersistResult['batches'] = [];
    for (let b = 0; b < BATCHES; b++) {
      await writeBatch(db, doc, b * BATCH, Array.from({ length: BATCH }, text), randomVectors(r, BATCH, o.dims), docs + 2 + b);
      t0 = performance.now();
      const set = (await cache.knowledge(k.id, MODEL))!;
      const hits = retrieve([retrievalSet(set, queryVector)], query, { topK: o.topK, hybridWeight: o.hybridWeight });
      batches.push({ ...pick(set.last), searchMs: performance.now() - t0, hits: hits.length });
    }
    progress(`persist: searches after a batch took ${batches.map((b) => b.searchMs.toFixed(0)).join(', ')} ms`);

    // The old behaviour for the same search: everything rebuilt (no snapshot, nothing in memory).
    cache.clear();
    await db.bm25.clear();
    t0 = performance.now();
    const old = createIndexCache(db);
    const oldSet = (await old.knowledge(k.id, MODEL))!;
    retrieve([retrievalSet(oldSet, queryVector)], query, { topK: o.topK, hybridWeight: o.hybridWeight });
    const oldSearchMs = performance.now() - t0;
    await old.settled();
    progress(`persist: the old full rebuild before that search took ${oldSearchMs.toFixed(0)} ms`);

    return {
      rows: o.rows,
      documents: docs,
      writeMs,
      rebuild: pick(rebuild),
      saveMs,
      recordMB,
      snapshot: { idbReadMs, checkMs, loadMs, valid: checked !== null },
      keywordsOnly: pick(keywordsOnly),
      fresh: pick(fresh),
      batch: BATCH,
      batches,
      oldAfterBatch: { ...pick(oldSet.last), searchMs: oldSearchMs },
    };
  } finally {
    db.close();
    await openDb(name).delete();
  }
}
