import { afterEach, describe, expect, it } from 'vitest';
import { startCouchServer, type CouchServer } from './couch-server/server';

// Beside e2e/static-server.test.ts rather than in e2e/couch-server/: vitest's include takes e2e/*.test.ts.

let server: CouchServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; headers: Headers }> {
  if (!server) throw new Error('no server');
  const res = await fetch(server.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}

describe('couch test server', () => {
  it('creates a database once (201, then 412) and reports a missing one as 404', async () => {
    server = await startCouchServer();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call('GET', '/parley')).status).toBe(404);
    expect((await call('PUT', '/parley')).status).toBe(201);
    expect((await call('PUT', '/parley')).status).toBe(412);
    expect((await call('GET', '/parley')).json).toMatchObject({ db_name: 'parley', doc_count: 0 });
  });

  it('keeps each server’s databases to itself', async () => {
    const other = await startCouchServer();
    try {
      server = await startCouchServer();
      expect((await call('PUT', '/parley')).status).toBe(201);
      await call('PUT', '/parley/a', { x: 1 });
      const res = await fetch(`${other.url}/parley`, { method: 'PUT' });
      expect(res.status).toBe(201);
      expect((await fetch(`${other.url}/parley/a`)).status).toBe(404);
      expect(await (await fetch(`${other.url}/_all_dbs`)).json()).toEqual(['parley']);
    } finally {
      await other.close();
    }
  });

  it('writes with _bulk_docs, answers conflicts per document, and lists _changes with docs', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    const first = await call('POST', '/db/_bulk_docs', { docs: [{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }] });
    expect(first.status).toBe(201);
    const [a] = first.json as Array<{ id: string; ok: boolean; rev: string }>;
    expect(a).toMatchObject({ id: 'a', ok: true });
    // Body bytes both ways, for the bench.
    const bulk = server.requests.filter((r) => r.path === '/db/_bulk_docs')[0]!;
    expect(bulk.bytesIn).toBe(JSON.stringify({ docs: [{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }] }).length);
    expect(bulk.bytesOut).toBe(Buffer.byteLength(JSON.stringify(first.json)) + 1);
    const second = await call('POST', '/db/_bulk_docs', { docs: [{ _id: 'a', n: 3 }, { _id: 'b', _rev: (first.json as Array<{ rev: string }>)[1]?.rev, n: 4 }] });
    expect(second.json).toEqual([
      { id: 'a', error: 'conflict', reason: 'Document update conflict' },
      expect.objectContaining({ id: 'b', ok: true }),
    ]);
    const changes = await call('GET', '/db/_changes?include_docs=true&since=0');
    const body = changes.json as { results: Array<{ id: string; doc: { n: number } }>; last_seq: number };
    expect(body.results.map((r) => [r.id, r.doc.n])).toEqual([
      ['a', 1],
      ['b', 4],
    ]);
    expect(body.last_seq).toBe(3);
  });

  it('keeps conflicting revisions written with new_edits: false and lists them with conflicts=true', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    const put = await call('PUT', '/db/x', { v: 'base' });
    const rev1 = (put.json as { rev: string }).rev;
    const hash1 = rev1.slice(2);
    await call('POST', '/db/_bulk_docs', {
      new_edits: false,
      docs: [
        { _id: 'x', _rev: '2-aaa', v: 'left', _revisions: { start: 2, ids: ['aaa', hash1] } },
        { _id: 'x', _rev: '2-bbb', v: 'right', _revisions: { start: 2, ids: ['bbb', hash1] } },
      ],
    });
    const doc = await call('GET', '/db/x?conflicts=true');
    expect(doc.json).toEqual({ _id: 'x', _rev: '2-bbb', v: 'right', _conflicts: ['2-aaa'] });
    expect((await call('GET', '/db/x?rev=2-aaa')).json).toMatchObject({ v: 'left' });
    const changes = await call('GET', '/db/_changes?include_docs=true&conflicts=true');
    expect((changes.json as { results: Array<{ doc: unknown }> }).results[0]?.doc).toMatchObject({ _conflicts: ['2-aaa'] });
  });

  it('answers a longpoll _changes when a change arrives (and ignores timeout=)', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    const poll = call('GET', '/db/_changes?feed=longpoll&since=0&timeout=50');
    // Longer than the timeout asked for: the poll is still open when the write lands.
    await new Promise((r) => setTimeout(r, 300));
    await call('PUT', '/db/late', { x: 1 });
    const res = await poll;
    expect((res.json as { results: Array<{ id: string }> }).results.map((r) => r.id)).toEqual(['late']);
  });

  it('stores _local documents outside _changes', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    expect((await call('GET', '/db/_local/cp')).status).toBe(404);
    expect((await call('PUT', '/db/_local/cp', { seq: 5 })).status).toBe(201);
    expect((await call('GET', '/db/_local/cp')).json).toMatchObject({ seq: 5 });
    expect(((await call('GET', '/db/_changes')).json as { results: unknown[] }).results).toEqual([]);
  });

  it('answers CORS preflights for any origin, with credentials, without asking for auth', async () => {
    server = await startCouchServer({ auth: { user: 'u', password: 'p' } });
    const pre = await fetch(`${server.url}/db/_bulk_docs`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:4317', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4317');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    const get = await call('GET', '/', undefined, { Origin: 'https://app.example' });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('asks for valid Basic credentials when auth is set', async () => {
    server = await startCouchServer({ auth: { user: 'u', password: 'p' } });
    const none = await call('PUT', '/db');
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ error: 'unauthorized' });
    const basic = (user: string, pw: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });
    expect((await call('PUT', '/db', undefined, basic('u', 'wrong'))).status).toBe(401);
    expect((await call('PUT', '/db', undefined, basic('u', 'p'))).status).toBe(201);
  });

  it('fails the next requests on demand (a status, or a cut connection), matching ones only if asked', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    server.failNext(1, 503);
    expect((await call('GET', '/db')).status).toBe(503);
    expect((await call('GET', '/db')).status).toBe(200);
    server.failNext(1, 0);
    await expect(call('GET', '/db')).rejects.toThrow();
    server.failNext(1, 500, (r) => r.path.includes('_changes'));
    expect((await call('GET', '/db')).status).toBe(200);
    expect((await call('GET', '/db/_changes')).status).toBe(500);
    expect(server.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual(['GET /db', 'GET /db/_changes']);
  });

  it('stops (cutting a pending longpoll) and restarts on the same port with the same data', async () => {
    server = await startCouchServer();
    await call('PUT', '/db');
    await call('PUT', '/db/keep', { x: 1 });
    const poll = call('GET', '/db/_changes?feed=longpoll&since=1');
    await new Promise((r) => setTimeout(r, 100));
    await server.stop();
    await expect(poll).rejects.toThrow();
    await expect(call('GET', '/db/keep')).rejects.toThrow();
    await server.restart();
    expect((await call('GET', '/db/keep')).json).toMatchObject({ x: 1 });
  });
});
