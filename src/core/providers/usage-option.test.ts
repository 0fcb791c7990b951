import { describe, expect, it } from 'vitest';
import { streamChat } from './stream-chat';
import { collect } from './test-collect';
import type { Endpoint } from './types';

const sse = (...chunks: string[]) =>
  new Response(chunks.map((c) => `data: ${c}\n\n`).join('') + 'data: [DONE]\n\n', { headers: { 'content-type': 'text/event-stream' } });
const ok = () => sse(JSON.stringify({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] }));
const endpoint: Endpoint = { kind: 'openai', url: 'http://vllm/v1' };
const req = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }] };

function server(reject: (body: Record<string, unknown>) => Response | null) {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch = async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    bodies.push(body);
    return reject(body) ?? ok();
  };
  return { fetch, bodies };
}

describe('stream_options.include_usage', () => {
  it('is asked for, and dropped once when the server refuses it by name', async () => {
    const s = server((b) =>
      b['stream_options'] ? new Response(JSON.stringify({ object: 'error', message: "[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options')}]" }), { status: 400 }) : null,
    );
    const got = await collect(streamChat(s.fetch, endpoint, req, new AbortController().signal));
    expect(got.text).toBe('hi');
    expect(got.error).toBeNull();
    expect(s.bodies.map((b) => 'stream_options' in b)).toEqual([true, false]);
  });

  it('does not retry other 400s, nor Ollama, nor forever', async () => {
    const other = server(() => new Response(JSON.stringify({ error: { message: 'max_tokens is too large' } }), { status: 400 }));
    expect((await collect(streamChat(other.fetch, endpoint, req, new AbortController().signal))).error?.message).toContain('max_tokens');
    expect(other.bodies).toHaveLength(1);
    const always = server(() => new Response('unknown field stream_options', { status: 422 }));
    expect((await collect(streamChat(always.fetch, endpoint, req, new AbortController().signal))).error?.status).toBe(422);
    expect(always.bodies).toHaveLength(2);
  });
});
