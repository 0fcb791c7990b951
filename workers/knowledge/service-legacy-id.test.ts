import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors';
import type { ParleyDb } from '../../src/core/storage/db';
import { openDb } from '../../src/core/storage/db';
import type { SearchResult } from './api';
import { createKnowledgeService, type KnowledgeService } from './service';
import { FakeEmbedService } from './test-fakes';

/**
 * In-browser embedder ids no longer name the weights type (`local:<model>`, not
 * `local:<model>:fp32`): fp32 and q8 weights give vectors in the same space. Bases an earlier
 * version indexed keep their stored ids (and vector keys); they must stay searchable by meaning,
 * take new files without a re-index, and never be offered one.
 */

const GARDEN = '# Garden\n\nTomatoes need full sun and regular watering. Pinch the side shoots of tomatoes weekly.';
const SPACE = '# Space\n\nThe Voyager probes left the heliosphere. Voyager 1 crossed it in 2012 at 121 astronomical units.';

let db: ParleyDb;
let svc: KnowledgeService;
let n = 0;

beforeEach(async () => {
  db = openDb(`test-knowledge-legacy-${n++}`);
  await db.open();
  svc = createKnowledgeService({ db, embed: new FakeEmbedService(), extractors: {}, appOrigin: 'http://app.test' });
  await svc.setSettings({ model: 'tiny', chunkSize: 200, chunkOverlap: 20 });
});
afterEach(async () => {
  await svc.idle();
  await db.delete();
});

const file = (name: string, text: string) => new File([text], name, { type: 'text/markdown' });
const ok = (r: SearchResult | { kind: string }): SearchResult => {
  if (isAppError(r)) throw new Error(r.message);
  return r as SearchResult;
};

/** Rewrites what was stored under `local:tiny` as an earlier version stored it: `local:tiny:fp32` everywhere, vector keys too. */
async function asEarlierVersion(db: ParleyDb, legacy: string): Promise<void> {
  await db.transaction('rw', [db.knowledge, db.documents, db.vectors], async () => {
    await db.knowledge.toCollection().modify({ embedderId: legacy });
    await db.documents.toCollection().modify({ embedderId: legacy });
    const blocks = await db.vectors.toArray();
    await db.vectors.clear();
    await db.vectors.bulkPut(blocks.map((b) => ({ ...b, embedderId: legacy })));
  });
}

describe('knowledge indexed by an earlier version (weights type in the id)', () => {
  it('is not stale, is searched by meaning (again after more files), and new files go under its id', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    await svc.idle();
    expect((await db.knowledge.get(k.id))!.embedderId).toBe('local:tiny');
    await asEarlierVersion(db, 'local:tiny:fp32');
    const fresh = createKnowledgeService({ db, embed: new FakeEmbedService(), extractors: {}, appOrigin: 'http://app.test' });

    expect((await fresh.embedderState()).staleKnowledgeIds).toEqual([]);
    const first = ok(await fresh.search('Voyager heliosphere', { knowledgeIds: [k.id] }));
    expect(first.note).toBeUndefined();
    expect(first.hits[0]).toMatchObject({ docName: 'space.md', cosine: expect.any(Number) });

    // A file added now is embedded (not left waiting for a re-index), under the base's stored id.
    const [added] = await fresh.addFiles(k.id, [file('garden.md', GARDEN)]);
    await fresh.idle();
    const doc = await db.documents.get(added!.ok ? added!.documentId : '');
    expect(doc).toMatchObject({ status: 'done', embedderId: 'local:tiny:fp32' });
    expect(new Set((await db.vectors.toArray()).map((b) => b.embedderId))).toEqual(new Set(['local:tiny:fp32']));

    // Both files by meaning, also on a search that reuses what the first one loaded.
    for (const [q, name] of [['tomatoes sun', 'garden.md'], ['Voyager heliosphere', 'space.md'], ['tomatoes sun', 'garden.md']] as const) {
      const r = ok(await fresh.search(q, { knowledgeIds: [k.id] }));
      expect(r.note).toBeUndefined();
      expect(r.hits[0]).toMatchObject({ docName: name, cosine: expect.any(Number) });
    }
    // Re-indexing everything for the same model changes nothing.
    expect(isAppError(await fresh.reindexAll())).toBe(false);
    await fresh.idle();
    expect((await db.knowledge.get(k.id))!.embedderId).toBe('local:tiny:fp32');
    expect((await db.documents.toArray()).map((d) => d.status)).toEqual(['done', 'done']);
  });

  it('a file attached to a chat, indexed by an earlier version, is searched by meaning', async () => {
    const [r] = await svc.addFiles({ chatId: 'c1' }, [file('space.md', SPACE)]);
    await svc.idle();
    await asEarlierVersion(db, 'local:tiny:q8');
    const id = r!.ok ? r!.documentId : '';
    const hit = ok(await svc.search('Voyager heliosphere', { documentIds: [id] })).hits[0];
    expect(hit).toMatchObject({ docName: 'space.md', cosine: expect.any(Number) });
  });

  it('a base of another model is still stale and searched by keywords only', async () => {
    const k = await svc.createKnowledge({ name: 'K' });
    await svc.addFiles(k.id, [file('space.md', SPACE)]);
    await svc.idle();
    await asEarlierVersion(db, 'local:other:fp32');
    expect((await svc.embedderState()).staleKnowledgeIds).toEqual([k.id]);
    const r = ok(await svc.search('Voyager heliosphere', { knowledgeIds: [k.id] }));
    expect(r.note).toMatch(/indexed with local:other:fp32/);
    expect(r.hits[0]!.cosine).toBeUndefined();
  });
});
