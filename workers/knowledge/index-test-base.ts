import { expect } from 'vitest';
import { Bm25Index } from '../../src/core/rag/bm25';
import type { DocumentRecord } from '../../src/core/rag/schema';
import { createKnowledge, knowledgeChunks, loadVectors, putBatch } from '../../src/core/rag/store';
import { VectorIndex } from '../../src/core/rag/vector-index';
import { mulberry32 as rng } from '../../src/core/seeded-random';
import type { ParleyDb } from '../../src/core/storage/db';
import type { LoadedSet } from './indexes';

/**
 * A knowledge base written the way ingestion writes it, without ingestion: documents, batches of
 * chunks with their vectors and progress in one transaction each. Chunk i's text is a function of
 * the document, its chunk options and i (as the chunker's is), and a vector a function of its text
 * and model (as an embedder's is), so a set kept up to date can be compared with one built anew.
 */

export const E1 = 'test:model-1';
export const E2 = 'test:model-2';
/** Large enough that a block holds 16 vectors (store.ts's blockSize), so documents span several blocks. */
export const DIMS = 4096;
export type Cut = { size: number; overlap: number };
export const CUT_A: Cut = { size: 200, overlap: 20 };
export const CUT_B: Cut = { size: 120, overlap: 0 };

const VOCAB = Array.from({ length: 40 }, (_, i) => `w${i.toString(36)}q`);

function hash(s: string, seed = 7): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Zipf-ish words: a few are common, most are rare, so scores rarely tie. */
export function textOf(documentId: string, cut: Cut, index: number): string {
  const r = rng(hash(`${documentId}|${cut.size}/${cut.overlap}|${index}`));
  return Array.from({ length: 3 + Math.floor(r() * 10) }, () => VOCAB[Math.floor(r() * r() * VOCAB.length)]).join(' ');
}

export function vectorOf(text: string, model: string): Float32Array {
  const v = new Float32Array(DIMS).fill(0.01);
  for (const w of text.split(' ')) v[hash(w, hash(model)) % DIMS]! += 1 + (hash(w) % 7) / 10;
  return v;
}

export const queryWords = (r: () => number): string => Array.from({ length: 1 + Math.floor(r() * 3) }, () => VOCAB[Math.floor(r() * VOCAB.length)]).join(' ');

export async function newBase(db: ParleyDb, name = 'K'): Promise<string> {
  return (await createKnowledge(db, { name, now: 1 })).id;
}

let docNo = 0;
export async function newDoc(db: ParleyDb, knowledgeId: string | null, now: number): Promise<string> {
  const id = `doc-${++docNo}-${now}`;
  const doc: DocumentRecord = {
    id,
    knowledgeId,
    chatId: knowledgeId === null ? 'chat' : null,
    name: `${id}.md`,
    mime: 'text/markdown',
    size: 1,
    sha256: id,
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
  return id;
}

/** One batch of `n` more chunks of a document, as ingest's writeBatch stores it (cut and model as given the first time). */
export async function embedBatch(db: ParleyDb, documentId: string, n: number, opts: { cut: Cut; model: string; now: number; last?: boolean }): Promise<void> {
  await db.transaction('rw', [db.documents, db.knowledge, db.chunks, db.vectors], async () => {
    const d = (await db.documents.get(documentId))!;
    const from = d.progress.done;
    const cut = d.chunking ?? opts.cut;
    const chunks = Array.from({ length: n }, (_, i) => ({ index: from + i, text: textOf(documentId, cut, from + i), start: 0, end: 1, headings: [] }));
    if (d.knowledgeId !== null) {
      const k = (await db.knowledge.get(d.knowledgeId))!;
      if (k.embedderId === null) await db.knowledge.update(k.id, { embedderId: opts.model, dims: DIMS });
    }
    await putBatch(db, d, opts.model, chunks, chunks.map((c) => vectorOf(c.text, opts.model)));
    await db.documents.update(documentId, {
      status: opts.last ? 'done' : 'embedding',
      chunking: cut,
      embedderId: opts.model,
      progress: { done: from + n, total: Math.max(d.progress.total, from + n) },
      updatedAt: opts.now,
    });
  });
}

/** The indexes as the cache used to build them: BM25 from every chunk's text, every vector loaded. */
export async function fromScratch(db: ParleyDb, knowledgeId: string, model: string | null): Promise<{ bm25: Bm25Index; vectors: VectorIndex | null }> {
  const bm25 = new Bm25Index();
  for (const c of await knowledgeChunks(db, knowledgeId)) bm25.add(c.id, c.text);
  let vectors: VectorIndex | null = null;
  const k = await db.knowledge.get(knowledgeId);
  if (model !== null && k?.embedderId === model) {
    const v = await loadVectors(db, knowledgeId, model);
    if (v.count > 0) {
      vectors = new VectorIndex(v.dims, v.count);
      vectors.addMany(v.chunkIds, v.vectors);
    }
  }
  return { bm25, vectors };
}

/** Every hit, in an order that does not depend on row order (ties by id), scores rounded. */
const ranking = (hits: ReadonlyArray<{ id: string; score: number }>) =>
  [...hits].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).map((h) => `${h.id} ${h.score.toFixed(9)}`);

/** The set answers every query as the reference does: the same rows, the same scores. */
export function expectSameAnswers(set: LoadedSet, ref: { bm25: Bm25Index; vectors: VectorIndex | null }, queries: readonly string[], label: string): void {
  expect(set.bm25.size, `${label}: BM25 rows`).toBe(ref.bm25.size);
  for (const q of queries) expect(ranking(set.bm25.search(q, 1e6)), `${label}: BM25 "${q}"`).toEqual(ranking(ref.bm25.search(q, 1e6)));
  expect(set.vectors?.size ?? 0, `${label}: vectors`).toBe(ref.vectors?.size ?? 0);
  if (ref.vectors && set.vectors) {
    for (const q of queries) {
      const v = vectorOf(q, 'query');
      expect(ranking(set.vectors.search(v, 1e6)), `${label}: vectors "${q}"`).toEqual(ranking(ref.vectors.search(v, 1e6)));
    }
  }
}
