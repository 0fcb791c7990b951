import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import {
  addDocument,
  batchRows,
  cancelDocument,
  checkQuery,
  chunkId,
  createKnowledge,
  deleteKnowledge,
  knowledgeChunks,
  loadDocumentVectors,
  loadVectors,
  removeChatDocuments,
  removeDocument,
  unfinishedDocuments,
  updateKnowledge,
} from './store';
import { sha256, sha256Hex } from './sha256';
import { chunkSchema, documentSchema, knowledgeSchema, sourceSchema, vectorBlockSchema, type DocumentRecord } from './schema';
import type { ChunkText } from './types';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-rag-store-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const chunk = (index: number): ChunkText => ({ index, text: `chunk ${index}`, start: index * 10, end: index * 10 + 9, headings: ['H'] });
const vec = (seed: number, dims: number) => Float32Array.from({ length: dims }, (_, i) => seed * 1000 + i);

/** Stores `count` embedded chunks of `doc` as ingest does (one batch), and its progress. */
async function embedded(doc: DocumentRecord, count: number, dims: number, embedderId = 'e1', per?: number) {
  const chunks = Array.from({ length: count }, (_, i) => chunk(i));
  const rows = batchRows(doc, embedderId, chunks, chunks.map((c) => vec(c.index + (doc.name === 'b' ? 500 : 0), dims)), per);
  await db.transaction('rw', [db.chunks, db.vectors, db.documents, db.knowledge], async () => {
    await db.chunks.bulkPut(rows.chunks);
    await db.vectors.bulkPut(rows.blocks);
    await db.documents.update(doc.id, { status: 'done', embedderId, progress: { done: count, total: count } });
    if (doc.knowledgeId) await db.knowledge.update(doc.knowledgeId, { embedderId, dims });
  });
  return rows;
}

const file = (s: string) => new Blob([s], { type: 'text/markdown' });

describe('knowledge bases', () => {
  it('create, rename and delete: deleting removes every document, source, chunk and vector of that base only', async () => {
    const k = await createKnowledge(db, { name: 'Notes', description: 'mine', now: 5 });
    expect(await db.knowledge.get(k.id)).toEqual({ id: k.id, name: 'Notes', description: 'mine', createdAt: 5, updatedAt: 5, embedderId: null, dims: null });
    await updateKnowledge(db, k.id, { name: 'Work notes' }, 9);
    expect(await db.knowledge.get(k.id)).toMatchObject({ name: 'Work notes', description: 'mine', updatedAt: 9 });

    const other = await createKnowledge(db, { name: 'Other' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: file('a'), name: 'a' })).document;
    const o = (await addDocument(db, { knowledgeId: other.id, file: file('o'), name: 'o' })).document;
    await embedded(a, 5, 8);
    await embedded(o, 3, 8);
    await deleteKnowledge(db, k.id);
    expect(await db.knowledge.get(k.id)).toBeUndefined();
    expect((await db.documents.toArray()).map((d) => d.id)).toEqual([o.id]);
    expect((await db.sources.toArray()).map((s) => s.documentId)).toEqual([o.id]);
    expect((await db.chunks.toArray()).every((c) => c.documentId === o.id)).toBe(true);
    expect(await db.chunks.count()).toBe(3);
    expect((await loadVectors(db, other.id, 'e1')).count).toBe(3);
    expect(await db.vectors.where('documentId').equals(a.id).count()).toBe(0);
  });
});

describe('documents', () => {
  it('adds a file as queued with its hash and bytes; the same bytes twice in one base are one document', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const first = await addDocument(db, { knowledgeId: k.id, file: file('hello'), name: 'a.md', now: 1 });
    expect(first.duplicate).toBe(false);
    expect(first.document).toMatchObject({ knowledgeId: k.id, name: 'a.md', mime: 'text/markdown', size: 5, status: 'queued', progress: { done: 0, total: 0 } });
    expect(first.document.sha256).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(await (await db.sources.get(first.document.id))!.file!.text()).toBe('hello');
    const again = await addDocument(db, { knowledgeId: k.id, file: file('hello'), name: 'copy.md' });
    expect(again).toMatchObject({ duplicate: true, document: { id: first.document.id, name: 'a.md' } });
    // Cancelled before: adding it again queues it again.
    await cancelDocument(db, first.document.id);
    expect((await addDocument(db, { knowledgeId: k.id, file: file('hello'), name: 'a.md' })).document.status).toBe('queued');
    // Another base, or no base (a message's file), is another document.
    const k2 = await createKnowledge(db, { name: 'K2' });
    expect((await addDocument(db, { knowledgeId: k2.id, file: file('hello'), name: 'a.md' })).duplicate).toBe(false);
    expect((await addDocument(db, { knowledgeId: null, chatId: 'c', file: file('hello'), name: 'a.md' })).document).toMatchObject({ knowledgeId: null, chatId: 'c' });
    expect(await db.documents.count()).toBe(3);
    await expect(addDocument(db, { knowledgeId: 'gone', file: file('x'), name: 'x' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('remove takes its chunks, vectors and source, and nothing of the other documents', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: file('a'), name: 'a' })).document;
    const b = (await addDocument(db, { knowledgeId: k.id, file: file('b'), name: 'b' })).document;
    await embedded(a, 4, 8);
    await embedded(b, 2, 8);
    await removeDocument(db, a.id);
    expect(await db.documents.get(a.id)).toBeUndefined();
    expect(await db.sources.get(a.id)).toBeUndefined();
    expect((await knowledgeChunks(db, k.id)).map((c) => c.id)).toEqual([chunkId(b.id, 0), chunkId(b.id, 1)]);
    expect((await loadVectors(db, k.id, 'e1')).documentIds).toEqual([b.id, b.id]);
  });

  it('unfinished documents are the queued and running ones, oldest first', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const ids: string[] = [];
    for (const [i, status] of (['embedding', 'done', 'queued', 'error', 'extracting', 'cancelled', 'chunking'] as const).entries()) {
      const d = (await addDocument(db, { knowledgeId: k.id, file: file(String(i)), name: String(i), now: 100 - i })).document;
      await db.documents.update(d.id, { status });
      ids.push(d.id);
    }
    expect((await unfinishedDocuments(db)).map((d) => d.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
  });
});

describe('records and their schemas', () => {
  it('what the store writes passes the border schemas, and a block of the wrong length does not', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: file('a'), name: 'a' })).document;
    const rows = await embedded(a, 5, 8);
    expect(knowledgeSchema.safeParse(await db.knowledge.get(k.id)).success).toBe(true);
    expect(documentSchema.safeParse(await db.documents.get(a.id)).success).toBe(true);
    expect(sourceSchema.safeParse(await db.sources.get(a.id)).success).toBe(true);
    for (const c of await db.chunks.toArray()) expect(chunkSchema.safeParse(c).success).toBe(true);
    for (const b of await db.vectors.toArray()) expect(vectorBlockSchema.safeParse(b).success).toBe(true);
    expect(vectorBlockSchema.safeParse({ ...rows.blocks[0]!, vectors: new Float32Array(7) }).success).toBe(false);
    expect(vectorBlockSchema.safeParse({ ...rows.blocks[0]!, vectors: Array.from(rows.blocks[0]!.vectors) }).success).toBe(false);
  });

  it("a chat's attached files go with the chat, a base's files stay", async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const kept = (await addDocument(db, { knowledgeId: k.id, file: file('k'), name: 'k' })).document;
    const att = (await addDocument(db, { knowledgeId: null, chatId: 'c1', file: file('x'), name: 'x' })).document;
    const other = (await addDocument(db, { knowledgeId: null, chatId: 'c2', file: file('y'), name: 'y' })).document;
    await embedded(att, 2, 8);
    await embedded(kept, 2, 8);
    await removeChatDocuments(db, 'c1');
    expect((await db.documents.toArray()).map((d) => d.id).sort()).toEqual([kept.id, other.id].sort());
    expect(await db.chunks.where('documentId').equals(att.id).count()).toBe(0);
    expect(await db.vectors.where('documentId').equals(att.id).count()).toBe(0);
    expect(await db.sources.get(att.id)).toBeUndefined();
    expect(await db.chunks.count()).toBe(2);
  });
});

describe('loading vectors for search', () => {
  it('gives one contiguous Float32Array in document then chunk order, with row ids, across many blocks and pages', async () => {
    const dims = 16; // 3 vectors per block: 300 chunks are 100 blocks per document, more than one page together
    const k = await createKnowledge(db, { name: 'K' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: file('a'), name: 'a' })).document;
    const b = (await addDocument(db, { knowledgeId: k.id, file: file('b'), name: 'b' })).document;
    await embedded(a, 300, dims, 'e1', 3);
    await embedded(b, 100, dims, 'e1', 3);
    expect(await db.vectors.count()).toBe(134);
    const set = await loadVectors(db, k.id, 'e1');
    expect(set).toMatchObject({ embedderId: 'e1', dims, count: 400 });
    expect(set.vectors).toBeInstanceOf(Float32Array);
    expect(set.vectors.length).toBe(400 * dims);
    const [first, second] = a.id < b.id ? [a, b] : [b, a];
    const order = [first, second].flatMap((d) => Array.from({ length: d === a ? 300 : 100 }, (_, i) => ({ d, i })));
    expect(set.chunkIds).toEqual(order.map(({ d, i }) => chunkId(d.id, i)));
    expect(set.documentIds).toEqual(order.map(({ d }) => d.id));
    for (const row of [0, 1, 150, 299, 300, 399]) {
      const { d, i } = order[row]!;
      expect(Array.from(set.vectors.subarray(row * dims, row * dims + 3))).toEqual(Array.from(vec(i + (d === b ? 500 : 0), dims).subarray(0, 3)));
    }
    // One document alone.
    expect(await loadDocumentVectors(db, b.id, 'e1')).toMatchObject({ count: 100, dims });
  });

  it('refuses another model, and stored vectors of another length; a query of the wrong model or length', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: file('a'), name: 'a' })).document;
    await embedded(a, 2, 8);
    await expect(loadVectors(db, k.id, 'e2')).rejects.toMatchObject({ kind: 'invalid', code: 'embedder_mismatch' });
    await expect(loadDocumentVectors(db, a.id, 'e2')).rejects.toMatchObject({ code: 'embedder_mismatch' });
    const set = await loadVectors(db, k.id, 'e1');
    expect(() => checkQuery(set, 'e1', new Float32Array(8))).not.toThrow();
    expect(() => checkQuery(set, 'e2', new Float32Array(8))).toThrow();
    expect(() => checkQuery(set, 'e1', new Float32Array(4))).toThrow();
    // A block of another length in the same key space (never written by ingest, but never mixed in either).
    const b = (await addDocument(db, { knowledgeId: k.id, file: file('b'), name: 'b' })).document;
    await db.vectors.put(batchRows(b, 'e1', [chunk(0)], [vec(0, 4)]).blocks[0]!);
    await expect(loadVectors(db, k.id, 'e1')).rejects.toMatchObject({ code: 'embedder_mismatch' });
  });

  it('a base with nothing embedded yet loads empty', async () => {
    const k = await createKnowledge(db, { name: 'K', embedderId: 'e1' });
    expect(await loadVectors(db, k.id, 'e1')).toMatchObject({ count: 0, chunkIds: [], vectors: new Float32Array(0) });
  });
});

describe('upgrade to version 7', () => {
  it('keeps what version 6 stored and adds the knowledge tables', async () => {
    const name = 'rag-upgrade';
    const v6 = new Dexie(name);
    v6.version(1).stores({ connections: 'id, kind, createdAt', chats: 'id, updatedAt, pinned, archived, folderId', messages: 'id, chatId, [chatId+createdAt], parentId, status', settings: 'key' });
    v6.version(2).stores({ modelCache: 'connectionId' });
    v6.version(3).stores({ prompts: 'id, &command, updatedAt' });
    v6.version(4).stores({ blobs: 'id, chatId, messageId' });
    v6.version(5).stores({ nodes: '[chatId+id]' });
    v6.version(6).stores({ folders: 'id, parentId, updatedAt', chats: 'id, updatedAt, pinned, archived, folderId, *tags' });
    await v6.table('chats').put({ id: 'c1', title: 'kept', tags: ['t'], updatedAt: 1 });
    await v6.table('settings').put({ key: 'theme', value: 'dark' });
    v6.close();
    const up = openDb(name);
    expect(await up.chats.get('c1')).toMatchObject({ title: 'kept' });
    expect(await up.settings.get('theme')).toEqual({ key: 'theme', value: 'dark' });
    expect(up.verno).toBeGreaterThanOrEqual(7);
    expect(up.tables.map((t) => t.name).sort()).toEqual(expect.arrayContaining(['chunks', 'documents', 'knowledge', 'sources', 'vectors']));
    const k = await createKnowledge(up, { name: 'after upgrade' });
    expect(await up.knowledge.get(k.id)).toMatchObject({ name: 'after upgrade' });
    await up.delete();
  });
});

describe('sha256', () => {
  it('the JavaScript fallback agrees with crypto.subtle, at block edges too', async () => {
    for (const len of [0, 1, 55, 56, 63, 64, 65, 1000, 70_000]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 31 + 7) & 255);
      const want = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      expect(Array.from(sha256(bytes))).toEqual(Array.from(want));
    }
    expect(await sha256Hex(new Blob(['abc']))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
