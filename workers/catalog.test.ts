import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import type { Connection } from '../src/core/storage/schema';
import { testConnection } from '../src/core/storage/test-connection';
import { SETTINGS } from '../src/core/storage/settings-keys';
import { createCatalog, MODEL_CACHE_TTL_MS } from './catalog';
import { verify } from './list-all-models';
import type { ModelListPart } from './api';
import type { Clock } from './ports';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const list = (...ids: string[]) => json({ data: ids.map((id) => ({ id })) });

let db: ParleyDb;
let n = 0;
let now = 1_000_000;
const clock: Clock = { now: () => now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };

beforeEach(async () => {
  db = openDb(`catalog-${++n}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

async function add(id: string, url: string, extra: Partial<Connection> = {}): Promise<Connection> {
  const c = testConnection({ id, url, createdAt: n++, ...extra });
  await db.connections.put(c);
  return c;
}

/** A fetch that answers by URL prefix and counts calls; a route may be a promise the test settles. */
function routes(table: Record<string, () => Response | Promise<Response>>) {
  const calls: string[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push(url);
    const hit = Object.keys(table).find((p) => url.startsWith(p));
    if (!hit) throw new TypeError('Failed to fetch');
    const pending = table[hit]!();
    // Like the platform's fetch, a timeout signal ends a request that never answers.
    return Promise.race([
      pending,
      new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('timeout', 'TimeoutError')))),
    ]);
  };
  return { fetch, calls };
}

describe('catalog', () => {
  it('merges connections, applies prefixes and allowlists, filters OpenAI non-chat models, and isolates failures', async () => {
    await add('a', 'https://api.openai.com/v1', { tags: ['work'] });
    await add('b', 'http://local/v1', { prefixId: 'box' });
    await add('c', 'http://broken/v1');
    await add('d', 'http://never-called/v1', { modelIds: ['only-this'] });
    await add('e', 'http://disabled/v1', { enabled: false });
    const f = routes({
      'https://api.openai.com': () => list('gpt-4o', 'dall-e-3', 'whisper-1', 'text-embedding-3-small'),
      'http://local': () => list('gpt-4o'),
      'http://broken': () => json({ error: { message: 'Incorrect API key provided' } }, 401),
    });
    const got = await createCatalog({ db, fetch: f.fetch, clock, appOrigin: 'http://app' }).list();
    expect(got.models.map((m) => `${m.connectionId}:${m.id}:${m.modelId}`)).toEqual(['a:gpt-4o:gpt-4o', 'b:box.gpt-4o:gpt-4o', 'd:only-this:only-this']);
    expect(got.models[0]!.tags).toEqual(['work']);
    expect(got.statuses.map((s) => [s.connectionId, s.ok, s.count, s.source])).toEqual([
      ['a', true, 1, 'server'],
      ['b', true, 1, 'server'],
      ['c', false, 0, 'none'],
      ['d', true, 1, 'allowlist'],
    ]);
    expect(got.statuses[2]!.error?.message).toContain('Incorrect API key provided');
    expect(f.calls.some((u) => u.includes('never-called') || u.includes('disabled'))).toBe(false);
  });

  it('reports each connection as soon as it answers: a hanging server holds back nobody', async () => {
    await add('slow', 'http://slow/v1', { timeoutMs: 300 });
    await add('fast', 'http://fast/v1');
    const f = routes({ 'http://slow': () => new Promise<Response>(() => undefined), 'http://fast': () => list('m1') });
    const parts: Array<[string, number]> = [];
    const t0 = Date.now();
    const got = await createCatalog({ db, fetch: f.fetch, clock, appOrigin: 'http://app' }).list({}, (p: ModelListPart) => parts.push([p.status.connectionId, Date.now() - t0]));
    expect(parts.map(([id]) => id)).toEqual(['fast', 'slow']);
    expect(parts[0]![1]).toBeLessThan(parts[1]![1]);
    const slow = got.statuses.find((s) => s.connectionId === 'slow')!;
    expect(slow.error).toMatchObject({ kind: 'timeout' });
    expect(slow.error?.message).toContain('0.3 s');
  });

  it('serves a list younger than the TTL from IndexedDB, asks again after it or when forced', async () => {
    await add('a', 'http://a/v1');
    const f = routes({ 'http://a': () => list('m1') });
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: '' });
    expect((await catalog.list()).statuses[0]!.source).toBe('server');
    now += MODEL_CACHE_TTL_MS - 1;
    expect((await catalog.list()).statuses[0]!.source).toBe('cache');
    expect(f.calls).toHaveLength(1);
    now += 2;
    expect((await catalog.list()).statuses[0]!.source).toBe('server');
    expect((await catalog.list({ force: true })).statuses[0]!.source).toBe('server');
    expect(f.calls).toHaveLength(3);
  });

  it('honours the TTL setting', async () => {
    await add('a', 'http://a/v1');
    await db.settings.put({ key: SETTINGS.modelCacheTtlMs, value: 0 });
    const f = routes({ 'http://a': () => list('m1') });
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: '' });
    await catalog.list();
    await catalog.list();
    expect(f.calls).toHaveLength(2);
  });

  it('offline, shows the last known list marked stale, with the reason', async () => {
    await add('a', 'http://a/v1');
    let online = true;
    const f = routes({ 'http://a': () => (online ? list('m1', 'm2') : Promise.reject(new TypeError('Failed to fetch'))) });
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: 'http://app' });
    const first = await catalog.list();
    online = false;
    now += MODEL_CACHE_TTL_MS * 10;
    const got = await catalog.list();
    expect(got.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(got.statuses[0]).toMatchObject({ ok: false, source: 'stale', count: 2, fetchedAt: first.statuses[0]!.fetchedAt });
    expect(got.statuses[0]!.error?.kind).toBe('network');
  });

  it('does not use a cached list once the URL or key changed', async () => {
    const c = await add('a', 'http://a/v1');
    const f = routes({ 'http://a': () => list('m1') });
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: '' });
    await catalog.list();
    await db.connections.put({ ...c, key: 'new-key' });
    const got = await catalog.list();
    expect(got.statuses[0]!.source).toBe('server');
    expect(f.calls).toHaveLength(2);
    // The cache keeps a digest, never the key itself.
    expect(JSON.stringify(await db.modelCache.toArray())).not.toContain('new-key');
  });

  it('shares one request between callers asking at the same time', async () => {
    await add('a', 'http://a/v1');
    let release!: (r: Response) => void;
    const f = routes({ 'http://a': () => new Promise<Response>((r) => { release = r; }) });
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: '' });
    const one = catalog.list();
    const two = catalog.list({ force: true });
    await new Promise((r) => setTimeout(r, 20));
    release(list('m1'));
    expect((await one).models).toHaveLength(1);
    expect((await two).models).toHaveLength(1);
    expect(f.calls).toHaveLength(1);
  });

  it('in-browser models: a forced list does not join a read begun before (a download or import just changed the cache)', async () => {
    await add('gpu', '', { kind: 'webgpu' });
    const answers: Array<(ids: string[]) => void> = [];
    const webgpu = async () => ({
      stream: async () => undefined,
      cancel: async () => undefined,
      cached: () => new Promise<Array<{ modelId: string }>>((resolve) => answers.push((ids) => resolve(ids.map((modelId) => ({ modelId }))))),
    });
    const f = routes({});
    const catalog = createCatalog({ db, fetch: f.fetch, clock, appOrigin: '', webgpu });
    const atStart = catalog.list();
    await new Promise((r) => setTimeout(r, 20));
    const afterImport = catalog.list({ force: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(answers).toHaveLength(2);
    answers[1]!(['Qwen3-0.6B-q4f32_1-MLC']);
    expect((await afterImport).models.map((m) => [m.id, m.kind])).toEqual([['Qwen3-0.6B-q4f32_1-MLC', 'webgpu']]);
    answers[0]!([]);
    expect((await atStart).models).toEqual([]);
    // A list asked without force while a forced read is under way waits for that read, not the stored list.
    const forced = catalog.list({ force: true });
    await new Promise((r) => setTimeout(r, 20));
    const opened = catalog.list();
    await new Promise((r) => setTimeout(r, 20));
    expect(answers).toHaveLength(3);
    answers[2]!(['Qwen3-0.6B-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC']);
    expect((await opened).models).toHaveLength(2);
    expect((await forced).models).toHaveLength(2);
    // Not forced and nothing under way: the stored list, at any age, without asking the worker.
    now += 10 * MODEL_CACHE_TTL_MS;
    expect((await catalog.list()).models.map((m) => m.id)).toEqual(['Qwen3-0.6B-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1-MLC']);
    expect(answers).toHaveLength(3);
    expect(f.calls).toEqual([]);
  });

  it('Azure: deployments come from the allowlist; without one the connection says what to do', async () => {
    await add('az', 'https://x.openai.azure.com', { azure: true, modelIds: ['prod-4o'] });
    await add('az2', 'https://y.openai.azure.com', { azure: true });
    const f = routes({});
    const got = await createCatalog({ db, fetch: f.fetch, clock, appOrigin: '' }).list();
    expect(got.models.map((m) => m.id)).toEqual(['prod-4o']);
    expect(got.statuses[1]!.error?.message).toContain('deployment names');
    expect(f.calls).toEqual([]);
  });
});

describe('verify', () => {
  it('asks the server even with an allowlist, and for Azure counts the deployments', async () => {
    const f = routes({ 'https://x.openai.azure.com/openai/models': () => list('gpt-4o', 'o3-mini'), 'http://a': () => list('m1', 'm2', 'm3') });
    expect(await verify(f.fetch, testConnection({ id: 'a', url: 'http://a/v1', modelIds: ['m1'] }), '')).toEqual({ ok: true, count: 3 });
    const az = testConnection({ id: 'az', url: 'https://x.openai.azure.com', azure: true, key: 'k', modelIds: ['d1', 'd2'] });
    expect(await verify(f.fetch, az, '')).toEqual({ ok: true, count: 2 });
    expect(f.calls.at(-1)).toContain('api-version=');
    const none = await verify(f.fetch, { ...az, modelIds: [] }, '');
    expect(none.ok).toBe(false);
  });
});
