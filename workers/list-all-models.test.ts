import { describe, expect, it } from 'vitest';
import { listAllModels } from './list-all-models';
import type { Connection } from '../src/core/storage/schema';
import { testConnection } from '../src/core/storage/test-connection';

function conn(id: string, url: string, extra: Partial<Connection> = {}): Connection {
  return testConnection({ id, url, ...extra });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('listAllModels', () => {
  it('merges connections, applies prefixes and allowlists, filters OpenAI non-chat models, and isolates failures', async () => {
    const fetch = async (url: string) => {
      if (url.startsWith('https://api.openai.com')) return json({ data: [{ id: 'gpt-4o' }, { id: 'dall-e-3' }, { id: 'whisper-1' }] });
      if (url.startsWith('http://local')) return json({ data: [{ id: 'gpt-4o' }] });
      if (url.startsWith('http://broken')) return json({ error: { message: 'Incorrect API key provided' } }, 401);
      throw new Error(`unexpected ${url}`);
    };
    const list = await listAllModels(fetch, [
      conn('a', 'https://api.openai.com/v1'),
      conn('b', 'http://local/v1', { prefixId: 'box' }),
      conn('c', 'http://broken/v1'),
      conn('d', 'http://never-called/v1', { modelIds: ['only-this'] }),
      conn('e', 'http://disabled/v1', { enabled: false }),
    ], 'http://127.0.0.1:4317');
    expect(list.models.map((m) => `${m.connectionId}:${m.id}:${m.modelId}`)).toEqual(['a:gpt-4o:gpt-4o', 'b:box.gpt-4o:gpt-4o', 'd:only-this:only-this']);
    expect(list.statuses.map((s) => [s.connectionId, s.ok, s.count])).toEqual([
      ['a', true, 1],
      ['b', true, 1],
      ['c', false, 0],
      ['d', true, 1],
    ]);
    expect(list.statuses[2]!.error?.message).toContain('Incorrect API key provided');
  });
});
