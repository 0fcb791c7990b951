import { describe, expect, it } from 'vitest';
import { streamChat } from './stream-chat';
import { collect, endsOnce } from './test-collect';
import { utf8 } from './test-chunks';
import { bodyOf, fakeFetch } from './test-fetch';
import type { ChatEvent, ChatRequest, Endpoint } from './types';

const openai: Endpoint = { kind: 'openai', url: 'https://api.example.com/v1', key: 'sk' };
const ollama: Endpoint = { kind: 'ollama', url: 'http://localhost:11434' };
const req: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };
const sse = { 'content-type': 'text/event-stream' };
const chunk = (content: string) => utf8(`data: {"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}\n\n`);

describe('streamChat', () => {
  it('passes the signal to fetch with the built request and streams the answer', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(bodyOf([chunk('Hal'), chunk('lo'), utf8('data: [DONE]\n\n')]).stream, { headers: sse }));
    const signal = new AbortController().signal;
    const got = await collect(streamChat(fetch, openai, req, signal));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('https://api.example.com/v1/chat/completions');
    expect(calls[0]?.init.signal).toBe(signal);
    expect(calls[0]?.init.method).toBe('POST');
    expect(got).toMatchObject({ text: 'Hallo', error: null });
    expect(got.types.at(-1)).toBe('done');
  });

  it('stops at an abort mid-stream, even when the body ignores the signal, and cancels the body', async () => {
    const body = bodyOf([chunk('first')], 'hang');
    const { fetch } = fakeFetch(() => new Response(body.stream, { headers: sse }));
    const controller = new AbortController();
    const seen: ChatEvent[] = [];
    for await (const ev of streamChat(fetch, openai, req, controller.signal)) {
      seen.push(ev);
      if (ev.type === 'text') controller.abort();
    }
    expect(seen.map((e) => e.type)).toEqual(['text', 'error']);
    expect(seen.at(-1)).toMatchObject({ type: 'error', error: { kind: 'aborted' } });
    await Promise.resolve();
    expect(body.state.cancelled).toBe(true);
  });

  it('reports a dropped connection as network, lost mid-answer', async () => {
    const { fetch } = fakeFetch(() => new Response(bodyOf([chunk('half')], { failWith: new TypeError('terminated') }).stream, { headers: sse }));
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got.text).toBe('half');
    expect(got.error).toMatchObject({ kind: 'network', message: 'The connection to the server was lost mid-answer.' });
    expect(endsOnce(got.types)).toBe(true);
  });

  it('reports a rejected fetch as network, naming CORS', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got.types).toEqual(['error']);
    expect(got.error?.kind).toBe('network');
    expect(got.error?.message).toMatch(/https:\/\/api\.example\.com/);
    expect(got.error?.message).toMatch(/CORS/);
  });

  it('reports a fetch rejected by an abort as aborted', async () => {
    const controller = new AbortController();
    const { fetch } = fakeFetch(() => {
      controller.abort();
      return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    });
    const got = await collect(streamChat(fetch, openai, req, controller.signal));
    expect(got.error).toEqual({ kind: 'aborted', message: 'Stopped.' });
  });

  it('does not call fetch when the signal is already aborted', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(''));
    const controller = new AbortController();
    controller.abort();
    const got = await collect(streamChat(fetch, openai, req, controller.signal));
    expect(calls).toHaveLength(0);
    expect(got.error?.kind).toBe('aborted');
  });

  it('turns a non-2xx answer into one http error from its body', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response('{"error":{"message":"Incorrect API key","type":"invalid_request_error","code":"invalid_api_key"}}', {
          status: 401,
          statusText: 'Unauthorized',
          headers: { 'content-type': 'application/json' },
        }),
    );
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got.types).toEqual(['error']);
    expect(got.error).toMatchObject({ kind: 'http', status: 401, message: 'Incorrect API key', code: 'invalid_api_key' });
  });

  it('turns a 200 web page into a protocol error', async () => {
    const { fetch } = fakeFetch(() => new Response('<!doctype html><title>Login</title>', { headers: { 'content-type': 'text/html' } }));
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got.types).toEqual(['error']);
    expect(got.error?.kind).toBe('protocol');
    expect(got.error?.message).toMatch(/web page/);
  });

  it('reads a whole JSON completion from a server that ignored stream: true', async () => {
    const body = '{"choices":[{"index":0,"message":{"role":"assistant","content":"Ganz."},"finish_reason":"stop"}],"usage":{"total_tokens":3}}';
    const { fetch } = fakeFetch(() => new Response(body, { headers: { 'content-type': 'application/json' } }));
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got).toMatchObject({ text: 'Ganz.', finishReason: 'stop', usage: { total_tokens: 3 } });
    expect(got.types.at(-1)).toBe('done');
  });

  it('moves an inline <think> block into reasoning', async () => {
    const { fetch } = fakeFetch(() => new Response(bodyOf([chunk('<th'), chunk('ink>hmm</thi'), chunk('nk>Answer')]).stream, { headers: sse }));
    const got = await collect(streamChat(fetch, openai, req, new AbortController().signal));
    expect(got).toMatchObject({ reasoning: 'hmm', text: 'Answer' });
  });

  it('speaks Ollama NDJSON to an ollama endpoint', async () => {
    const lines = utf8('{"message":{"role":"assistant","content":"Grüß"},"done":false}\n{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":1}\n');
    const { fetch, calls } = fakeFetch(() => new Response(bodyOf([lines.subarray(0, 40), lines.subarray(40)]).stream, { headers: { 'content-type': 'application/x-ndjson' } }));
    const got = await collect(streamChat(fetch, ollama, req, new AbortController().signal));
    expect(calls[0]?.url).toBe('http://localhost:11434/api/chat');
    expect(got).toMatchObject({ text: 'Grüß', finishReason: 'stop', usage: { eval_count: 1 } });
  });

  it('refuses a WebGPU endpoint without calling fetch', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(''));
    const got = await collect(streamChat(fetch, { kind: 'webgpu', url: '' }, req, new AbortController().signal));
    expect(calls).toHaveLength(0);
    expect(got.error?.kind).toBe('internal');
    expect(got.error?.message).toMatch(/not supported here/);
  });
});
