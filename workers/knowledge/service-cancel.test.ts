import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors';
import { fakeFetch } from '../../src/core/providers/test-fetch';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { testConnection } from '../../src/core/storage/test-connection';
import { createEmbedService } from '../embed/service';
import { createKnowledgeService, type KnowledgeService } from './service';

/**
 * The knowledge service over the real embed service with an OpenAI-compatible server that can
 * stop answering: cancelling (or removing) the document whose request hangs aborts that request,
 * and the next document and searches go on; a request past the timeout fails the document with a
 * message that says so.
 */

const GARDEN = '# Garden\n\nTomatoes need full sun and regular watering. Pinch the side shoots of tomatoes weekly.';
const SPACE = '# Space\n\nThe Voyager probes left the heliosphere. Voyager 1 crossed it in 2012 at 121 astronomical units.';

/** The server: answers bag-of-letters vectors, or (hanging) never answers; records each request's signal. */
function server() {
  const state = { hanging: false, signals: [] as AbortSignal[] };
  const { fetch, calls } = fakeFetch((_url, init) => {
    state.signals.push(init.signal!);
    if (state.hanging) {
      return new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError'))));
    }
    const input = (JSON.parse(String(init.body)) as { input: string[] }).input;
    const vector = (t: string) => [...'aeiourst'].map((c) => t.split(c).length);
    return new Response(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: vector(t.toLowerCase()) })) }), { headers: { 'content-type': 'application/json' } });
  });
  return { state, fetch, calls };
}

let db: ParleyDb;
let http: ReturnType<typeof server>;
let n = 0;

function knowledge(remoteTimeoutMs?: number): KnowledgeService {
  const embed = createEmbedService({
    transformers: () => Promise.reject(new Error('not in this test')),
    caches: { open: () => Promise.reject(new Error('no caches in this test')) },
    wasmPaths: '/assets/',
    hasWebGPU: async () => false,
    fetch: http.fetch,
    ...(remoteTimeoutMs !== undefined ? { remoteTimeoutMs } : {}),
  });
  return createKnowledgeService({ db, embed, extractors: {}, appOrigin: 'http://app.test' });
}

beforeEach(async () => {
  db = openDb(`test-knowledge-cancel-${n++}`);
  await db.open();
  await db.connections.put(testConnection({ id: 'c', url: 'http://127.0.0.1:9/v1' }));
  http = server();
});
afterEach(async () => {
  await db.delete();
});

const file = (name: string, text: string) => new File([text], name, { type: 'text/markdown' });
const idOf = (r: { ok: boolean; documentId?: string } | undefined) => (r?.ok ? r.documentId! : '');

async function setup(svc: KnowledgeService) {
  expect(isAppError(await svc.setSettings({ engine: 'openai', connectionId: 'c', model: 'e', chunkSize: 200, chunkOverlap: 20 }))).toBe(false);
  return svc.createKnowledge({ name: 'K' });
}

describe('knowledge service: an embedding server that stops answering', () => {
  it('cancel aborts the hanging request: the document is cancelled, the next file is indexed, search answers', async () => {
    const svc = knowledge();
    const k = await setup(svc);
    http.state.hanging = true;
    const hung = idOf((await svc.addFiles(k.id, [file('garden.md', GARDEN)]))[0]);
    await expect.poll(() => http.state.signals.length).toBe(1);
    await svc.cancelDocument(hung);
    await svc.idle();
    expect((await db.documents.get(hung))!.status).toBe('cancelled');
    expect(http.state.signals[0]!.aborted).toBe(true);

    // The embed service's queue is free again: without the abort this request would wait forever.
    http.state.hanging = false;
    const next = idOf((await svc.addFiles(k.id, [file('space.md', SPACE)]))[0]);
    await svc.idle();
    expect((await db.documents.get(next))!.status).toBe('done');
    const r = await svc.search('Voyager heliosphere', { knowledgeIds: [k.id] });
    expect(!isAppError(r) && r.note).toBeFalsy();
    expect(!isAppError(r) && r.hits[0]?.docName).toBe('space.md');
  });

  it('removing the document whose request hangs aborts it too, without cancelling anything else', async () => {
    const svc = knowledge();
    const k = await setup(svc);
    http.state.hanging = true;
    const hung = idOf((await svc.addFiles(k.id, [file('garden.md', GARDEN)]))[0]);
    await expect.poll(() => http.state.signals.length).toBe(1);
    await svc.removeDocument(hung);
    await svc.idle();
    expect(http.state.signals[0]!.aborted).toBe(true);
    expect(await db.documents.get(hung)).toBeUndefined();
    http.state.hanging = false;
    const next = idOf((await svc.addFiles(k.id, [file('space.md', SPACE)]))[0]);
    await svc.idle();
    expect((await db.documents.get(next))!.status).toBe('done');
  });

  it('a request past the timeout fails the document with a message that says so; retry indexes it', async () => {
    const svc = knowledge(30);
    const k = await setup(svc);
    http.state.hanging = true;
    const id = idOf((await svc.addFiles(k.id, [file('garden.md', GARDEN)]))[0]);
    await svc.idle();
    const failed = await db.documents.get(id);
    expect(failed).toMatchObject({ status: 'error', error: { kind: 'timeout', message: expect.stringMatching(/^The embedding server did not answer within 30 ms/) } });
    expect(http.state.signals[0]!.aborted).toBe(true);
    http.state.hanging = false;
    await svc.retryDocument(id);
    await svc.idle();
    expect((await db.documents.get(id))!.status).toBe('done');
  });
});
