import { describe, expect, it } from 'vitest';
import { buildOllamaChatRequest, buildOllamaModelsRequest, parseOllamaModels } from './ollama';
import type { Endpoint } from './types';

const endpoint: Endpoint = { kind: 'ollama', url: 'http://localhost:11434/' };
const messages = [{ role: 'user' as const, content: 'Hallo' }];

describe('buildOllamaChatRequest', () => {
  it('posts to /api/chat with params renamed into options', () => {
    const req = buildOllamaChatRequest(endpoint, {
      model: 'llama3.2',
      messages,
      params: { temperature: 0.5, max_tokens: 100, stop: ['\n\n'], seed: 7, top_p: undefined },
    });
    expect(req.url).toBe('http://localhost:11434/api/chat');
    expect(req.init.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(req.init.body ?? '')).toEqual({
      model: 'llama3.2',
      messages,
      stream: true,
      options: { temperature: 0.5, num_predict: 100, stop: ['\n\n'], seed: 7 },
    });
  });

  it('sends no options when no param is set', () => {
    const body = JSON.parse(buildOllamaChatRequest(endpoint, { model: 'm', messages }).init.body ?? '');
    expect(body).toEqual({ model: 'm', messages, stream: true });
  });

  it('sends a key when one is set (Ollama behind a proxy, Ollama cloud)', () => {
    const req = buildOllamaChatRequest({ ...endpoint, key: 'k' }, { model: 'm', messages });
    expect(req.init.headers['Authorization']).toBe('Bearer k');
  });
});

describe('buildOllamaModelsRequest', () => {
  it('gets /api/tags', () => {
    expect(buildOllamaModelsRequest(endpoint)).toEqual({ url: 'http://localhost:11434/api/tags', init: { method: 'GET', headers: {}, redirect: 'follow' } });
  });
});

describe('parseOllamaModels', () => {
  it('maps model/name and size', () => {
    const models = parseOllamaModels({
      models: [
        { name: 'qwen3:14b', model: 'qwen3:14b', size: 9276198565, details: { families: null } },
        { name: 'only-name:1b' },
        { model: 'only-model:2b' },
        { digest: 'no-name' },
      ],
    });
    expect(models).toEqual([
      { id: 'qwen3:14b', name: 'qwen3:14b', size: 9276198565 },
      { id: 'only-name:1b', name: 'only-name:1b' },
      { id: 'only-model:2b', name: 'only-model:2b' },
    ]);
  });

  it('reads models: null as empty and throws protocol for another shape', () => {
    expect(parseOllamaModels({ models: null })).toEqual([]);
    expect(() => parseOllamaModels({ data: [] })).toThrow(expect.objectContaining({ kind: 'protocol' }));
  });
});

describe('buildOllamaChatRequest: Ollama-only params', () => {
  it('puts num_ctx, top_k, min_p, repeat_penalty in options and keep_alive at the top level', () => {
    const b = JSON.parse(
      buildOllamaChatRequest({ kind: 'ollama', url: 'http://localhost:11434' }, {
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'x' }],
        params: { num_ctx: 8192, top_k: 40, min_p: 0.05, repeat_penalty: 1.1, keep_alive: '10m', max_tokens: 64 },
      }).init.body ?? '',
    );
    expect(b.options).toEqual({ num_ctx: 8192, top_k: 40, min_p: 0.05, repeat_penalty: 1.1, num_predict: 64 });
    expect(b.keep_alive).toBe('10m');
  });
});
