import { describe, expect, it } from 'vitest';
import { buildOpenAIChatRequest, buildOpenAIModelsRequest, parseOpenAIModels } from './openai';
import type { Endpoint } from './types';

const endpoint: Endpoint = { kind: 'openai', url: 'https://api.example.com/v1//', key: 'sk-test' };
const messages = [{ role: 'user' as const, content: 'Hi' }];

describe('buildOpenAIChatRequest', () => {
  it('posts a streamed request with usage to the trimmed base URL', () => {
    const req = buildOpenAIChatRequest(endpoint, { model: 'gpt-x', messages, params: { temperature: 0.2, max_tokens: 50 } });
    expect(req.url).toBe('https://api.example.com/v1/chat/completions');
    expect(req.init.method).toBe('POST');
    expect(req.init.headers).toEqual({ 'content-type': 'application/json', Authorization: 'Bearer sk-test' });
    expect(JSON.parse(req.init.body ?? '')).toEqual({
      model: 'gpt-x',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 50,
    });
  });

  it('leaves out undefined params and an empty stop list, keeps a real one', () => {
    const a = JSON.parse(buildOpenAIChatRequest(endpoint, { model: 'm', messages, params: { top_p: undefined, stop: [] } }).init.body ?? '');
    expect(a).not.toHaveProperty('top_p');
    expect(a).not.toHaveProperty('stop');
    const b = JSON.parse(buildOpenAIChatRequest(endpoint, { model: 'm', messages, params: { stop: ['END'] } }).init.body ?? '');
    expect(b.stop).toEqual(['END']);
  });

  it('sends no Authorization without a key or with auth type none', () => {
    expect(buildOpenAIChatRequest({ kind: 'openai', url: 'http://x' }, { model: 'm', messages }).init.headers).not.toHaveProperty('Authorization');
    const none = buildOpenAIChatRequest({ ...endpoint, authType: 'none' }, { model: 'm', messages });
    expect(none.init.headers).not.toHaveProperty('Authorization');
  });

  it('merges the connection headers over ours, whatever their case', () => {
    const req = buildOpenAIChatRequest({ ...endpoint, headers: { authorization: 'Token abc', 'api-key': 'azure' } }, { model: 'm', messages });
    expect(req.init.headers).toEqual({ 'content-type': 'application/json', authorization: 'Token abc', 'api-key': 'azure' });
  });
});

describe('buildOpenAIModelsRequest', () => {
  it('gets /models with auth', () => {
    const req = buildOpenAIModelsRequest(endpoint);
    expect(req).toEqual({ url: 'https://api.example.com/v1/models', init: { method: 'GET', headers: { Authorization: 'Bearer sk-test' }, redirect: 'manual' } });
  });
});

describe('parseOpenAIModels', () => {
  it('maps id, name, owner and context length', () => {
    const models = parseOpenAIModels({
      object: 'list',
      data: [
        { id: 'gpt-4o', object: 'model', owned_by: 'openai' },
        { id: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', context_length: 128000 },
        { id: 'granite', max_model_len: 4096, owned_by: 'vllm' },
      ],
    });
    expect(models).toEqual([
      { id: 'gpt-4o', name: 'gpt-4o', ownedBy: 'openai' },
      { id: 'openai/gpt-4o', name: 'OpenAI: GPT-4o', contextLength: 128000 },
      { id: 'granite', name: 'granite', ownedBy: 'vllm', contextLength: 4096 },
    ]);
  });

  it('reads data: null (empty Ollama) and a bare array as lists', () => {
    expect(parseOpenAIModels({ object: 'list', data: null })).toEqual([]);
    expect(parseOpenAIModels([{ id: 'a' }])).toEqual([{ id: 'a', name: 'a' }]);
  });

  it('skips entries without an id and ignores mistyped optional fields', () => {
    expect(parseOpenAIModels({ data: [{ object: 'model' }, { id: 'ok', owned_by: 7, context_length: 'big' }] })).toEqual([{ id: 'ok', name: 'ok' }]);
  });

  it('throws a protocol AppError for a body that is not a model list', () => {
    expect(() => parseOpenAIModels({ models: [] })).toThrow(expect.objectContaining({ kind: 'protocol' }));
    expect(() => parseOpenAIModels('nope')).toThrow(expect.objectContaining({ kind: 'protocol' }));
  });
});
