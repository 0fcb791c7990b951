import { afterEach, describe, expect, it } from 'vitest';
import { startCouchServer, type CouchServer } from '../../e2e/couch-server/server';
import { createCouch, type CouchOptions } from './couch';
import { SyncError } from './sync-error';

let server: CouchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const realFetch = (url: string, init: RequestInit) => fetch(url, init);

async function setup(extra: Partial<CouchOptions> & { auth?: { user: string; password: string } } = {}) {
  server = await startCouchServer(extra.auth ? { auth: extra.auth } : {});
  const couch = createCouch({ url: `${server.url}/`, db: 'parley', fetch: realFetch, ...extra });
  return { server, couch };
}

async function caught(p: Promise<unknown>): Promise<SyncError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(err)}`);
  return err;
}

describe('couch client', () => {
  it('ensureDb creates the database once, then finds it', async () => {
    const { server, couch } = await setup();
    await couch.ensureDb();
    await couch.ensureDb();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /parley', 'PUT /parley', 'GET /parley']);
    expect(couch.stats().requests).toBe(3);
  });

  it('sends Basic credentials; wrong ones are an auth error naming the server', async () => {
    const auth = { user: 'ana', password: 'pässwörd' };
    const { server, couch } = await setup({ auth, username: 'ana', password: 'pässwörd' });
    await couch.ensureDb();
    const wrong = createCouch({ url: server.url, db: 'parley', username: 'ana', password: 'nope', fetch: realFetch });
    const err = await caught(wrong.ensureDb());
    expect(err.kind).toBe('auth');
    expect(err.status).toBe(401);
    expect(err.message).toContain(`127.0.0.1:${server.port}`);
    expect(err.message).toMatch(/username or password/);
  });

  it('a server that cannot be reached is cors-or-offline, in words', async () => {
    const { server, couch } = await setup();
    await server.stop();
    const err = await caught(couch.ensureDb());
    expect(err.kind).toBe('cors-or-offline');
    expect(err.message).toMatch(/Could not reach the sync server at 127\.0\.0\.1:\d+/);
    expect(err.transient).toBe(true);
  });

  it('getDoc: null when missing or deleted, the winner with its conflicts, or a given revision', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    expect(await couch.getDoc('chat:1')).toBeNull();
    const [first] = await couch.bulkDocs([{ _id: 'chat:1', v: 'base' }]);
    if (!first || !('ok' in first)) throw new Error('write failed');
    const hash = first.rev.slice(2);
    await couch.bulkDocs(
      [
        { _id: 'chat:1', _rev: '2-aaa', v: 'left', _revisions: { start: 2, ids: ['aaa', hash] } },
        { _id: 'chat:1', _rev: '2-bbb', v: 'right', _revisions: { start: 2, ids: ['bbb', hash] } },
      ],
      { newEdits: false },
    );
    expect(await couch.getDoc('chat:1', { conflicts: true })).toEqual({ _id: 'chat:1', _rev: '2-bbb', v: 'right', _conflicts: ['2-aaa'] });
    expect(await couch.getDoc('chat:1', { rev: '2-aaa' })).toMatchObject({ v: 'left' });

    const removed = await couch.removeRevs('chat:1', ['2-aaa']);
    expect(removed).toEqual([expect.objectContaining({ id: 'chat:1', ok: true })]);
    expect(await couch.getDoc('chat:1', { conflicts: true })).toEqual({ _id: 'chat:1', _rev: '2-bbb', v: 'right' });
    await couch.removeRevs('chat:1', ['2-bbb']);
    expect(await couch.getDoc('chat:1')).toBeNull();
  });

  it('getDocs: one request, one entry per id in order — winners with their conflicts, null for deleted or missing', async () => {
    const { server, couch } = await setup();
    await couch.ensureDb();
    expect(await couch.getDocs([])).toEqual([]);
    const written = await couch.bulkDocs([
      { _id: 'chat:1', v: 'base' },
      { _id: 'chat:2', v: 'two' },
      { _id: 'chat:3', v: 'gone' },
    ]);
    const revs = written.map((w) => ('ok' in w ? w.rev : ''));
    await couch.bulkDocs([{ _id: 'chat:1', _rev: '2-bbb', v: 'right', _revisions: { start: 2, ids: ['bbb', revs[0]!.slice(2)] } }], { newEdits: false });
    await couch.bulkDocs([{ _id: 'chat:1', _rev: '2-aaa', v: 'left', _revisions: { start: 2, ids: ['aaa', revs[0]!.slice(2)] } }], { newEdits: false });
    await couch.removeRevs('chat:3', [revs[2]!]);

    const before = couch.stats();
    const from = server.requests.length;
    const docs = await couch.getDocs(['chat:2', 'chat:1', 'chat:3', 'chat:none'], { conflicts: true });
    expect(docs).toEqual([{ _id: 'chat:2', _rev: revs[1], v: 'two' }, { _id: 'chat:1', _rev: '2-bbb', v: 'right', _conflicts: ['2-aaa'] }, null, null]);
    expect(server.requests.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /parley/_all_docs?include_docs=true&conflicts=true']);
    const after = couch.stats();
    expect(after.requests - before.requests).toBe(1);
    expect(after.bytesSent - before.bytesSent).toBe(JSON.stringify({ keys: ['chat:2', 'chat:1', 'chat:3', 'chat:none'] }).length);
    expect(after.bytesReceived - before.bytesReceived).toBe(server.requests.at(-1)?.bytesOut);
    expect(await couch.getDocs(['chat:1'])).toEqual([{ _id: 'chat:1', _rev: '2-bbb', v: 'right' }]);
  });

  it('getDocs: an answer that does not match the keys asked for is bad-response', async () => {
    const rows = (body: unknown): CouchOptions['fetch'] => () => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    const make = (f: CouchOptions['fetch']) => createCouch({ url: 'https://couch.example', db: 'parley', fetch: f });
    const one = { id: 'a', key: 'a', value: { rev: '1-x' }, doc: { _id: 'a', _rev: '1-x' } };
    expect((await caught(make(rows({ rows: [one] })).getDocs(['a', 'b']))).kind).toBe('bad-response');
    expect((await caught(make(rows({ rows: [one] })).getDocs(['b']))).kind).toBe('bad-response');
    expect((await caught(make(rows({ rows: [{ key: 'a', error: 'forbidden' }] })).getDocs(['a']))).kind).toBe('bad-response');
    expect((await caught(make(rows({ total_rows: 1 })).getDocs(['a']))).kind).toBe('bad-response');
  });

  it('changes with style=all_docs lists every leaf revision: conflicts, and deleted former conflicts', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    const [first] = await couch.bulkDocs([{ _id: 'chat:1', v: 'base' }]);
    const hash = first && 'ok' in first ? first.rev.slice(2) : '';
    await couch.bulkDocs(
      [
        { _id: 'chat:1', _rev: '2-aaa', v: 'left', _revisions: { start: 2, ids: ['aaa', hash] } },
        { _id: 'chat:1', _rev: '2-bbb', v: 'right', _revisions: { start: 2, ids: ['bbb', hash] } },
      ],
      { newEdits: false },
    );
    const revsOf = async () => (await couch.changes({ since: 0, style: 'all_docs' })).results.map((r) => r.changes.map((c) => c.rev).sort());
    expect(await revsOf()).toEqual([['2-aaa', '2-bbb']]);
    expect((await couch.changes({ since: 0 })).results.map((r) => r.changes.map((c) => c.rev))).toEqual([['2-bbb']]);
    const [removed] = await couch.removeRevs('chat:1', ['2-aaa']);
    const tomb = removed && 'ok' in removed ? removed.rev : '';
    expect(await revsOf()).toEqual([[tomb, '2-bbb'].sort()]);
  });

  it('getDoc in a database that does not exist is not-found, not null', async () => {
    const { couch } = await setup();
    const err = await caught(couch.getDoc('x'));
    expect(err.kind).toBe('not-found');
    expect(err.message).toContain('“parley”');
  });

  it('bulkDocs returns one result per document; a stale _rev is a conflict result', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    const [a] = await couch.bulkDocs([{ _id: 'a', n: 1 }]);
    const results = await couch.bulkDocs([
      { _id: 'a', n: 2 },
      { _id: 'b', n: 1 },
    ]);
    expect(results).toEqual([
      { id: 'a', error: 'conflict', reason: 'Document update conflict' },
      { id: 'b', ok: true, rev: expect.stringMatching(/^1-/) },
    ]);
    const rev = a && 'rev' in a ? a.rev : '';
    expect(await couch.bulkDocs([{ _id: 'a', _rev: rev, n: 2 }])).toEqual([{ id: 'a', ok: true, rev: expect.stringMatching(/^2-/) }]);
  });

  it('changes: in batches from a checkpoint, with docs and conflicts', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    await couch.bulkDocs([1, 2, 3, 4, 5].map((n) => ({ _id: `d${n}`, n })));
    const first = await couch.changes({ since: 0, limit: 2, includeDocs: true, conflicts: true });
    expect(first.results.map((r) => r.id)).toEqual(['d1', 'd2']);
    expect(first.results[0]?.doc).toMatchObject({ _id: 'd1', n: 1 });
    const rest = await couch.changes({ since: first.lastSeq, limit: 10 });
    expect(rest.results.map((r) => r.id)).toEqual(['d3', 'd4', 'd5']);
    expect(rest.results[0]?.doc).toBeUndefined();
    const none = await couch.changes({ since: rest.lastSeq });
    expect(none.results).toEqual([]);
    expect(none.lastSeq).toEqual(rest.lastSeq);
  });

  it('a longpoll answers when a change arrives', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    const poll = couch.changes({ since: 0, longpoll: true, timeoutMs: 10_000, includeDocs: true });
    const writer = createCouch({ url: server?.url ?? '', db: 'parley', fetch: realFetch });
    await writer.bulkDocs([{ _id: 'late', n: 1 }]);
    const r = await poll;
    expect(r.results.map((x) => x.id)).toEqual(['late']);
    expect(r.timedOut).toBeUndefined();
  });

  it('a longpoll the server keeps open past timeout= ends on the client with no changes', async () => {
    const { couch } = await setup({ longpollGraceMs: 100 });
    await couch.ensureDb();
    await couch.bulkDocs([{ _id: 'a' }]);
    const r = await couch.changes({ since: 1, longpoll: true, timeoutMs: 50 });
    expect(r).toEqual({ results: [], lastSeq: 1, timedOut: true });
  });

  it('a stop signal ends a longpoll with its reason', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    const ctrl = new AbortController();
    const poll = couch.changes({ since: 0, longpoll: true, signal: ctrl.signal });
    ctrl.abort(new Error('stopped'));
    await expect(poll).rejects.toThrow('stopped');
  });

  it('_local documents: absent, written, rewritten, and rewritten over another writer', async () => {
    const { server, couch } = await setup();
    await couch.ensureDb();
    expect(await couch.getLocal('parley-dev1')).toBeNull();
    await couch.putLocal('parley-dev1', { seq: 1 });
    await couch.putLocal('parley-dev1', { seq: 2 });
    expect(await couch.getLocal('parley-dev1')).toMatchObject({ seq: 2 });
    const other = createCouch({ url: server.url, db: 'parley', fetch: realFetch });
    await other.getLocal('parley-dev1');
    await other.putLocal('parley-dev1', { seq: 3 });
    await couch.putLocal('parley-dev1', { seq: 4 });
    expect(await other.getLocal('parley-dev1')).toMatchObject({ seq: 4 });
    expect((await couch.changes({ since: 0 })).results).toEqual([]);
  });

  it('5xx is a server error with the status; a cut connection cannot be told from offline', async () => {
    const { server, couch } = await setup();
    await couch.ensureDb();
    server.failNext(1, 503);
    const err = await caught(couch.changes({ since: 0 }));
    expect(err).toMatchObject({ kind: 'server', status: 503 });
    expect(err.message).toMatch(/HTTP 503/);
    server.failNext(1, 0);
    expect((await caught(couch.changes({ since: 0 }))).kind).toBe('cors-or-offline');
  });

  it('an answer that is not CouchDB’s is bad-response; a body cut short is network; silence is timeout', async () => {
    const html: CouchOptions['fetch'] = () => Promise.resolve(new Response('<html>login</html>', { status: 200 }));
    const wrongShape: CouchOptions['fetch'] = () => Promise.resolve(new Response('{"rows":[]}', { status: 200 }));
    const cut: CouchOptions['fetch'] = () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new TextEncoder().encode('{"results":['));
              c.error(new Error('reset'));
            },
          }),
          { status: 200 },
        ),
      );
    const silent: CouchOptions['fetch'] = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const make = (f: CouchOptions['fetch']) => createCouch({ url: 'https://couch.example:6984', db: 'parley', fetch: f, requestTimeoutMs: 30 });
    const e1 = await caught(make(html).changes({ since: 0 }));
    expect(e1.kind).toBe('bad-response');
    expect(e1.message).toContain('couch.example:6984');
    expect((await caught(make(wrongShape).changes({ since: 0 }))).kind).toBe('bad-response');
    expect((await caught(make(cut).changes({ since: 0 }))).kind).toBe('network');
    const t = await caught(make(silent).getDoc('x'));
    expect(t.kind).toBe('timeout');
    expect(t.message).toMatch(/did not answer/);
  });

  it('counts requests and body bytes both ways', async () => {
    const { couch } = await setup();
    await couch.ensureDb();
    const before = couch.stats();
    const doc = { _id: 'x', pad: 'é'.repeat(100) };
    await couch.bulkDocs([doc]);
    const after = couch.stats();
    expect(after.requests - before.requests).toBe(1);
    expect(after.bytesSent - before.bytesSent).toBe(new TextEncoder().encode(JSON.stringify({ docs: [doc] })).byteLength);
    expect(after.bytesReceived - before.bytesReceived).toBeGreaterThan(20);
  });
});
