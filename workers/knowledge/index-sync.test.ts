import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchRows, cancelDocument, chunkId, reindexDocument, removeDocument, setKnowledgeEmbedder } from '../../src/core/rag/store';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { planSide, readVectors, type DocRow, type HeldDoc } from './index-sync';
import { createIndexCache, type IndexCache } from './indexes';
import { mulberry32 as rng } from '../../src/core/seeded-random';
import { CUT_A, CUT_B, E1, E2, embedBatch, expectSameAnswers, fromScratch, newBase, newDoc, queryWords } from './index-test-base';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-index-sync-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const row = (id: string, done: number, cut: DocRow['chunking'], updatedAt: number, embedderId: string | null = E1): DocRow => ({ id, knowledgeId: 'k', progress: { done, total: done }, chunking: cut, embedderId, updatedAt });
const all = (d: DocRow) => d.progress.done;

describe('planSide', () => {
  const held = new Map<string, HeldDoc>([
    ['grew', { count: 4, cut: '200/20', stamp: 1 }],
    ['same', { count: 4, cut: '200/20', stamp: 1 }],
    ['recut', { count: 4, cut: '200/20', stamp: 1 }],
    ['shrank', { count: 4, cut: '200/20', stamp: 1 }],
    ['gone', { count: 3, cut: '200/20', stamp: 1 }],
  ]);
  const docs = [row('grew', 6, CUT_A, 2), row('same', 4, CUT_A, 1), row('recut', 5, CUT_B, 2), row('shrank', 2, CUT_A, 2), row('new', 3, CUT_A, 2)];

  it('in memory: adds what a document gained, reads again one cut again or shrunk, drops one removed', () => {
    const { changes, next } = planSide(held, docs, all, 'cut');
    expect(changes).toEqual([
      { documentId: 'grew', space: 'k', drop: 0, from: 4, to: 6 },
      { documentId: 'recut', space: 'k', drop: 4, from: 0, to: 5 },
      { documentId: 'shrank', space: 'k', drop: 4, from: 0, to: 2 },
      { documentId: 'new', space: 'k', drop: 0, from: 0, to: 3 },
      { documentId: 'gone', space: '', drop: 3, from: 0, to: 0 },
    ]);
    expect(next.get('grew')).toEqual({ count: 6, cut: '200/20', stamp: 2 });
    expect([...next.keys()]).toEqual(['grew', 'same', 'recut', 'shrank', 'new']);
  });

  it('from a snapshot: keeps only documents whose row is unchanged since it was saved', () => {
    const { changes } = planSide(held, docs, all, 'stamp');
    expect(changes.map((c) => [c.documentId, c.drop, c.from, c.to])).toEqual([
      ['grew', 4, 0, 6],
      ['recut', 4, 0, 5],
      ['shrank', 4, 0, 2],
      ['new', 0, 0, 3],
      ['gone', 3, 0, 0],
    ]);
  });

  it('vectors of another model count as none', () => {
    const { changes } = planSide(held, [row('grew', 6, CUT_A, 2, E2)], (d) => (d.embedderId === E1 ? d.progress.done : 0), 'cut');
    expect(changes[0]).toEqual({ documentId: 'grew', space: 'k', drop: 4, from: 0, to: 0 });
  });
});

describe('readVectors', () => {
  it('reads exactly the vectors of the range, from blocks of any size, for every range', async () => {
    // 11 chunks in blocks of 3 (the last of 2): [0-2] [3-5] [6-8] [9-10].
    const doc = { id: 'd', knowledgeId: 'k' };
    const chunks = Array.from({ length: 11 }, (_, i) => ({ index: i, text: `c${i}`, start: 0, end: 1, headings: [] }));
    const rows = batchRows(doc, E1, chunks, chunks.map((c) => Float32Array.of(c.index, 1)), 3);
    await db.vectors.bulkPut(rows.blocks);
    await db.vectors.bulkPut(batchRows({ id: 'other', knowledgeId: 'k' }, E1, chunks, chunks.map(() => Float32Array.of(0, 0)), 3).blocks);
    for (let from = 0; from <= 11; from++) {
      for (let to = from; to <= 11; to++) {
        const read = await db.transaction('r', db.vectors, () => readVectors(db, [{ documentId: 'd', space: 'k', drop: 0, from, to }], E1));
        const ids = read.flatMap((b) => b.ids);
        expect(ids, `[${from}, ${to})`).toEqual(Array.from({ length: to - from }, (_, i) => chunkId('d', from + i)));
        const firsts = read.flatMap((b) => Array.from({ length: b.ids.length }, (_, i) => b.data[i * b.dims]));
        expect(firsts, `[${from}, ${to})`).toEqual(Array.from({ length: to - from }, (_, i) => from + i));
      }
    }
  });
});

/**
 * Random interleavings of what ingestion and the user do to a base, looking through one cache
 * kept all along (and now and then through a new one starting from the saved snapshot): every
 * look must answer exactly as indexes built anew from what is stored.
 */
describe('a set kept up to date equals one built anew', () => {
  async function run(seed: number, steps: number): Promise<void> {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const k = await newBase(db);
    let clock = 10;
    let model = E1;
    let cache: IndexCache = createIndexCache(db);
    const docs: string[] = [];
    const queries = Array.from({ length: 4 }, () => queryWords(r));
    const look = async (label: string) => {
      const asked = r() < 0.15 ? null : r() < 0.1 ? (model === E1 ? E2 : E1) : model;
      const set = (await cache.knowledge(k, asked))!;
      const ref = await fromScratch(db, k, asked);
      expectSameAnswers(set, ref, queries, `seed ${seed}, ${label}, asked ${asked}`);
      const stored = (await db.knowledge.get(k))!.embedderId;
      if (asked !== null && stored !== null && asked !== stored) expect(set.vectorNote, label).toMatch(/indexed with/);
      else expect(set.vectorNote, label).toBeUndefined();
    };
    const open = async () => (await db.documents.bulkGet(docs)).filter((d) => d && (d.status === 'embedding' || d.status === 'queued')).map((d) => d!.id);
    for (let step = 0; step < steps; step++) {
      const op = pick(['add', 'grow', 'grow', 'grow', 'remove', 'reindex', 'refill', 'cancel', 'switch', 'save', 'restart'] as const);
      const now = ++clock;
      const label = `step ${step} ${op}`;
      if (op === 'add' || docs.length === 0) {
        const id = await newDoc(db, k, now);
        docs.push(id);
        await embedBatch(db, id, 1 + Math.floor(r() * 9), { cut: pick([CUT_A, CUT_B]), model, now });
      } else if (op === 'grow') {
        const ids = await open();
        if (ids.length > 0) await embedBatch(db, pick(ids), 1 + Math.floor(r() * 9), { cut: pick([CUT_A, CUT_B]), model, now, last: r() < 0.3 });
      } else if (op === 'remove') {
        await removeDocument(db, docs.splice(Math.floor(r() * docs.length), 1)[0]!);
      } else if (op === 'reindex') {
        const id = pick(docs);
        await reindexDocument(db, id, now);
        if (r() < 0.7) await embedBatch(db, id, 1 + Math.floor(r() * 12), { cut: pick([CUT_A, CUT_B]), model, now: ++clock });
      } else if (op === 'refill') {
        // Dropped and embedded again to as many chunks, with the same options, between two looks.
        const id = pick(docs);
        const d = (await db.documents.get(id))!;
        if (d.chunking && d.embedderId === model) {
          await reindexDocument(db, id, now);
          await embedBatch(db, id, d.progress.done, { cut: d.chunking, model, now: ++clock });
        }
      } else if (op === 'cancel') {
        await cancelDocument(db, pick(docs), now);
      } else if (op === 'switch') {
        model = model === E1 ? E2 : E1;
        await setKnowledgeEmbedder(db, k, model, now);
        for (const id of docs) if (r() < 0.5) await embedBatch(db, id, 1 + Math.floor(r() * 6), { cut: pick([CUT_A, CUT_B]), model, now: ++clock });
      } else if (op === 'save') {
        await cache.save(k);
      } else if (op === 'restart') {
        await cache.settled();
        cache = createIndexCache(db);
      }
      if (r() < 0.5) await look(label);
    }
    await look('end');
    await cache.settled();
  }

  it('over random interleavings of batches, removals, re-indexing, cancels, model switches, saves and restarts', async () => {
    for (let seed = 1; seed <= 24; seed++) await run(seed, 30);
  }, 60_000);

  it('the test can fail: a set that missed a batch differs from one built anew', async () => {
    const k = await newBase(db);
    const id = await newDoc(db, k, 1);
    await embedBatch(db, id, 5, { cut: CUT_A, model: E1, now: 2 });
    const cache = createIndexCache(db);
    const set = (await cache.knowledge(k, E1))!;
    await cache.settled(); // (the save after a build brings BM25 up to date too)
    await embedBatch(db, id, 5, { cut: CUT_A, model: E1, now: 3 });
    const ref = await fromScratch(db, k, E1);
    expect(() => expectSameAnswers(set, ref, ['w0q w1q'], 'stale')).toThrow(/BM25 rows/);
  });
});

describe('a file attached to a message', () => {
  it('is kept up to date batch by batch, and re-read whole when re-indexed with other options', async () => {
    const cache = createIndexCache(db);
    const id = await newDoc(db, null, 1);
    await embedBatch(db, id, 4, { cut: CUT_A, model: E1, now: 2 });
    let set = (await cache.document(id, E1))!;
    expect(set.last).toMatchObject({ bm25: 'built', textsRead: 4, vectorsReloaded: true, vectorsRead: 4 });
    await embedBatch(db, id, 3, { cut: CUT_A, model: E1, now: 3 });
    set = (await cache.document(id, E1))!;
    expect(set.last).toMatchObject({ bm25: 'updated', textsRead: 3, vectorsRead: 3, vectorsReloaded: false, dropped: 0 });
    expect(set.bm25.size).toBe(7);
    expect(set.vectors!.size).toBe(7);
    await reindexDocument(db, id, 4);
    await embedBatch(db, id, 5, { cut: CUT_B, model: E1, now: 5 });
    set = (await cache.document(id, E1))!;
    expect(set.last).toMatchObject({ textsRead: 5, vectorsRead: 5, dropped: 1 });
    expect(set.bm25.size).toBe(5);
    expect(set.vectors!.size).toBe(5);
    await removeDocument(db, id);
    expect(await cache.document(id, E1)).toBeNull();
    expect(cache.size()).toEqual({ texts: 0, vectors: 0 });
  });
});
