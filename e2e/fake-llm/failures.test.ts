import { describe, expect, it } from 'vitest';

import { startFakeLlm } from './server';
import { chatBody, contentOf, llm, ndjson, openAiChunks, post, prefixed, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('failures mid-stream', () => {
  it('errorAfterTokens (OpenAI): error event after N tokens, then [DONE]', async () => {
    llm.queue({ reply: 'one two three four five six', errorAfterTokens: 3 });
    const text = await (await post('/v1/chat/completions', chatBody('x'))).text();
    const { chunks, errors, done } = openAiChunks(text);
    expect(contentOf(chunks)).toBe('one two three');
    expect(errors).toEqual([{ error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null } }]);
    expect(done).toBe(true);
    expect(text.endsWith('data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}\n\ndata: [DONE]\n\n')).toBe(true);
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('errorAfterTokens (Ollama): an {"error"} line and no done line', async () => {
    llm.queue({ reply: 'one two three four', errorAfterTokens: 2 });
    const lines = ndjson(await (await post('/api/chat', { model: 'llama3.2:latest', messages: [] })).text());
    expect(lines[lines.length - 1]).toEqual({ error: 'an error was encountered while running the model' });
    expect(lines.some((l) => l['done'] === true)).toBe(false);
    expect(lines.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe('one two');
  });

  it('dropAfterTokens destroys the socket: reading the body rejects', async () => {
    llm.queue({ reply: 'one two three four five', dropAfterTokens: 2 });
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    llm.queue({ reply: 'one two three four five', dropAfterTokens: 2, tokensPerSecond: 1000 });
    const res2 = await post('/api/chat', { model: 'llama3.2:latest', messages: [] });
    const reader = res2.body!.getReader();
    let got = '';
    await expect(
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          got += Buffer.from(value).toString('utf8');
        }
      })(),
    ).rejects.toThrow();
    expect(got).toContain('"content":"one"');
    expect(got).not.toContain('"done":true');
  });

  it('hangAfterTokens sends N tokens then stalls; aborting via AbortSignal works', async () => {
    llm.queue({ reply: 'alpha beta gamma delta', hangAfterTokens: 2 });
    const ac = new AbortController();
    const res = await post('/v1/chat/completions', chatBody('x'), {}, ac.signal);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('" beta"')) {
      const { value, done } = await reader.read();
      if (done) throw new Error('ended early');
      text += Buffer.from(value).toString('utf8');
    }
    const pending = reader.read();
    const raced = await Promise.race([pending.then(() => 'data'), new Promise((r) => setTimeout(() => r('stalled'), 150))]);
    expect(raced).toBe('stalled');
    ac.abort();
    await expect(pending).rejects.toThrow();
    expect(text).not.toContain('[DONE]');
  });

  it('hang: true never answers; AbortSignal aborts the fetch', async () => {
    llm.queue({ hang: true });
    const t0 = performance.now();
    await expect(post('/v1/chat/completions', chatBody('x'), {}, AbortSignal.timeout(150))).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('close() returns promptly with hung requests and hung streams open', async () => {
    const own = await startFakeLlm({ port: 0 });
    const hung = fetch(`${own.url}${prefixed({ hang: true }, '/v1/chat/completions')}`, { method: 'POST', body: JSON.stringify(chatBody('x')) });
    const res = await fetch(`${own.url}${prefixed({ hangAfterTokens: 1 }, '/api/chat')}`, { method: 'POST', body: '{"model":"m","messages":[]}' });
    const body = res.text();
    hung.catch(() => undefined);
    body.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 30));
    const t0 = performance.now();
    await own.close();
    expect(performance.now() - t0).toBeLessThan(500);
    await expect(hung).rejects.toThrow();
    await expect(body).rejects.toThrow();
    await own.close(); // idempotent
  });

  it('ttlMs closes the server by itself', async () => {
    const own = await startFakeLlm({ port: 0, ttlMs: 50 });
    await new Promise((r) => setTimeout(r, 150));
    await expect(fetch(own.url + '/v1/models')).rejects.toThrow();
    await own.close();
  });
});
