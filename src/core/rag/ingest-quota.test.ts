import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { addDocument, createKnowledge, documentChunks, loadVectors, retryDocument } from './store';
import { ingest, STORAGE_FULL_INGEST, type IngestPorts } from './ingest';
import { isQuotaError } from '../errors';
import { EXPECTED, FakeEmbedder, OPTS, simpleChunk, TEXT } from './test-fakes';

/**
 * A disk that fills up mid-run. fake-indexeddb has no quota, so `put`/`add` throw the browser's
 * QuotaExceededError while `full` names the stores that are refused ('*' for all).
 */
let full: Set<string> = new Set();
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
const proto = IDBObjectStore.prototype as unknown as Record<'put' | 'add', (this: IDBObjectStore, ...a: unknown[]) => unknown>;
const original = { put: proto.put, add: proto.add };
for (const name of ['put', 'add'] as const) {
  proto[name] = function (this: IDBObjectStore, ...args: unknown[]) {
    if (full.has('*') || full.has(this.name)) throw quota();
    return original[name].apply(this, args);
  };
}

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  full = new Set();
  db = openDb(`test-ingest-quota-${n++}`);
  await db.open();
});
afterEach(async () => {
  full = new Set();
  await db.delete();
});

const ports = (e: FakeEmbedder): IngestPorts => ({ extract: async (_d, f) => ({ text: await f!.text() }), chunk: simpleChunk, chunkOptions: OPTS, embedder: e });

async function setup() {
  const k = await createKnowledge(db, { name: 'K' });
  const { document } = await addDocument(db, { knowledgeId: k.id, file: new Blob([TEXT]), name: 'a.txt' });
  return { k, doc: document };
}

describe('storage full during ingestion', () => {
  it('marks the document failed with the storage message; earlier batches stay whole and searchable; retry continues', async () => {
    const { k, doc } = await setup();
    const e = new FakeEmbedder();
    e.hook = (i) => {
      if (i === 2) full = new Set(['vectors']); // the third batch's vectors do not fit
    };
    const end = await ingest(db, doc.id, ports(e));
    expect(end).toMatchObject({ status: 'error', error: { kind: 'storage', message: STORAGE_FULL_INGEST, code: 'QuotaExceededError' }, progress: { done: 6, total: EXPECTED } });
    // The refused batch left nothing: its chunk rows went with the transaction.
    expect((await documentChunks(db, doc.id)).map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await loadVectors(db, k.id, 'fake:a')).count).toBe(6);

    full = new Set();
    await retryDocument(db, doc.id);
    const e2 = new FakeEmbedder();
    expect(await ingest(db, doc.id, ports(e2))).toMatchObject({ status: 'done', progress: { done: EXPECTED } });
    expect(e2.calls.flat()).toEqual(simpleChunk({ text: TEXT }, OPTS).slice(6).map((c) => c.text));
    expect((await loadVectors(db, k.id, 'fake:a')).count).toBe(EXPECTED);
  });

  it('when not even the error can be written, the document stays unfinished at its last whole batch', async () => {
    const { doc } = await setup();
    const e = new FakeEmbedder();
    e.hook = (i) => {
      if (i === 1) full = new Set(['*']);
    };
    await ingest(db, doc.id, ports(e));
    full = new Set();
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'embedding', progress: { done: 3 } });
    expect((await documentChunks(db, doc.id)).length).toBe(3);
  });

  it('a file too big to store is refused as storage full, leaving nothing', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    full = new Set(['sources']);
    const err = await addDocument(db, { knowledgeId: k.id, file: new Blob([TEXT]), name: 'big.txt' }).catch((x: unknown) => x);
    full = new Set();
    expect(isQuotaError(err)).toBe(true);
    expect(await db.documents.count()).toBe(0);
  });
});
