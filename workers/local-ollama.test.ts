import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { isAppError } from '../src/core/errors';
import { testConnection } from '../src/core/storage/test-connection';
import { findLocalOllama, firstStartProbe, LOCAL_OLLAMA_NAME, probesQuietly } from './local-ollama';
import { systemClock } from './ports';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`local-ollama-${++n}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const calls: string[] = [];
const ollamaUp = async (url: string) => {
  calls.push(url);
  return new Response(JSON.stringify({ models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest' }] }), { headers: { 'content-type': 'application/json' } });
};
const nothing = async (url: string): Promise<Response> => {
  calls.push(url);
  throw new TypeError('Failed to fetch');
};
beforeEach(() => {
  calls.length = 0;
});

describe('probesQuietly', () => {
  it('only from this machine or the local network', () => {
    for (const o of ['http://localhost:5173', 'http://127.0.0.1:4317', 'http://192.168.1.5', 'http://10.0.0.2:8080', 'http://172.20.1.1', 'http://nas.local']) expect(probesQuietly(o)).toBe(true);
    for (const o of ['https://parley.example.com', 'http://172.32.0.1', 'http://8.8.8.8', 'not a url']) expect(probesQuietly(o)).toBe(false);
  });
});

describe('firstStartProbe', () => {
  it('adds a local Ollama once, on the first start only', async () => {
    const ports = { db, fetch: ollamaUp, clock: systemClock, appOrigin: 'http://127.0.0.1:4317' };
    const c = await firstStartProbe(ports);
    expect(c).toMatchObject({ kind: 'ollama', url: 'http://localhost:11434', name: LOCAL_OLLAMA_NAME });
    expect(calls).toEqual(['http://localhost:11434/api/tags']);
    await db.connections.clear();
    expect(await firstStartProbe(ports)).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('stays silent when something is configured, from a public origin, or when nothing answers', async () => {
    await db.connections.put(testConnection({ id: 'x', url: 'http://x/v1' }));
    expect(await firstStartProbe({ db, fetch: ollamaUp, clock: systemClock, appOrigin: 'http://localhost' })).toBeNull();
    await db.delete();
    await db.open();
    expect(await firstStartProbe({ db, fetch: ollamaUp, clock: systemClock, appOrigin: 'https://parley.example.com' })).toBeNull();
    await db.delete();
    await db.open();
    expect(await firstStartProbe({ db, fetch: nothing, clock: systemClock, appOrigin: 'http://localhost' })).toBeNull();
    expect(await db.connections.count()).toBe(0);
    expect(calls).toEqual(['http://localhost:11434/api/tags']);
  });
});

describe('findLocalOllama', () => {
  it('never adds a second connection to the same Ollama, and says why when none answers', async () => {
    const first = await findLocalOllama({ db, fetch: ollamaUp, clock: systemClock });
    const again = await findLocalOllama({ db, fetch: ollamaUp, clock: systemClock });
    expect(isAppError(first)).toBe(false);
    expect(again).toEqual(first);
    expect(await db.connections.count()).toBe(1);
    await db.connections.clear();
    const none = await findLocalOllama({ db, fetch: nothing, clock: systemClock });
    expect(isAppError(none) && none.message).toContain('No Ollama answered');
    expect(isAppError(none) && none.detail).toContain('OLLAMA_ORIGINS');
  });
});
