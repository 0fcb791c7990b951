import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Bm25Index } from '../../src/core/rag/bm25';
import { fromBm25Record } from '../../src/core/rag/bm25-store';
import { deleteKnowledge, reindexDocument, removeDocument } from '../../src/core/rag/store';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { createIndexCache } from './indexes';
import { CUT_A, CUT_B, E1, embedBatch, expectSameAnswers, fromScratch, newBase, newDoc } from './index-test-base';
import { createKnowledgeService } from './service';
import { FakeEmbedService } from './test-fakes';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-indexes-${n++}`);
  await db.open();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

const QUERIES = ['w0q', 'w1q w2q', 'w3q w0q w5q', 'wbq'];

/** A base of three documents, 20 + 12 + 7 chunks, all done. */
async function base(): Promise<{ k: string; docs: string[] }> {
  const k = await newBase(db);
  const docs: string[] = [];
  for (const [i, count] of [20, 12, 7].entries()) {
    const id = await newDoc(db, k, 2 + i);
    await embedBatch(db, id, count, { cut: CUT_A, model: E1, now: 10 + i, last: true });
    docs.push(id);
  }
  return { k, docs };
}

/** Chunks tokenized into a BM25 index from now on. */
const countAdds = () => vi.spyOn(Bm25Index.prototype, 'add');

describe('the saved BM25 index', () => {
  it('is saved after BM25 was built from the texts, and a new cache loads it without tokenizing a chunk', async () => {
    const { k } = await base();
    const first = createIndexCache(db);
    expect((await first.knowledge(k, E1))!.last).toMatchObject({ bm25: 'built', textsRead: 39 });
    await first.settled();
    expect(fromBm25Record(await db.bm25.get(k))!.snapshot.ids).toHaveLength(39);

    const adds = countAdds();
    const fresh = createIndexCache(db);
    const set = (await fresh.knowledge(k, E1))!;
    expect(set.last).toMatchObject({ bm25: 'snapshot', textsRead: 0, dropped: 0, vectorsReloaded: true, vectorsRead: 39 });
    expect(adds).not.toHaveBeenCalled();
    expectSameAnswers(set, await fromScratch(db, k, E1), QUERIES, 'from the snapshot');
    // Unchanged: nothing to write again.
    expect(await fresh.save(k)).toBe(false);
  });

  it('when stale, keeps the documents unchanged since and reads only the others again', async () => {
    const { k, docs } = await base();
    const cache = createIndexCache(db);
    await cache.knowledge(k, null);
    await cache.settled();
    // Since the save: a document grew, one was re-indexed with other options, one removed, one added.
    await reindexDocument(db, docs[0]!, 20);
    await embedBatch(db, docs[0]!, 9, { cut: CUT_B, model: E1, now: 21 });
    await removeDocument(db, docs[1]!);
    const added = await newDoc(db, k, 22);
    await embedBatch(db, added, 5, { cut: CUT_A, model: E1, now: 23 });

    const adds = countAdds();
    const set = (await createIndexCache(db).knowledge(k, E1))!;
    expect(set.last).toMatchObject({ bm25: 'snapshot', textsRead: 9 + 5, dropped: 2 });
    expect(adds).toHaveBeenCalledTimes(14);
    expectSameAnswers(set, await fromScratch(db, k, E1), QUERIES, 'stale snapshot');
  });

  it('when damaged or of another format, is built again from the texts (the search still answers) and saved anew', async () => {
    const { k } = await base();
    const cache = createIndexCache(db);
    await cache.knowledge(k, null);
    await cache.settled();
    const good = (await db.bm25.get(k))!;
    const damaged = [
      { ...good, rows: good.rows.map((r, i) => (i === 3 ? 999_999 : r)) },
      { ...good, offsets: good.offsets.slice(1) },
      { ...good, format: 99 },
      { ...good, counts: 'three' },
      { knowledgeId: k, junk: true },
    ];
    for (const bad of damaged) {
      await db.bm25.put(bad as never);
      const fresh = createIndexCache(db);
      const set = (await fresh.knowledge(k, E1))!;
      expect(set.last).toMatchObject({ bm25: 'built', textsRead: 39 });
      expectSameAnswers(set, await fromScratch(db, k, E1), QUERIES, 'damaged snapshot');
      await fresh.settled();
      expect(fromBm25Record(await db.bm25.get(k))).not.toBeNull();
    }
  });

  it('goes with its base; a removed document is dropped from it on the next load and left out of the next save', async () => {
    const { k, docs } = await base();
    const cache = createIndexCache(db);
    await cache.knowledge(k, E1);
    await cache.settled();
    await removeDocument(db, docs[2]!);
    const fresh = createIndexCache(db);
    const set = (await fresh.knowledge(k, E1))!;
    expect(set.last).toMatchObject({ bm25: 'snapshot', dropped: 1, textsRead: 0 });
    expect(set.bm25.size).toBe(32);
    expect(await fresh.save(k)).toBe(true);
    expect(fromBm25Record(await db.bm25.get(k))!.covers.has(docs[2]!)).toBe(false);

    await deleteKnowledge(db, k);
    expect(await db.bm25.get(k)).toBeUndefined();
    expect(await fresh.knowledge(k, E1)).toBeNull();
    expect(await fresh.save(k)).toBe(false);
    expect(await db.bm25.count()).toBe(0);
  });
});

describe('searching while a document is being indexed', () => {
  it('adds each new batch to the indexes in memory instead of loading them again', async () => {
    const { k } = await base();
    const cache = createIndexCache(db);
    await cache.knowledge(k, E1);
    const id = await newDoc(db, k, 30);
    for (let batch = 0; batch < 4; batch++) {
      await embedBatch(db, id, 8, { cut: CUT_A, model: E1, now: 31 + batch });
      const adds = countAdds();
      const set = (await cache.knowledge(k, E1))!;
      expect(set.last).toMatchObject({ bm25: 'updated', textsRead: 8, vectorsRead: 8, vectorsReloaded: false, dropped: 0 });
      expect(adds).toHaveBeenCalledTimes(8);
      adds.mockRestore();
      expectSameAnswers(set, await fromScratch(db, k, E1), QUERIES, `after batch ${batch}`);
    }
    // Nothing changed: nothing read.
    expect((await cache.knowledge(k, E1))!.last).toMatchObject({ textsRead: 0, vectorsRead: 0, vectorsReloaded: false });
  });

  it('loading the vectors leaves room for the chunks still to come of documents being embedded', async () => {
    const { k } = await base();
    const id = await newDoc(db, k, 30);
    await db.documents.update(id, { progress: { done: 0, total: 40 } });
    await embedBatch(db, id, 8, { cut: CUT_A, model: E1, now: 31 });
    const cache = createIndexCache(db);
    const vectors = (await cache.knowledge(k, E1))!.vectors!;
    expect(vectors.size).toBe(39 + 8);
    expect(vectors.capacity).toBe(39 + 40);
    for (let batch = 0; batch < 4; batch++) {
      await embedBatch(db, id, 8, { cut: CUT_A, model: E1, now: 32 + batch, last: batch === 3 });
      expect((await cache.knowledge(k, E1))!.vectors).toBe(vectors);
    }
    expect(vectors.size).toBe(39 + 40);
    expect(vectors.capacity).toBe(39 + 40);
  });

  it('a base stored under an older id of the same model (see embedder-id.ts) takes its new batches in place too', async () => {
    const k = await newBase(db);
    const id = await newDoc(db, k, 1);
    await embedBatch(db, id, 6, { cut: CUT_A, model: 'local:m:q8', now: 2 });
    const cache = createIndexCache(db);
    expect((await cache.knowledge(k, 'local:m'))!.vectors!.size).toBe(6);
    await embedBatch(db, id, 4, { cut: CUT_A, model: 'local:m:q8', now: 3 });
    const set = (await cache.knowledge(k, 'local:m'))!;
    expect(set.last).toMatchObject({ vectorsRead: 4, vectorsReloaded: false, dropped: 0 });
    expect(set.vectors!.size).toBe(10);
    expect(set.vectorNote).toBeUndefined();
  });

  it('the keyword index is shared by every model asked for, and kept when the vectors are dropped', async () => {
    const { k } = await base();
    const cache = createIndexCache(db);
    const a = (await cache.knowledge(k, E1))!;
    const b = (await cache.knowledge(k, null))!;
    expect(b.bm25).toBe(a.bm25);
    expect(b.vectors).toBeNull();
    cache.clear();
    expect(cache.size()).toEqual({ texts: 1, vectors: 0 });
    const c = (await cache.knowledge(k, E1))!;
    expect(c.bm25).toBe(a.bm25);
    expect(c.last).toMatchObject({ bm25: 'updated', textsRead: 0, vectorsReloaded: true, vectorsRead: 39 });
  });
});

describe('the knowledge service', () => {
  it('saves a base’s keyword index when its ingestion ends, so a new worker loads it; removing a file saves it again', async () => {
    const embed = new FakeEmbedService();
    const svc = createKnowledgeService({ db, embed, extractors: {}, appOrigin: '' });
    await svc.setSettings({ model: 'tiny', chunkSize: 200, chunkOverlap: 20 });
    const k = await svc.createKnowledge({ name: 'K' });
    const text = (w: string) => Array.from({ length: 30 }, (_, i) => `Paragraph ${i} about ${w} and more ${w}.`).join('\n\n');
    const added = await svc.addFiles(k.id, [new File([text('kettles')], 'a.md', { type: 'text/markdown' }), new File([text('planets')], 'b.md', { type: 'text/markdown' })]);
    await svc.idle();
    const saved = fromBm25Record(await db.bm25.get(k.id))!;
    const chunks = await db.chunks.where('knowledgeId').equals(k.id).count();
    expect(saved.snapshot.ids).toHaveLength(chunks);

    // A new worker: the search loads the saved index and tokenizes nothing.
    const adds = countAdds();
    const other = createKnowledgeService({ db, embed, extractors: {}, appOrigin: '' });
    const r = await other.search('planets', { knowledgeIds: [k.id], hybridWeight: 0 });
    expect('hits' in r && r.hits[0]!.docName).toBe('b.md');
    expect(adds).not.toHaveBeenCalled();

    await svc.removeDocument(added[1]!.ok ? added[1]!.documentId : '');
    await svc.idle();
    const after = fromBm25Record(await db.bm25.get(k.id))!;
    expect(after.covers.size).toBe(1);
    expect(after.snapshot.ids.length).toBeLessThan(chunks);
    await other.idle();
  });
});
