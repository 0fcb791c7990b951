import { describe, expect, it } from 'vitest';

import { llm, post, useFakeLlm, type JsonObject } from './test-helpers';

useFakeLlm();

describe('model listings', () => {
  it('GET /v1/models lists the OpenAI models', async () => {
    const res = await fetch(llm.url + '/v1/models');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { object: string; data: JsonObject[] };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m['id'])).toEqual(['gpt-4o-mini', 'fake-reasoner']);
    for (const m of body.data) {
      expect(m['object']).toBe('model');
      expect(typeof m['created']).toBe('number');
      expect(typeof m['owned_by']).toBe('string');
    }
  });

  it('GET /api/tags and /api/version answer like Ollama', async () => {
    const tags = (await (await fetch(llm.url + '/api/tags')).json()) as { models: JsonObject[] };
    expect(tags.models.map((m) => m['name'])).toEqual(['llama3.2:latest', 'qwen3:0.6b']);
    const m = tags.models[1]!;
    expect(m['model']).toBe('qwen3:0.6b');
    expect(typeof m['modified_at']).toBe('string');
    expect(typeof m['size']).toBe('number');
    expect(m['digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(m['details']).toMatchObject({ format: 'gguf', family: 'qwen3', families: ['qwen3'], parameter_size: '0.6B', quantization_level: 'Q4_K_M' });
    expect(await (await fetch(llm.url + '/api/version')).json()).toEqual({ version: '0.12.0' });
  });

  it('setModels and POST /__fake/models change the lists; reset restores them', async () => {
    llm.setModels('openai', ['a', 'b', 'c']);
    let r = await post('/__fake/models', { kind: 'ollama', ids: ['mistral:7b'] });
    expect(r.status).toBe(200);
    const openai = (await (await fetch(llm.url + '/v1/models')).json()) as { data: JsonObject[] };
    expect(openai.data.map((m) => m['id'])).toEqual(['a', 'b', 'c']);
    const tags = (await (await fetch(llm.url + '/api/tags')).json()) as { models: JsonObject[] };
    expect(tags.models.map((m) => m['name'])).toEqual(['mistral:7b']);
    r = await post('/__fake/models', { kind: 'nope', ids: [] });
    expect(r.status).toBe(400);
    await post('/__fake/reset', {});
    const again = (await (await fetch(llm.url + '/v1/models')).json()) as { data: JsonObject[] };
    expect(again.data.map((m) => m['id'])).toEqual(['gpt-4o-mini', 'fake-reasoner']);
  });
});
