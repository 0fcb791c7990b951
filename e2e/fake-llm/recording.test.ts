import { describe, expect, it } from 'vitest';

import { ORIGIN, chatBody, llm, post, prefixed, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('request recording', () => {
  it('records every request with method, path, query, headers and parsed body', async () => {
    await (await fetch(llm.url + '/v1/models?limit=5', { headers: { authorization: 'Bearer sk-test-123' } })).text();
    await (
      await fetch(llm.url + '/v1/chat/completions', { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } })
    ).text();
    await (await post(prefixed({ reply: 'r' }, '/v1/chat/completions'), chatBody('rec'), { authorization: 'Bearer sk-abc', 'x-test': 'yes' })).text();
    await (await post('/api/generate', 'plain text body', { 'content-type': 'text/plain' })).text();
    const recs = llm.requests();
    expect(recs.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'OPTIONS /v1/chat/completions',
      'POST /v1/chat/completions',
      'POST /api/generate',
    ]);
    expect(recs[0]!.query).toEqual({ limit: '5' });
    expect(recs[0]!.headers['authorization']).toBe('Bearer sk-test-123');
    expect(recs[1]!.body).toBeNull();
    const chat = recs[2]!;
    expect(chat.headers['authorization']).toBe('Bearer sk-abc');
    expect(chat.headers['x-test']).toBe('yes');
    expect(chat.body).toEqual(chatBody('rec'));
    expect(chat.scenario).toEqual({ reply: 'r' });
    expect(chat.url.startsWith('/x/')).toBe(true);
    expect(recs[3]!.body).toBe('plain text body');
    expect(typeof chat.at).toBe('number');
    // GET /__fake/requests returns the same, and control calls are not recorded
    const viaHttp = (await (await fetch(llm.url + '/__fake/requests')).json()) as unknown[];
    expect(viaHttp).toHaveLength(4);
    llm.reset();
    expect(llm.requests()).toEqual([]);
  });
});
