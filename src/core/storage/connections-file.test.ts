import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { isAppError } from '../errors';
import type { Connection } from './schema';
import { testConnection } from './test-connection';
import {
  connectionsFileName,
  describeImport,
  exportConnections,
  importConnections,
  isCredentialHeader,
  type ImportReport,
} from './connections-file';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-connections-file-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

const withSecrets = testConnection({
  id: 'c1',
  url: 'https://api.example.com/v1',
  name: 'Example',
  key: 'sk-secret-1234',
  headers: {
    Authorization: 'Bearer other',
    'api-key': 'azure-secret',
    'X-API-Key': 'x-secret',
    'X-Auth-Token': 'tok-secret',
    'X-Client-Secret': 'cs-secret',
    'My-Key-Id': 'kid-secret',
    'X-Title': 'Parley',
    'OpenAI-Organization': 'org-1',
  },
  tags: ['work'],
  modelIds: ['gpt-4o-mini'],
  createdAt: 100,
  updatedAt: 200,
});
const plain = testConnection({ id: 'c2', kind: 'ollama', url: 'http://localhost:11434', name: 'Ollama', createdAt: 300, updatedAt: 300 });

async function ok(json: unknown): Promise<ImportReport> {
  const r = await importConnections(db, json, NOW);
  if (isAppError(r)) throw new Error(`expected a report, got ${r.message}`);
  return r;
}

/** Round-trips through JSON text, as a downloaded file does. */
function asFile(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x));
}

describe('exportConnections', () => {
  it('leaves keys and credential headers out unless asked', () => {
    const f = exportConnections([withSecrets, plain], { includeKeys: false, now: NOW });
    expect(f.format).toBe('parley-connections');
    expect(f.version).toBe(1);
    expect(f.exportedAt).toBe('2025-06-01T12:00:00.000Z');
    expect(f.connections.map((c) => 'key' in c)).toEqual([false, false]);
    expect(f.connections[0]!.headers).toEqual({ 'X-Title': 'Parley', 'OpenAI-Organization': 'org-1' });
    expect(JSON.stringify(f)).not.toMatch(/secret/);
    expect(f.connections[0]).toMatchObject({ id: 'c1', url: 'https://api.example.com/v1', tags: ['work'], modelIds: ['gpt-4o-mini'] });
  });

  it('includes keys and every header when asked, and never an empty key', () => {
    const f = exportConnections([withSecrets, plain], { includeKeys: true, now: NOW });
    expect(f.connections[0]!.key).toBe('sk-secret-1234');
    expect(f.connections[0]!.headers).toEqual(withSecrets.headers);
    expect('key' in f.connections[1]!).toBe(false);
  });

  it('does not share header objects with the records', () => {
    const f = exportConnections([withSecrets], { includeKeys: true, now: NOW });
    expect(f.connections[0]!.headers).not.toBe(withSecrets.headers);
  });
});

describe('isCredentialHeader', () => {
  it('matches credential-looking names case-insensitively', () => {
    for (const n of ['Authorization', 'api-key', 'X-API-KEY', 'x-goog-api-key', 'X-Access-Token', 'Proxy-Authorization', 'client_secret', 'Cookie'])
      expect(isCredentialHeader(n), n).toBe(true);
    for (const n of ['X-Title', 'HTTP-Referer', 'OpenAI-Organization', 'anthropic-version']) expect(isCredentialHeader(n), n).toBe(false);
  });
});

describe('connectionsFileName', () => {
  it('uses the local date', () => {
    expect(connectionsFileName(new Date(2025, 0, 9, 23, 59).getTime())).toBe('parley-connections-2025-01-09.json');
  });
});

describe('importConnections: Parley files', () => {
  it('round-trips an export with keys into an empty database', async () => {
    const r = await ok(asFile(exportConnections([withSecrets, plain], { includeKeys: true, now: NOW })));
    expect(r).toEqual({ added: 2, updated: 0, skipped: 0, problems: [], notes: [] });
    const back = await db.connections.orderBy('createdAt').toArray();
    expect(back).toEqual([{ ...withSecrets, updatedAt: NOW }, { ...plain, updatedAt: NOW }]);
  });

  it('an export without keys updates a matching connection and keeps its key and credential headers', async () => {
    await db.connections.put(withSecrets);
    const file = asFile(exportConnections([{ ...withSecrets, name: 'Renamed', enabled: false, tags: [] }], { includeKeys: false, now: NOW }));
    const r = await ok(file);
    expect(r).toMatchObject({ added: 0, updated: 1, skipped: 0 });
    const c = await db.connections.get('c1');
    expect(c).toEqual({ ...withSecrets, name: 'Renamed', enabled: false, tags: [], updatedAt: NOW });
  });

  it('a key in the file replaces the stored one', async () => {
    await db.connections.put(withSecrets);
    await ok(asFile(exportConnections([{ ...withSecrets, key: 'sk-new' }], { includeKeys: true, now: NOW })));
    expect((await db.connections.get('c1'))?.key).toBe('sk-new');
  });

  it('matches by kind, URL and prefix id when the id is unknown, and adds when the prefix differs', async () => {
    await db.connections.put(withSecrets);
    const fromElsewhere = { id: 'other-device', kind: 'openai', url: 'https://api.example.com/v1/', name: 'Same server' };
    const prefixed = { id: 'p', kind: 'openai', url: 'https://api.example.com/v1', prefixId: 'ex' };
    const r = await ok({ format: 'parley-connections', version: 1, connections: [fromElsewhere, prefixed] });
    expect(r).toMatchObject({ added: 1, updated: 1 });
    expect((await db.connections.get('c1'))?.name).toBe('Same server');
    expect(await db.connections.get('other-device')).toBeUndefined();
    expect((await db.connections.get('p'))?.prefixId).toBe('ex');
  });

  it('adds under a fresh id when the id belongs to a connection of another kind', async () => {
    await db.connections.put(plain);
    const r = await ok({ format: 'parley-connections', version: 1, connections: [{ id: 'c2', kind: 'openai', url: 'https://b.example/v1' }] });
    expect(r).toMatchObject({ added: 1, updated: 0 });
    expect(await db.connections.get('c2')).toEqual(plain);
    const all = await db.connections.toArray();
    const fresh = all.find((c) => c.id !== 'c2');
    expect(fresh).toMatchObject({ kind: 'openai', url: 'https://b.example/v1', name: 'b.example', key: '', createdAt: NOW });
  });

  it('skips and names an invalid entry and imports the rest', async () => {
    const r = await ok({
      format: 'parley-connections',
      version: 1,
      connections: [
        { kind: 'openai', url: 'https://good.example/v1' },
        { kind: 'openai', url: 'javascript:alert(1)', name: 'Evil' },
        { kind: 'gopher', url: 'https://x.example' },
        { kind: 'openai', url: 'https://h.example/v1', headers: { 'X-Bad': 'a\r\nSet-Cookie: x=1' } },
        'not an object',
        { kind: 'ollama', url: 'http://127.0.0.1:11434', timeoutMs: 5000 },
      ],
    });
    expect(r).toMatchObject({ added: 2, updated: 0, skipped: 4 });
    expect(r.problems).toHaveLength(4);
    expect(r.problems[0]).toMatch(/^connection 2 \(Evil\): .*http/);
    expect(r.problems[1]).toBe('connection 3 (https://x.example): kind: expected one of "openai", "ollama", "webgpu"');
    expect(r.problems[2]).toMatch(/^connection 4 .*headers/);
    expect(r.problems[3]).toBe('connection 5: expected object');
    expect((await db.connections.toArray()).map((c) => c.url).sort()).toEqual(['http://127.0.0.1:11434', 'https://good.example/v1']);
  });

  it('applies the settings form rules: an entry the form would refuse is skipped and named', async () => {
    await db.connections.put(withSecrets);
    const r = await ok({
      format: 'parley-connections',
      version: 1,
      connections: [
        { kind: 'openai', url: 'https://a.example/v1', headers: { Host: 'evil.example' } },
        { kind: 'openai', url: 'https://b.example/v1', prefixId: 'a.b' },
        { id: 'c1', kind: 'openai', url: 'https://api.example.com/v1', timeoutMs: 10 },
        { kind: 'openai', url: 'https://c.example/v1' },
        { kind: 'openai', url: 'ftp://d.example' },
      ],
    });
    expect(r).toMatchObject({ added: 1, updated: 0, skipped: 4 });
    expect(r.problems).toEqual([
      expect.stringMatching(/^connection 1 \(https:\/\/a\.example\/v1\): .*header/),
      expect.stringMatching(/^connection 2 .*prefix/),
      expect.stringMatching(/^connection 3 .*timeout/),
      expect.stringMatching(/^connection 5 .*http/),
    ]);
    expect(await db.connections.get('c1')).toEqual(withSecrets);
    expect(await db.connections.count()).toBe(2);
  });

  it('refuses what is not a connections file and leaves the table as it was', async () => {
    await db.connections.bulkPut([withSecrets, plain]);
    const before = await db.connections.toArray();
    for (const bad of [
      null,
      'text',
      [withSecrets],
      { hello: 'world' },
      { format: 'parley-connections', version: 1 },
      { format: 'parley-connections', version: 2, connections: [] },
      { format: 'parley-connections', version: 1, connections: Array.from({ length: 501 }, () => ({ kind: 'openai', url: 'https://a.example' })) },
      { openai: { api_base_urls: 'https://a.example' } },
    ]) {
      const r = await importConnections(db, bad, NOW);
      expect(isAppError(r), JSON.stringify(bad)?.slice(0, 80)).toBe(true);
    }
    expect(await db.connections.toArray()).toEqual(before);
  });

  it('says when a file is from a newer Parley', async () => {
    const r = await importConnections(db, { format: 'parley-connections', version: 2, connections: [] }, NOW);
    expect(isAppError(r) && r.message).toMatch(/newer Parley/);
  });

  it('writes in one transaction: a failing write undoes the ones before it', async () => {
    await db.connections.put(plain);
    db.connections.hook('creating', (_key, obj) => {
      if (obj.name === 'boom') throw new Error('disk full');
    });
    const file = {
      format: 'parley-connections',
      version: 1,
      connections: [
        { kind: 'openai', url: 'https://first.example/v1' },
        { id: 'c2', kind: 'ollama', url: 'http://localhost:11434', name: 'Renamed' },
        { kind: 'openai', url: 'https://boom.example/v1', name: 'boom' },
      ],
    };
    await expect(importConnections(db, file, NOW)).rejects.toThrow(/disk full/);
    expect(await db.connections.toArray()).toEqual([plain]);
  });
});

/** A small Open WebUI admin "Export config" file, written for this test. */
const openWebUiConfig = {
  version: 0,
  ui: { default_models: 'gpt-4o-mini', enable_signup: false },
  ollama: {
    enable: true,
    base_urls: ['http://host.docker.internal:11434', 'https://ollama.example.net'],
    api_configs: {
      '0': { enable: true, tags: [], prefix_id: '', model_ids: [], connection_type: 'local' },
      '1': { enable: false, key: 'ol-remote-key', tags: [{ name: 'gpu-box' }], prefix_id: 'remote', model_ids: ['qwen3:8b'], connection_type: 'external' },
    },
  },
  openai: {
    enable: true,
    api_base_urls: ['https://api.openai.com/v1', 'https://myres.openai.azure.com', 'http://localhost:8080/v1/'],
    api_keys: ['sk-proj-abc\n', 'azure-key-123', ''],
    api_configs: {
      '0': { enable: true, tags: [{ name: 'cloud' }], prefix_id: '', model_ids: ['gpt-4o-mini', 'gpt-4.1'], connection_type: 'external', auth_type: 'bearer' },
      '1': { enable: true, tags: [], prefix_id: 'az', model_ids: ['gpt-4o-deploy'], connection_type: 'external', azure: true, api_version: '2024-10-21' },
      '2': { enable: true, tags: ['local'], prefix_id: null, model_ids: [], connection_type: 'local', auth_type: 'none', headers: { 'X-Title': 'Parley' } },
    },
  },
};

function byUrl(list: Connection[]): Record<string, Connection> {
  return Object.fromEntries(list.map((c) => [c.url, c]));
}

describe('importConnections: Open WebUI config export', () => {
  it('maps each OpenAI and Ollama connection onto Parley fields', async () => {
    const r = await ok(openWebUiConfig);
    expect(r).toEqual({ added: 5, updated: 0, skipped: 0, problems: [], notes: [] });
    const c = byUrl(await db.connections.toArray());
    expect(c['https://api.openai.com/v1']).toMatchObject({
      kind: 'openai', key: 'sk-proj-abc', enabled: true, modelIds: ['gpt-4o-mini', 'gpt-4.1'], tags: ['cloud'], authType: 'bearer', azure: false, name: 'api.openai.com',
    });
    expect(c['https://myres.openai.azure.com']).toMatchObject({ name: 'Azure (myres)', key: 'azure-key-123', azure: true, apiVersion: '2024-10-21', prefixId: 'az', modelIds: ['gpt-4o-deploy'] });
    expect(c['http://localhost:8080/v1']).toMatchObject({ key: '', authType: 'none', prefixId: '', tags: ['local'], headers: { 'X-Title': 'Parley' } });
    expect(c['http://host.docker.internal:11434']).toMatchObject({ kind: 'ollama', key: '', enabled: true, name: 'Ollama (host.docker.internal:11434)' });
    expect(c['https://ollama.example.net']).toMatchObject({ kind: 'ollama', key: 'ol-remote-key', enabled: false, prefixId: 'remote', tags: ['gpu-box'], modelIds: ['qwen3:8b'] });
  });

  it('reads the flat dotted-key shape, configs keyed by URL, and a switched-off section', async () => {
    const r = await ok({
      'openai.enable': false,
      'openai.api_base_urls': ['https://a.example/v1'],
      'openai.api_keys': ['sk-a'],
      'openai.api_configs': { 'https://a.example/v1': { prefix_id: 'legacy' } },
    });
    expect(r.added).toBe(1);
    expect((await db.connections.toArray())[0]).toMatchObject({ url: 'https://a.example/v1', key: 'sk-a', prefixId: 'legacy', enabled: false });
  });

  it('imports a server-side sign-in as bearer and says so; skips a broken entry', async () => {
    const r = await ok({
      openai: {
        api_base_urls: ['https://sso.example/v1', 'ftp://files.example', 42],
        api_keys: [''],
        api_configs: { '0': { auth_type: 'system_oauth' } },
      },
    });
    expect(r).toMatchObject({ added: 1, skipped: 2 });
    expect(r.notes).toEqual([expect.stringMatching(/^Open WebUI OpenAI connection 1 \(https:\/\/sso\.example\/v1\) .*system_oauth/)]);
    expect(r.problems[0]).toMatch(/^Open WebUI OpenAI connection 2 \(ftp:/);
    expect(r.problems[1]).toMatch(/^Open WebUI OpenAI connection 3: url/);
  });

  it('importing the same config twice updates instead of duplicating', async () => {
    await ok(openWebUiConfig);
    const r = await ok(openWebUiConfig);
    expect(r).toMatchObject({ added: 0, updated: 5 });
    expect(await db.connections.count()).toBe(5);
  });
});

describe('describeImport', () => {
  const base: ImportReport = { added: 0, updated: 0, skipped: 0, problems: [], notes: [] };
  it('says what happened in one line', () => {
    expect(describeImport({ ...base, added: 1, updated: 1, skipped: 1, problems: ['connection 3: bad URL'] })).toBe(
      'Imported 2 connections (1 updated). Skipped 1: connection 3: bad URL.',
    );
    expect(describeImport({ ...base, added: 1 })).toBe('Imported 1 connection.');
    expect(describeImport(base)).toBe('The file has no connections.');
    expect(describeImport({ ...base, skipped: 1, problems: ['x'] })).toBe('Nothing was imported. Skipped 1: x.');
    expect(describeImport({ ...base, added: 1, notes: ['A note.'] })).toBe('Imported 1 connection. Note: A note.');
    expect(describeImport({ ...base, skipped: 2, problems: ['a: one.', 'b: two'] })).toBe('Nothing was imported. Skipped 2: a: one; b: two.');
  });
});
