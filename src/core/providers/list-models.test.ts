import { describe, expect, it } from 'vitest';
import { listModels } from './list-models';
import { fakeFetch } from './test-fetch';
import type { Endpoint } from './types';

const openai: Endpoint = { kind: 'openai', url: 'https://api.example.com/v1/', key: 'sk' };
const ollama: Endpoint = { kind: 'ollama', url: 'http://localhost:11434' };
const jsonHeaders = { 'content-type': 'application/json' };
const signal = () => new AbortController().signal;

describe('listModels', () => {
  it('lists an OpenAI-compatible server, with the signal reaching fetch', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"data":[{"id":"a"},{"id":"b","owned_by":"me"}]}', { headers: jsonHeaders }));
    const s = signal();
    expect(await listModels(fetch, openai, s)).toEqual([
      { id: 'a', name: 'a' },
      { id: 'b', name: 'b', ownedBy: 'me' },
    ]);
    expect(calls[0]?.url).toBe('https://api.example.com/v1/models');
    expect(calls[0]?.init.signal).toBe(s);
    expect(calls[0]?.init.headers).toEqual({ Authorization: 'Bearer sk' });
  });

  it('lists an Ollama server from /api/tags', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"models":[{"name":"llama3.2:1b","model":"llama3.2:1b","size":1}]}', { headers: jsonHeaders }));
    expect(await listModels(fetch, ollama, signal())).toEqual([{ id: 'llama3.2:1b', name: 'llama3.2:1b', size: 1 }]);
    expect(calls[0]?.url).toBe('http://localhost:11434/api/tags');
  });

  it('throws the http error the body describes', async () => {
    const { fetch } = fakeFetch(() => new Response('{"detail":"Invalid API Key"}', { status: 401, statusText: 'Unauthorized', headers: jsonHeaders }));
    await expect(listModels(fetch, openai, signal())).rejects.toMatchObject({ kind: 'http', status: 401, message: 'Invalid API Key' });
  });

  it('throws network when the server cannot be reached, aborted when stopped', async () => {
    const down = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(listModels(down.fetch, openai, signal())).rejects.toMatchObject({ kind: 'network' });
    const controller = new AbortController();
    const stopped = fakeFetch(() => {
      controller.abort();
      return Promise.reject(new DOMException('aborted', 'AbortError'));
    });
    await expect(listModels(stopped.fetch, openai, controller.signal)).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('throws protocol for a web page and for a body that is not JSON', async () => {
    const page = fakeFetch(() => new Response('<html><body>Login</body></html>', { headers: { 'content-type': 'text/html' } }));
    await expect(listModels(page.fetch, openai, signal())).rejects.toMatchObject({ kind: 'protocol' });
    const junk = fakeFetch(() => new Response('models: a, b', { headers: { 'content-type': 'text/plain' } }));
    await expect(listModels(junk.fetch, openai, signal())).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('refuses WebGPU endpoints', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(''));
    await expect(listModels(fetch, { kind: 'webgpu', url: '' }, signal())).rejects.toMatchObject({ kind: 'internal' });
    expect(calls).toHaveLength(0);
  });
});
