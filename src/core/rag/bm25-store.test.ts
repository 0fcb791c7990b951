import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { Bm25Index } from './bm25';
import { fromBm25Record, toBm25Record, writeBm25, type Bm25Record, type Covered } from './bm25-store';
import { batchRows, chunkId, createKnowledge, deleteKnowledge, loadVectors } from './store';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-bm25-store-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const WORDS = ['kettle', 'tea', 'orbit', 'planet', 'garden', 'tomato', 'voyager', 'bread', 'oven', 'flour'];

/** Documents a (3 chunks), b (5 chunks, chunk 1 removed and added again), c (2 chunks), d removed. */
function sample(): { index: Bm25Index; covers: Map<string, Covered> } {
  const index = new Bm25Index();
  const text = (d: string, i: number) => Array.from({ length: 4 + i }, (_, j) => WORDS[(d.charCodeAt(0) * 7 + i * 3 + j * j) % WORDS.length]).join(' ');
  const covers = new Map<string, Covered>([
    ['a', { count: 3, stamp: 10 }],
    ['b', { count: 5, stamp: 11.5 }],
    ['c', { count: 2, stamp: 12 }],
  ]);
  for (const [d, c] of [...covers, ['d', { count: 2, stamp: 0 }] as const]) for (let i = 0; i < c.count; i++) index.add(chunkId(d, i), text(d, i));
  index.remove(chunkId('b', 1));
  index.add(chunkId('b', 1), 'kettle kettle tea');
  for (let i = 0; i < 2; i++) index.remove(chunkId('d', i));
  return { index, covers };
}

const record = (): Bm25Record => {
  const { index, covers } = sample();
  return toBm25Record('k', index.serialize(), covers, 5)!;
};

describe('BM25 snapshot rows', () => {
  it('round-trip through IndexedDB to an index that answers the same, with what it covers', async () => {
    const { index, covers } = sample();
    const rec = toBm25Record('k', index.serialize(), covers, 5)!;
    expect(rec.rowDoc).toBeInstanceOf(Uint32Array);
    expect(typeof rec.docIds).toBe('string');
    const k = await createKnowledge(db, { name: 'K' });
    expect(await writeBm25(db, { ...rec, knowledgeId: k.id })).toBe(true);
    const back = fromBm25Record(await db.bm25.get(k.id))!;
    expect(back.covers).toEqual(covers);
    expect([...back.snapshot.ids].sort()).toEqual([...covers].flatMap(([d, c]) => Array.from({ length: c.count }, (_, i) => chunkId(d, i))).sort());
    const loaded = Bm25Index.load(back.snapshot);
    for (const q of ['kettle tea', 'orbit planet', 'bread', 'voyager oven flour']) expect(loaded.search(q, 20)).toEqual(index.search(q, 20));
  });

  it('are not made from an index whose rows are not exactly what the coverage says', () => {
    const { index, covers } = sample();
    const snap = index.serialize();
    expect(toBm25Record('k', snap, new Map([...covers].filter(([d]) => d !== 'c')), 1)).toBeNull();
    expect(toBm25Record('k', snap, new Map([...covers, ['a', { count: 4, stamp: 10 }]]), 1)).toBeNull();
    expect(toBm25Record('k', snap, new Map([...covers, ['b', { count: 4, stamp: 10 }]]), 1)).toBeNull();
    expect(toBm25Record('k', { ...snap, ids: [...snap.ids.slice(1), 'no-colon'] }, covers, 1)).toBeNull();
  });

  it('are refused when missing, of another format, or inconsistent', () => {
    const cases: Array<[string, (r: Bm25Record) => unknown]> = [
      ['nothing', () => undefined],
      ['not an object', () => 'bm25'],
      ['another format', (r) => ({ ...r, format: 2 })],
      ['arrays as plain arrays', (r) => ({ ...r, rows: Array.from(r.rows) })],
      ['a missing array', (r) => ({ ...r, tfs: undefined })],
      ['counts not matching the documents', (r) => ({ ...r, counts: r.counts.slice(1) })],
      ['a document twice', (r) => ({ ...r, docIds: 'a\na\nc' })],
      ['a row of no document', (r) => ({ ...r, rowDoc: r.rowDoc.map((d, i) => (i === 0 ? 9 : d)) })],
      ['a chunk beyond its count', (r) => ({ ...r, rowChunk: r.rowChunk.map((c, i) => (i === 0 ? 99 : c)) })],
      ['a chunk twice', (r) => ({ ...r, rowDoc: r.rowDoc.map(() => r.rowDoc[0]!), rowChunk: r.rowChunk.map(() => r.rowChunk[0]!) })],
      ['fewer row lengths', (r) => ({ ...r, docLen: r.docLen.slice(1) })],
      ['offsets cut short', (r) => ({ ...r, offsets: r.offsets.slice(0, -1) })],
      ['offsets past the postings', (r) => ({ ...r, offsets: r.offsets.map((o, i) => (i === 1 ? 1e6 : o)) })],
      ['a posting of no row', (r) => ({ ...r, rows: r.rows.map((x, i) => (i === 0 ? 1e6 : x)) })],
      ['postings out of order', (r) => ({ ...r, rows: r.rows.map((x, i) => (i === r.offsets[1]! - 1 ? 0 : i === 0 ? 5 : x)) })],
      ['a term twice', (r) => ({ ...r, terms: r.terms.split('\n').map((t, i) => (i === 1 ? r.terms.split('\n')[0] : t)).join('\n') })],
    ];
    expect(fromBm25Record(record())).not.toBeNull();
    for (const [what, damage] of cases) expect(fromBm25Record(damage(record())), what).toBeNull();
  });

  it('read back after random damage are refused or load and search without throwing', () => {
    let a = 5;
    const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const fields = ['counts', 'stamps', 'rowDoc', 'rowChunk', 'docLen', 'offsets', 'rows', 'tfs'] as const;
    let refused = 0;
    for (let i = 0; i < 400; i++) {
      const r = record();
      const f = fields[Math.floor(rnd() * fields.length)]!;
      const arr = r[f];
      if (rnd() < 0.2) (r as unknown as Record<string, unknown>)[f] = arr.slice(0, Math.floor(rnd() * arr.length));
      else if (arr.length > 0) arr[Math.floor(rnd() * arr.length)] = rnd() < 0.5 ? Math.floor(rnd() * 40) : 2 ** 31;
      const back = fromBm25Record(r);
      if (!back) refused++;
      else expect(() => Bm25Index.load(back.snapshot).search('kettle tea orbit', 10)).not.toThrow();
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('cannot be written for a base deleted meanwhile, and go when their base is deleted', async () => {
    expect(await writeBm25(db, record())).toBe(false);
    expect(await db.bm25.count()).toBe(0);
    const k = await createKnowledge(db, { name: 'K' });
    const other = await createKnowledge(db, { name: 'Other' });
    await writeBm25(db, { ...record(), knowledgeId: k.id });
    await writeBm25(db, { ...record(), knowledgeId: other.id });
    await deleteKnowledge(db, k.id);
    expect(await db.bm25.get(k.id)).toBeUndefined();
    expect(await db.bm25.get(other.id)).toBeDefined();
  });
});

describe('upgrade to version 8', () => {
  it('keeps every knowledge table of version 7 as it was and adds an empty bm25 table', async () => {
    const name = 'bm25-upgrade';
    const v7 = new Dexie(name);
    v7.version(1).stores({ connections: 'id, kind, createdAt', chats: 'id, updatedAt, pinned, archived, folderId', messages: 'id, chatId, [chatId+createdAt], parentId, status', settings: 'key' });
    v7.version(2).stores({ modelCache: 'connectionId' });
    v7.version(3).stores({ prompts: 'id, &command, updatedAt' });
    v7.version(4).stores({ blobs: 'id, chatId, messageId' });
    v7.version(5).stores({ nodes: '[chatId+id]' });
    v7.version(6).stores({ folders: 'id, parentId, updatedAt', chats: 'id, updatedAt, pinned, archived, folderId, *tags' });
    v7.version(7).stores({
      knowledge: 'id, updatedAt',
      documents: 'id, knowledgeId, chatId, status, [knowledgeId+sha256]',
      sources: 'documentId',
      chunks: 'id, knowledgeId, [documentId+index]',
      vectors: '[knowledgeId+embedderId+documentId+first], documentId',
    });
    await v7.open();
    await v7.table('knowledge').put({ id: 'k1', name: 'Kept', description: '', createdAt: 1, updatedAt: 1, embedderId: 'e1', dims: 2 });
    await v7.table('documents').put({ id: 'd1', knowledgeId: 'k1', chatId: null, name: 'a.md', mime: 'text/markdown', size: 3, sha256: 'x', status: 'done', progress: { done: 2, total: 2 }, error: null, warnings: [], embedderId: 'e1', chunking: { size: 200, overlap: 20 }, createdAt: 1, updatedAt: 2 });
    await v7.table('sources').put({ documentId: 'd1', file: null, extracted: { text: 'kettle tea' } });
    const rows = batchRows({ id: 'd1', knowledgeId: 'k1' }, 'e1', [0, 1].map((i) => ({ index: i, text: ['kettle', 'tea'][i]!, start: 0, end: 1, headings: [] })), [Float32Array.of(1, 0), Float32Array.of(0, 1)]);
    await v7.table('chunks').bulkPut(rows.chunks);
    await v7.table('vectors').bulkPut(rows.blocks);
    await v7.table('chats').put({ id: 'c1', title: 'kept', tags: [], updatedAt: 1 });
    v7.close();

    const up = openDb(name);
    await up.open();
    // The latest version (9 since sync, issue 9), through 8.
    expect(up.verno).toBe(9);
    expect(await up.bm25.count()).toBe(0);
    expect(await up.knowledge.get('k1')).toMatchObject({ name: 'Kept', embedderId: 'e1' });
    expect(await up.documents.get('d1')).toMatchObject({ status: 'done', progress: { done: 2, total: 2 } });
    expect((await up.sources.get('d1'))!.extracted!.text).toBe('kettle tea');
    expect((await up.chunks.where('knowledgeId').equals('k1').toArray()).map((c) => c.text)).toEqual(['kettle', 'tea']);
    expect(await loadVectors(up, 'k1', 'e1')).toMatchObject({ count: 2, chunkIds: [chunkId('d1', 0), chunkId('d1', 1)], vectors: Float32Array.of(1, 0, 0, 1) });
    expect(await up.chats.get('c1')).toMatchObject({ title: 'kept' });
    await up.delete();
  });
});
