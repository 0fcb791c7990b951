import { describe, expect, it } from 'vitest';

import { chatBody, contentOf, llm, openAiChunks, post, useFakeLlm, type JsonObject } from './test-helpers';
import { loremMarkdown, tokenize } from './tokens';

useFakeLlm();

describe('OpenAI chat completions', () => {
  it('streams SSE chunks that reassemble to the default echo reply', async () => {
    const res = await post('/v1/chat/completions', chatBody('Hello there, 世界 🎉!'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await res.text();
    // framing: every event is "data: <json>\n\n"
    expect(text).toMatch(/^data: \{/);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    for (const block of text.split('\n\n').filter((b) => b !== '')) expect(block.startsWith('data: ')).toBe(true);
    const { chunks, done } = openAiChunks(text);
    expect(done).toBe(true);
    expect(contentOf(chunks)).toBe('You said: Hello there, 世界 🎉!');
    expect(chunks.length).toBeGreaterThan(5);
    const first = chunks[0]!;
    expect(first.object).toBe('chat.completion.chunk');
    expect(first.id).toMatch(/^chatcmpl-/);
    expect(first.model).toBe('gpt-4o-mini');
    expect(first.choices[0]!.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.every((c) => c.id === first.id)).toBe(true);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect(chunks.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null)).toBe(true);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('sends a usage-only chunk with choices:[] when stream_options.include_usage', async () => {
    const res = await post('/v1/chat/completions', chatBody('count me', { stream_options: { include_usage: true } }));
    const { chunks, done } = openAiChunks(await res.text());
    expect(done).toBe(true);
    const usageChunk = chunks[chunks.length - 1]!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ completion_tokens: tokenize('You said: count me').length });
    const u = usageChunk.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks[chunks.length - 2]!.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers a chat.completion JSON when stream is false', async () => {
    const res = await post('/v1/chat/completions', chatBody('plain', { stream: false }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as JsonObject;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'You said: plain' }, finish_reason: 'stop' }],
    });
    expect(body['usage']).toMatchObject({ completion_tokens: tokenize('You said: plain').length });
  });

  it('echoes text parts of multimodal content and the LAST user message', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'You said: first' },
        { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'image_url', image_url: { url: 'data:,' } }] },
      ],
    });
    expect(contentOf(openAiChunks(await res.text()).chunks)).toBe('You said: second');
  });

  it('streams reasoning in delta.reasoning_content before content; finishReason is honoured', async () => {
    llm.queue({ reply: 'Answer **42**.', reasoning: 'Let me think… deeply.', finishReason: 'length' });
    const { chunks } = openAiChunks(await (await post('/v1/chat/completions', chatBody('q'))).text());
    expect(contentOf(chunks, 'reasoning_content')).toBe('Let me think… deeply.');
    expect(contentOf(chunks)).toBe('Answer **42**.');
    const firstContent = chunks.findIndex((c) => typeof c.choices[0]?.delta['content'] === 'string' && c.choices[0]?.delta['content'] !== '');
    const lastReasoning = chunks.findLastIndex((c) => typeof c.choices[0]?.delta['reasoning_content'] === 'string' && c.choices[0]?.delta['reasoning_content'] !== '');
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(chunks[chunks.length - 1]!.choices[0]!.finish_reason).toBe('length');
  });

  it('the fake-reasoner model reasons by default', async () => {
    const { chunks } = openAiChunks(await (await post('/v1/chat/completions', chatBody('hi', { model: 'fake-reasoner' }))).text());
    expect(contentOf(chunks, 'reasoning_content')).not.toBe('');
    expect(contentOf(chunks)).toBe('You said: hi');
  });

  it('tokens: N streams a deterministic lorem-markdown reply', async () => {
    llm.queue({ tokens: 300 });
    llm.queue({ tokens: 300 });
    const a = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('x'))).text()).chunks);
    const b = contentOf(openAiChunks(await (await post('/v1/chat/completions', chatBody('y'))).text()).chunks);
    expect(a).toBe(loremMarkdown(300));
    expect(b).toBe(a);
  });

  it('answers 400 with OpenAI bodies for bad JSON and a missing model', async () => {
    const r1 = await post('/v1/chat/completions', '{not json');
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { error: JsonObject }).error['type']).toBe('invalid_request_error');
    const r2 = await post('/v1/chat/completions', { messages: [] });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { error: JsonObject }).error['message']).toBe('you must provide a model parameter');
  });
});
