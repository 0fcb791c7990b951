import { describe, expect, it, vi } from 'vitest';
import { type RecordedRequest } from '../../e2e/couch-server/server';
import { localVersion } from '../../src/core/sync/apply';
import { decryptDoc, encryptVersion } from '../../src/core/sync/crypto';
import { formatHlc } from '../../src/core/sync/hlc';
import { SYNC_CHECKPOINT_KEY } from '../../src/core/sync/settings';
import { chat, message } from '../../src/core/sync/test-records';
import type { SyncDoc } from '../../src/core/sync/types';
import type { FetchPort } from './couch';
import { serverDocs } from './sync-test-devices';
import { useSyncServer } from './sync-test-server';

/** Pull asks for ids and revisions only and fetches just the documents this device does not hold at that revision. */

const env = useSyncServer();
const device = env.device.bind(env);

/** A fetch port that keeps every answer's body text, by request. */
function recordingFetch(): { fetch: FetchPort; answers: Array<{ method: string; url: string; body: string }> } {
  const answers: Array<{ method: string; url: string; body: string }> = [];
  return {
    answers,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      answers.push({ method: init.method ?? 'GET', url, body: await res.clone().text() });
      return res;
    },
  };
}

const route = (r: RecordedRequest): string => `${r.method} ${r.path.split('?')[0]}`;
/** A sealed document's body as the server sends it back: ciphertext and IV fields. */
const holdsBodies = (text: string): boolean => /"ct"\s*:/.test(text);

describe('pull fetches only what this device does not hold', () => {
  it('a device pulling after its own push downloads no document bodies (its pushes are not echoed back)', async () => {
    const rec = recordingFetch();
    const a = await device('a', { fetch: rec.fetch });
    await a.db.chats.bulkPut(Array.from({ length: 30 }, (_, i) => chat(`c${i}`)));
    await a.db.messages.bulkPut(Array.from({ length: 90 }, (_, i) => message(`m${i}`, `c${i % 30}`, { content: `message ${i} `.repeat(40) })));
    await a.loop.open();
    const before = env.server.requests.length;
    const answersBefore = rec.answers.length;
    const round = await a.loop.syncOnce();
    expect(round.push.pushed).toBe(120);
    expect(round.pull).toMatchObject({ pulled: 0, resolved: 0, skipped: [] });

    const requests = env.server.requests.slice(before);
    // Two pushes of up to 100, then the pull: one page of changes (ids and revisions), no document read, no _all_docs.
    expect(requests.map(route)).toEqual(['POST /parley/_bulk_docs', 'POST /parley/_bulk_docs', 'GET /parley/_changes', `PUT /parley/_local/parley-${a.deviceId}`]);
    const changes = requests.find((r) => r.path.includes('/_changes'))!;
    expect(changes.path).toContain('style=all_docs');
    expect(changes.path).not.toContain('include_docs');
    const pushedBytes = requests.filter((r) => route(r) === 'POST /parley/_bulk_docs').reduce((n, r) => n + (r.bytesIn ?? 0), 0);
    // 120 rows of id, seq and revision: a small part of what was pushed (bodies of 500+ characters).
    expect(changes.bytesOut ?? 0).toBeLessThan(pushedBytes / 4);
    const pulledAnswers = rec.answers.slice(answersBefore).filter((x) => x.url.includes('/_changes'));
    expect(pulledAnswers).toHaveLength(1);
    expect(holdsBodies(pulledAnswers[0]!.body)).toBe(false);
    expect(pulledAnswers[0]!.body).toContain('msg:m89');

    // Another round: nothing new, nothing fetched.
    const again = env.server.requests.length;
    await a.loop.syncOnce();
    expect(env.server.requests.slice(again).map(route)).toEqual(['GET /parley/_changes']);
  });

  it('a second device fetches the documents it lacks in one _all_docs request per batch', async () => {
    const a = await device('a');
    await a.db.chats.bulkPut(Array.from({ length: 12 }, (_, i) => chat(`c${String(i).padStart(2, '0')}`)));
    await a.loop.syncOnce();
    const b = await device('b', { pullBatch: 5 });
    const before = b.couch.stats();
    const from = env.server.requests.length;
    const round = await b.loop.syncOnce();
    expect(round.pull.pulled).toBe(12);
    // 13 changes (the meta document too) in pages of 5: three pages, each followed by the documents it lacks.
    const pulls = env.server.requests.slice(from).map(route).filter((p) => p.includes('_changes') || p.includes('_all_docs'));
    expect(pulls).toEqual(['GET /parley/_changes', 'POST /parley/_all_docs', 'GET /parley/_changes', 'POST /parley/_all_docs', 'GET /parley/_changes', 'POST /parley/_all_docs']);
    const after = b.couch.stats();
    expect(after.requests - before.requests).toBe(env.server.requests.slice(from).length);
    expect((await b.db.chats.toArray()).map((c) => c.id)).toEqual((await a.db.chats.toArray()).map((c) => c.id));
  });

  it('a CouchDB conflict where this device’s revision wins is still resolved, and nothing is lost', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    const key = await a.loop.open();
    const base = String((await serverDocs(env.server)).find((d) => d._id === 'chat:c1')!._rev);
    await a.db.chats.update('c1', { title: 'From A' });
    await a.loop.syncOnce();
    const ours = (await a.db.syncState.get('chat:c1'))!.rev!;
    expect(ours).toMatch(/^2-/);
    expect(ours).not.toBe('2-00000000000000000000000000000000');

    // Another writer's revision of the same parent, by replication (new_edits=false), with the
    // lowest possible hash: it loses, so A's revision stays the winner and A's state matches it.
    const v = (await localVersion(a.db, 'chat:c1', { includeKeys: false }))!.version;
    const theirs = { ...v, fields: { ...v.fields, title: { ...v.fields.title!, v: 'Chat c1' }, pinned: { h: formatHlc(Date.now() + 60_000, 0, 'other'), v: true } } };
    const sealed = await encryptVersion(key, theirs);
    const res = await fetch(`${env.server.url}/parley/_bulk_docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ new_edits: false, docs: [{ ...sealed, _rev: '2-00000000000000000000000000000000', _revisions: { start: 2, ids: ['00000000000000000000000000000000', base.slice(2)] } }] }),
    });
    expect(res.status).toBe(201);
    const conflicted = (await serverDocs(env.server)).find((d) => d._id === 'chat:c1')!;
    expect(conflicted._rev).toBe(ours);
    expect(conflicted._conflicts).toEqual(['2-00000000000000000000000000000000']);

    // A's pull sees both leaves of chat:c1 (its own is the winner), merges them and removes the loser.
    const round = await a.loop.syncOnce();
    expect(round.pull.resolved).toBe(1);
    const after = (await serverDocs(env.server)).find((d) => d._id === 'chat:c1')!;
    expect(after._conflicts).toBeUndefined();
    const merged = await decryptDoc(key, after as unknown as SyncDoc);
    expect(merged.fields.title?.v).toBe('From A');
    expect(merged.fields.pinned?.v).toBe(true);
    expect(await a.db.chats.get('c1')).toMatchObject({ title: 'From A', pinned: true });
    expect((await a.db.syncState.get('chat:c1'))?.rev).toBe(after._rev);

    // The resolved document lists the deleted loser as a leaf too: fetched once more, then quiet.
    await a.loop.syncOnce();
    const quiet = env.server.requests.length;
    await a.loop.syncOnce();
    expect(env.server.requests.slice(quiet).map(route)).toEqual(['GET /parley/_changes']);
    await b.loop.syncOnce();
    expect(await b.db.chats.get('c1')).toMatchObject({ title: 'From A', pinned: true });
    expect((await serverDocs(env.server)).find((d) => d._id === 'chat:c1')?._rev).toBe(after._rev);
  });

  it('one new message: 3 requests to push it, 3 for the other device to pull it', async () => {
    const a = await device('a');
    const b = await device('b');
    await a.db.chats.put(chat('c1'));
    await a.loop.syncOnce();
    await b.loop.syncOnce();

    await a.db.messages.put(message('m1', 'c1'));
    const pushFrom = env.server.requests.length;
    await a.loop.syncOnce();
    expect(env.server.requests.slice(pushFrom).map(route)).toEqual(['POST /parley/_bulk_docs', 'GET /parley/_changes', `PUT /parley/_local/parley-${a.deviceId}`]);
    const pullFrom = env.server.requests.length;
    await b.loop.syncOnce();
    const pulled = env.server.requests.slice(pullFrom);
    expect(pulled.map(route)).toEqual(['GET /parley/_changes', 'POST /parley/_all_docs', `PUT /parley/_local/parley-${b.deviceId}`]);
    expect(pulled[1]?.bytesIn).toBe(JSON.stringify({ keys: ['msg:m1'] }).length);
    expect(await b.db.messages.get('m1')).toMatchObject({ content: 'text m1' });
  });

  it('live: a device’s longpoll brings its own pushes back as revisions only, and fetches nothing', async () => {
    const rec = recordingFetch();
    const a = await device('a', { live: true, fetch: rec.fetch });
    await a.loop.syncOnce();
    a.loop.startLive();
    for (const id of ['c1', 'c2', 'c3']) {
      await a.db.chats.put(chat(id));
      await vi.waitFor(async () => expect(await a.db.syncOutbox.count()).toBe(0), { timeout: 15_000, interval: 20 });
    }
    // The checkpoint reaches the server's last change: the longpoll saw the echoes and applied (skipped) them.
    const info = (await (await fetch(`${env.server.url}/parley`)).json()) as { update_seq: number };
    await vi.waitFor(async () => expect(((await a.db.settings.get(SYNC_CHECKPOINT_KEY))?.value as { seq: unknown } | undefined)?.seq).toBe(info.update_seq), { timeout: 15_000, interval: 20 });
    await a.loop.stop();
    expect(rec.answers.filter((x) => x.url.includes('_all_docs'))).toEqual([]);
    const changes = rec.answers.filter((x) => x.url.includes('/_changes'));
    expect(changes.some((x) => x.url.includes('feed=longpoll') && x.body.includes('chat:c'))).toBe(true);
    expect(changes.filter((x) => holdsBodies(x.body))).toEqual([]);
  });
});
