import { describe, expect, it } from 'vitest';

import { parseScenario } from './scenario';
import { ORIGIN, chatBody, contentOf, llm, ndjson, openAiChunks, post, prefixed, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('scenario selection', () => {
  it('the URL prefix routes the rest of the path and beats queue and model scenarios', async () => {
    llm.queue({ reply: 'from queue' });
    llm.setScenario('gpt-4o-mini', { reply: 'from model' });
    const viaPrefix = await post(prefixed({ reply: 'from prefix' }, '/v1/chat/completions'), chatBody('x'));
    expect(contentOf(openAiChunks(await viaPrefix.text()).chunks)).toBe('from prefix');
    // the prefix did not consume the queue
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('from queue');
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('from model');
    llm.setScenario('gpt-4o-mini', null);
    expect(contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks)).toBe('You said: x');
    // a prefixed connection URL works for listings as well
    const models = await fetch(`${llm.url}${prefixed({ reply: 'r' }, '/v1/models')}`);
    expect(models.status).toBe(200);
    await models.text();
  });

  it('the literal encoded URL form from the brief works', async () => {
    const r = await fetch(`${llm.url}/x/%7B%22cors%22%3Afalse%7D/v1/models`, { headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    await r.text();
  });

  it('the queue is FIFO and each entry applies to one chat request (listings do not consume it)', async () => {
    await post('/__fake/queue', { scenario: { reply: 'first' } });
    llm.queue({ reply: 'second' });
    await (await fetch(llm.url + '/v1/models')).text();
    const a = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks);
    const b = ndjson(await (await post('/api/chat', { model: 'qwen3:0.6b', messages: [] })).text());
    const c = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('third'))).text()).chunks);
    expect(a).toBe('first');
    expect(b.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe('second');
    expect(c).toBe('You said: third');
  });

  it('POST /__fake/scenario registers a scenario for a model id', async () => {
    expect((await post('/__fake/scenario', { model: 'qwen3:0.6b', scenario: { reply: 'per model' } })).status).toBe(200);
    const lines = ndjson(await (await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'p' })).text());
    expect(lines.slice(0, -1).map((l) => l['response']).join('')).toBe('per model');
    const other = ndjson(await (await post('/api/generate', { model: 'llama3.2:latest', prompt: 'p' })).text());
    expect(other.slice(0, -1).map((l) => l['response']).join('')).toBe('You said: p');
  });

  it('rejects invalid scenarios (control endpoints, prefix, API)', async () => {
    const r = await post('/__fake/queue', { scenario: { replay: 'typo' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/replay/);
    expect((await post('/__fake/scenario', { model: 'm', scenario: { status: 418 } })).status).toBe(400);
    const bad = await fetch(`${llm.url}/x/%7Bnot-json/v1/models`);
    expect(bad.status).toBe(400);
    await bad.text();
    expect(() => llm.queue({ split: 0 })).toThrow();
    expect(() => parseScenario({ fixture: '../../etc/passwd' })).toThrow();
    expect(parseScenario({ split: 'odd', status: 429, quota: true, tokens: 10 })).toEqual({ split: 'odd', status: 429, quota: true, tokens: 10 });
  });
});
