import { describe, expect, it } from 'vitest';

import type { Scenario } from './scenario';
import { chatBody, llm, post, prefixed, useFakeLlm, type JsonObject } from './test-helpers';

useFakeLlm();

describe('error statuses, html, unknown routes', () => {
  const statuses = [400, 401, 403, 404, 429, 500, 503] as const;

  it.each(statuses)('OpenAI kind answers %i with the OpenAI error envelope', async (status) => {
    llm.queue({ status });
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toMatch(/^\{\n {4}"error": \{/); // pretty-printed, as api.openai.com does
    const body = JSON.parse(text) as { error: { message: string; type: string; param: unknown; code: unknown } };
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('OpenAI 401 / 404 / 429 / 500 carry the real codes and types', async () => {
    const get = async (s: Scenario, headers: Record<string, string> = {}): Promise<{ error: JsonObject }> =>
      (await (await post(prefixed(s, '/v1/chat/completions'), chatBody('x'), headers)).json()) as { error: JsonObject };
    const e401 = await get({ status: 401 }, { authorization: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz1234' });
    expect(e401.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(e401.error['message']).toBe(
      `Incorrect API key provided: sk-proj-${'*'.repeat(26)}1234. You can find your API key at https://platform.openai.com/account/api-keys.`,
    );
    expect((await get({ status: 404 })).error).toMatchObject({ code: 'model_not_found', message: 'The model `gpt-4o-mini` does not exist or you do not have access to it.' });
    expect((await get({ status: 429 })).error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect((await get({ status: 429, quota: true })).error).toMatchObject({ code: 'insufficient_quota', type: 'insufficient_quota' });
    expect((await get({ status: 500 })).error).toMatchObject({ type: 'server_error', code: null });
  });

  it('Ollama kind answers with {"error":"<string>"} bodies', async () => {
    const get = async (status: (typeof statuses)[number]): Promise<Response> =>
      post(prefixed({ status }, '/api/chat'), { model: 'nope:1b', messages: [] });
    const r404 = await get(404);
    expect(r404.status).toBe(404);
    expect(await r404.text()).toBe(`{"error":"model 'nope:1b' not found"}`);
    expect(await (await get(401)).text()).toBe('{"error":"unauthorized"}');
    const r403 = await get(403);
    expect(r403.status).toBe(403);
    expect(await r403.text()).toBe(''); // gin AbortWithStatus: no body
    for (const s of [400, 429, 500, 503] as const) {
      const r = await get(s);
      expect(r.status).toBe(s);
      const body = (await r.json()) as { error: unknown };
      expect(typeof body.error).toBe('string');
    }
  });

  it('a URL-prefix status applies to model listings too', async () => {
    const r = await fetch(llm.url + prefixed({ status: 401 }, '/v1/models'));
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: JsonObject }).error['code']).toBe('invalid_api_key');
    const o = await fetch(llm.url + prefixed({ status: 500 }, '/api/tags'));
    expect(o.status).toBe(500);
    expect(((await o.json()) as { error: string }).error).toMatch(/llama runner/);
  });

  it('html: true answers 200 text/html with a login page, for chat and listings', async () => {
    for (const p of ['/v1/models', '/api/tags']) {
      const r = await fetch(llm.url + prefixed({ html: true }, p));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await r.text()).toMatch(/^<!DOCTYPE html>[\s\S]*<form/);
    }
    llm.queue({ html: true });
    const c = await post('/v1/chat/completions', chatBody('x'));
    expect(c.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(c.clone().json()).rejects.toThrow();
    await c.text();
  });

  it('unknown routes answer each kind\'s 404', async () => {
    const a = await post('/v1/nope', {});
    expect(a.status).toBe(404);
    expect(((await a.json()) as { error: JsonObject }).error['message']).toBe('Invalid URL (POST /v1/nope)');
    const b = await fetch(llm.url + '/api/nope');
    expect(b.status).toBe(404);
    expect(await b.text()).toBe('404 page not found');
  });
});
