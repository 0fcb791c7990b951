import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { parseHeadersJson, saveConnection, splitList } from './connections';
import { isAppError } from '../errors';
import type { Connection } from './schema';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`connections-${++n}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

async function save(input: Parameters<typeof saveConnection>[1]): Promise<Connection> {
  const r = await saveConnection(db, input, 1000);
  if (isAppError(r)) throw new Error(r.message);
  return r;
}

describe('parseHeadersJson', () => {
  it('accepts an object of strings and an empty box', () => {
    expect(parseHeadersJson('')).toEqual({});
    expect(parseHeadersJson(' {"X-Team": "a", "anthropic-version": "2023-06-01"} ')).toEqual({ 'X-Team': 'a', 'anthropic-version': '2023-06-01' });
  });

  it.each([
    ['{"X-Team": 3}', 'string in quotes'],
    ['{X-Team: "a"}', 'must be JSON'],
    ['["a"]', 'JSON object'],
    ['"a"', 'JSON object'],
    ['{"Bad Name": "a"}', 'not a header name'],
    ['{"Cookie": "a"}', 'do not let a page set'],
    ['{"X-A": "line\\nbreak"}', 'one line'],
  ])('rejects %s with a message a user can act on', (text, words) => {
    const r = parseHeadersJson(text);
    expect(isAppError(r) && r.message).toContain(words);
  });
});

describe('splitList', () => {
  it('splits on commas and lines, trims, drops empties and repeats', () => {
    expect(splitList(' gpt-4o, o3-mini\n\n gpt-4o ,')).toEqual(['gpt-4o', 'o3-mini']);
  });
});

describe('saveConnection', () => {
  it('stores every field of the form', async () => {
    const c = await save({
      kind: 'openai', url: 'https://x.openai.azure.com/', key: 'k', modelIds: ['prod'], prefixId: 'az', tags: ['work'],
      headers: { 'X-A': 'b' }, authType: 'bearer', azure: true, apiVersion: '2024-06-01', timeoutMs: 5000, enabled: false,
    });
    expect(c).toMatchObject({ url: 'https://x.openai.azure.com', name: 'Azure (x)', modelIds: ['prod'], prefixId: 'az', tags: ['work'], azure: true, apiVersion: '2024-06-01', timeoutMs: 5000, enabled: false });
  });

  it('keeps the saved key when an edit sends none, replaces or clears it when one is sent', async () => {
    const c = await save({ kind: 'openai', url: 'http://a/v1', key: 'sk-1' });
    expect((await save({ kind: 'openai', id: c.id, url: 'http://a/v1', name: 'Renamed' })).key).toBe('sk-1');
    expect((await save({ kind: 'openai', id: c.id, url: 'http://a/v1', key: 'sk-2' })).key).toBe('sk-2');
    expect((await save({ kind: 'openai', id: c.id, url: 'http://a/v1', key: '' })).key).toBe('');
    expect(await db.connections.count()).toBe(1);
  });

  it('rejects bad input without writing anything', async () => {
    for (const bad of [
      { kind: 'openai' as const, url: 'localhost:11434' },
      { kind: 'openai' as const, url: 'http://a', prefixId: 'a.b' },
      { kind: 'openai' as const, url: 'http://a', timeoutMs: 10 },
      { kind: 'openai' as const, url: 'http://a', headers: { 'a b': 'c' } },
    ]) {
      expect(isAppError(await saveConnection(db, bad, 1))).toBe(true);
    }
    expect(await db.connections.count()).toBe(0);
  });

  it('Azure applies to OpenAI-compatible connections only', async () => {
    expect((await save({ kind: 'ollama', url: 'http://h:11434', azure: true })).azure).toBe(false);
  });
});
