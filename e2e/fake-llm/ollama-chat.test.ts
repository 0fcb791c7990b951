import { describe, expect, it } from 'vitest';

import { llm, ndjson, post, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('Ollama native', () => {
  it('/api/chat streams NDJSON lines with a final done line (Go-style compact JSON)', async () => {
    const res = await post('/api/chat', { model: 'llama3.2:latest', messages: [{ role: 'user', content: 'a<b & c>d' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const raw = await res.text();
    expect(raw).toContain('\\u003c'); // Go escapes <, >, &
    expect(raw).not.toContain(': '); // compact
    const lines = ndjson(raw);
    const last = lines[lines.length - 1]!;
    const body = lines.slice(0, -1);
    for (const l of body) {
      expect(Object.keys(l)).toEqual(['model', 'created_at', 'message', 'done']);
      expect(l['done']).toBe(false);
      expect(l['created_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    }
    expect(body.map((l) => (l['message'] as { content: string }).content).join('')).toBe('You said: a<b & c>d');
    expect(Object.keys(last)).toEqual([
      'model',
      'created_at',
      'message',
      'done_reason',
      'done',
      'total_duration',
      'load_duration',
      'prompt_eval_count',
      'prompt_eval_duration',
      'eval_count',
      'eval_duration',
    ]);
    expect(last).toMatchObject({ model: 'llama3.2:latest', message: { role: 'assistant', content: '' }, done_reason: 'stop', done: true, eval_count: body.length });
  });

  it('/api/chat puts thinking in message.thinking before content', async () => {
    llm.setScenario('qwen3:0.6b', { reasoning: 'hmm, 考える', reply: 'done' });
    const lines = ndjson(await (await post('/api/chat', { model: 'qwen3:0.6b', messages: [{ role: 'user', content: 'x' }] })).text());
    const msgs = lines.slice(0, -1).map((l) => l['message'] as { content: string; thinking?: string });
    expect(msgs.map((m) => m.thinking ?? '').join('')).toBe('hmm, 考える');
    expect(msgs.map((m) => m.content).join('')).toBe('done');
    const firstContent = msgs.findIndex((m) => m.content !== '');
    expect(msgs.slice(firstContent).every((m) => m.thinking === undefined)).toBe(true);
  });

  it('/api/generate streams `response` and answers one object when stream is false', async () => {
    const lines = ndjson(await (await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'gen me' })).text());
    expect(lines.slice(0, -1).map((l) => l['response']).join('')).toBe('You said: gen me');
    expect(lines[lines.length - 1]).toMatchObject({ response: '', done: true, done_reason: 'stop' });
    const one = await post('/api/generate', { model: 'qwen3:0.6b', prompt: 'once', stream: false });
    expect(one.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await one.json()).toMatchObject({ response: 'You said: once', done: true });
    const chat = await post('/api/chat', { model: 'qwen3:0.6b', stream: false, messages: [{ role: 'user', content: 'c' }] });
    expect(await chat.json()).toMatchObject({ message: { role: 'assistant', content: 'You said: c' }, done: true });
  });

  it('answers 400 {"error":"model is required"} without a model', async () => {
    const r = await post('/api/chat', { messages: [] });
    expect(r.status).toBe(400);
    expect(await r.text()).toBe('{"error":"model is required"}');
  });
});
