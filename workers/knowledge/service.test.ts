import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import type { KnowledgeProgress, SearchResult } from './api';
import { createKnowledgeService, EXTRACTED_MIME, type KnowledgeService } from './service';
import { FakeEmbedService } from './test-fakes';

const GARDEN = '# Garden\n\nTomatoes need full sun and regular watering. Pinch the side shoots of tomatoes weekly.';
const SPACE = '# Space\n\nThe Voyager probes left the heliosphere. Voyager 1 crossed it in 2012 at 121 astronomical units.';
const FILLER = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} talks about bread, flour, yeast and ovens at length.`).join('\n\n');

let db: ParleyDb;
let embed: FakeEmbedService;
let svc: KnowledgeService;
let events: KnowledgeProgress[];
let n = 0;

beforeEach(async () => {
  db = openDb(`test-knowledge-service-${n++}`);
  await db.open();
  embed = new FakeEmbedService();
  events = [];
  svc = createKnowledgeService({ db, embed, extractors: {}, appOrigin: 'http://app.test' });
  await svc.setSettings({ model: 'tiny', chunkSize: 200, chunkOverlap: 20 });
  await svc.subscribe((p) => events.push(p));
});
afterEach(async () => {
  await svc.idle();
  await db.delete();
});

const file = (name: string, text: string, type = 'text/markdown') => new File([text], name, { type });
const ok = (r: SearchResult | { kind: string }): SearchResult => {
  if (isAppError(r)) throw new Error(r.message);
  return r as SearchResult;
};

describe('knowledge service', () => {
  it('ingests files in the background and finds the passage that answers, with its document name', async () => {
    const k = await svc.createKnowledge({ name: 'Notes' });
    const added = await svc.addFiles(k.id, [file('garden.md', GARDEN), { name: 'space.html', text: SPACE }]);
    expect(added.map((a) => a.ok)).toEqual([true, true]);
    await svc.idle();
    const docs = await db.documents.where('knowledgeId').equals(k.id).toArray();
    expect(docs.map((d) => d.status)).toEqual(['done', 'done']);
    expect(docs.find((d) => d.name === 'space.html')!.mime).toBe(EXTRACTED_MIME);
    expect((await db.knowledge.get(k.id))!.embedderId).toBe('local:tiny');
    // Progress went queued → … → done for each, with counts.
    const garden = added[0]!.ok ? added[0]!.documentId : '';
    const mine = events.filter((e) => e.documentId === garden);
    expect(mine[0]!.status).toBe('queued');
    expect(mine.at(-1)).toMatchObject({ status: 'done', knowledgeId: k.id });
    expect(mine.at(-1)!.done).toBe(mine.at(-1)!.total);

    const r = ok(await svc.search('When did Voyager cross the heliosphere?', { knowledgeIds: [k.id], topK: 1 }));
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]).toMatchObject({ n: 1, docName: 'space.html', knowledgeId: k.id });
    expect(r.hits[0]!.text).toContain('2012');
    expect(r.hits[0]!.cosine).toBeGreaterThan(0);
    expect(r.note).toBeUndefined();
  });

  it('refuses empty and unsupported files before storing them, and stores the same bytes once', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    const r = await svc.addFiles(k.id, [file('empty.txt', ''), file('photo.png', '\x89PNG\r\n\x1a\n....', 'image/png'), file('a.md', GARDEN), file('again.md', GARDEN)]);
    expect(r.map((x) => x.ok)).toEqual([false, false, true, true]);
    expect(r[0]!.ok ? '' : r[0]!.error.message).toMatch(/empty/i);
    expect(r[3]).toMatchObject({ ok: true, duplicate: true });
    expect(await db.documents.count()).toBe(1);
  });

  it('a file attached to a message belongs to the chat and is listed on the message', async () => {
    await db.messages.add({ id: 'm1', chatId: 'c1', parentId: null, role: 'user', content: 'q', reasoning: '', refusal: '', model: '', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: null, usage: null, metrics: null, attachments: [], createdAt: 1, updatedAt: 1 });
    const [r] = await svc.addFiles({ chatId: 'c1', messageId: 'm1' }, [file('garden.md', GARDEN)]);
    expect(r!.ok).toBe(true);
    const id = r!.ok ? r!.documentId : '';
    expect((await db.documents.get(id))).toMatchObject({ knowledgeId: null, chatId: 'c1' });
    expect((await db.messages.get('m1'))!.files).toEqual([{ documentId: id, name: 'garden.md', size: GARDEN.length }]);
    await svc.idle();
    const hit = ok(await svc.search('tomatoes sun', { documentIds: [id] })).hits[0];
    expect(hit?.documentId).toBe(id);
  });

  it('context: a short attachment goes in whole, a long one and the bases are retrieved from, numbered after it', async () => {
    await svc.setSettings({ fullContextChars: 500, topK: 2 });
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    const [short, long] = await svc.addFiles({ chatId: 'c1' }, [file('garden.md', GARDEN), file('bread.md', FILLER + '\n\nThe oven must reach 250 degrees for baguettes.')]);
    await svc.idle();
    const shortId = short!.ok ? short!.documentId : '';
    const longId = long!.ok ? long!.documentId : '';
    const c = await svc.context({ query: 'how hot must the oven be for baguettes', knowledgeIds: [k.id], documentIds: [shortId, longId] });
    expect(c.note).toBeUndefined();
    expect(c.sources[0]).toMatchObject({ n: 1, documentId: shortId, chunkId: '', text: GARDEN });
    expect(c.sources.map((s) => s.n)).toEqual([1, 2, 3]);
    expect(c.sources[1]).toMatchObject({ documentId: longId });
    expect(c.sources[1]!.text).toContain('250 degrees');
    expect(c.sources[1]!.chunkId).toMatch(new RegExp(`^${longId}:`));
  });

  it('a failing embedding model leaves documents queued, then keyword search with a note; reindexAll moves bases to the new model', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE), file('garden.md', GARDEN)]);
    await svc.idle();

    const state = await svc.setSettings({ model: 'broken' });
    expect(isAppError(state)).toBe(false);
    expect(!isAppError(state) && state.staleKnowledgeIds).toEqual([k.id]);
    const r = ok(await svc.search('Voyager heliosphere', { knowledgeIds: [k.id] }));
    expect(r.note).toMatch(/not available.*keyword search only/);
    expect(r.hits[0]!.docName).toBe('space.md');
    expect(r.hits[0]!.cosine).toBeUndefined();

    const [added] = await svc.addFiles(k.id, [file('more.md', 'More about tomatoes.')]);
    await svc.idle();
    const waiting = await db.documents.get(added!.ok ? added!.documentId : '');
    expect(waiting!.status).toBe('queued');
    expect((await svc.embedderState()).error?.message).toMatch(/could not be downloaded/);

    await svc.setSettings({ model: 'small' });
    expect(isAppError(await svc.reindexAll())).toBe(false);
    await svc.idle();
    expect((await db.knowledge.get(k.id))!.embedderId).toBe('local:small');
    expect((await db.documents.where('knowledgeId').equals(k.id).toArray()).map((d) => d.status)).toEqual(['done', 'done', 'done']);
    const again = ok(await svc.search('Voyager heliosphere', { knowledgeIds: [k.id] }));
    expect(again.note).toBeUndefined();
    expect(again.hits[0]!.cosine).toBeGreaterThan(0);
    expect((await svc.embedderState()).staleKnowledgeIds).toEqual([]);
  });

  it('a base indexed with another model answers by keywords and says why', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    await svc.idle();
    await svc.setSettings({ model: 'other' });
    const r = ok(await svc.search('Voyager', { knowledgeIds: [k.id] }));
    expect(r.hits).toHaveLength(1);
    expect(r.note).toMatch(/indexed with local:tiny, not local:other/);
    // A file added now waits for the re-index instead of mixing models (or failing).
    const [added] = await svc.addFiles(k.id, [file('garden.md', GARDEN)]);
    await svc.idle();
    expect((await db.documents.get(added!.ok ? added!.documentId : ''))!.status).toBe('queued');
    expect((await svc.embedderState()).staleKnowledgeIds).toEqual([k.id]);
  });

  it('a base whose files wait for a model searches by keywords without a note about vectors', async () => {
    await svc.setSettings({ model: 'broken' });
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    await svc.idle();
    const r = ok(await svc.search('Voyager', { knowledgeIds: [k.id] }));
    expect(r.hits).toHaveLength(0);
    expect(r.note).toMatch(/not available/);
    expect(r.note).not.toMatch(/indexed with/);
  });

  it('sees documents added after the index was loaded (the cache checks what is stored)', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('garden.md', GARDEN)]);
    await svc.idle();
    expect(ok(await svc.search('Voyager heliosphere', { knowledgeIds: [k.id], hybridWeight: 0 })).hits).toHaveLength(0);
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    await svc.idle();
    expect(ok(await svc.search('Voyager heliosphere', { knowledgeIds: [k.id], hybridWeight: 0 })).hits[0]?.docName).toBe('space.md');
  });

  it('cancel stops a running document (cancelled, no chunks); reindex runs it again; remove takes it away', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    let release!: () => void;
    embed.gate = new Promise((r) => (release = r));
    const [r] = await svc.addFiles(k.id, [file('bread.md', FILLER)]);
    const id = r!.ok ? r!.documentId : '';
    while (embed.embedCalls === 0) await new Promise((res) => setTimeout(res, 5));
    await svc.cancelDocument(id);
    release();
    await svc.idle();
    expect((await db.documents.get(id))!.status).toBe('cancelled');
    expect(await db.chunks.where('documentId').equals(id).count()).toBe(0);
    embed.gate = undefined;

    await svc.reindexDocument(id);
    await svc.idle();
    expect((await db.documents.get(id))!.status).toBe('done');
    expect(await db.chunks.where('documentId').equals(id).count()).toBeGreaterThan(1);

    await svc.removeDocument(id);
    expect(await db.documents.get(id)).toBeUndefined();
    expect(await db.chunks.where('documentId').equals(id).count()).toBe(0);
    expect(events.at(-1)).toMatchObject({ documentId: id, status: 'cancelled' });
  });

  it('resumes unfinished documents on start', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    // Stored by an earlier tab that closed before ingesting: a second service over the same db picks it up.
    const { addDocument } = await import('../../src/core/rag/store');
    const { document } = await addDocument(db, { knowledgeId: k.id, file: new Blob([SPACE], { type: 'text/markdown' }), name: 'space.md' });
    const other = createKnowledgeService({ db, embed, extractors: {}, appOrigin: '' });
    await other.resume();
    expect((await db.documents.get(document.id))!.status).toBe('done');
    await other.idle();
  });

  it('a question the embedder does not answer in time is searched by keywords, with a note', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE), file('garden.md', GARDEN)]);
    await svc.idle();
    const quick = createKnowledgeService({ db, embed, extractors: {}, appOrigin: '', queryTimeoutMs: 20 });
    embed.gate = new Promise(() => undefined); // e.g. a server that stopped answering
    const r = ok(await quick.search('Voyager heliosphere', { knowledgeIds: [k.id] }));
    expect(r.note).toMatch(/no answer from the embedding model.*keyword search only/);
    expect(r.hits[0]!.docName).toBe('space.md');
    // The question's request is cancelled, so it does not hold the embedding queue.
    await expect.poll(() => embed.cancelled.length).toBe(1);
    embed.gate = undefined;
  });

  it('refuses bad settings with the key named', async () => {
    const r = await svc.setSettings({ topK: 0 });
    expect(isAppError(r) && r.message).toMatch(/topK/);
    expect((await svc.getSettings()).topK).toBe(5);
  });
});
