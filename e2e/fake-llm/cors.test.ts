import { describe, expect, it } from 'vitest';

import { ORIGIN, chatBody, llm, post, prefixed, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('CORS', () => {
  it('echoes the Origin on responses and answers preflight with requested headers', async () => {
    const r = await fetch(llm.url + '/v1/models', { headers: { origin: ORIGIN } });
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await r.text();
    const noOrigin = await fetch(llm.url + '/v1/models');
    expect(noOrigin.headers.get('access-control-allow-origin')).toBe('*');
    await noOrigin.text();
    const pre = await fetch(llm.url + '/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-test' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    const allowed = pre.headers.get('access-control-allow-headers')!.split(',').map((s) => s.trim());
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-test']));
    expect(Number(pre.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('cors: false omits every Access-Control-* header, preflight included', async () => {
    const p = prefixed({ cors: false }, '/v1/models');
    const r = await fetch(llm.url + p, { headers: { origin: ORIGIN } });
    expect(r.status).toBe(200);
    expect([...r.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    await r.text();
    const pre = await fetch(llm.url + p, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
    expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    llm.queue({ cors: false });
    const c = await post('/v1/chat/completions', chatBody('x'), { origin: ORIGIN });
    expect(c.headers.get('access-control-allow-origin')).toBeNull();
    await c.text();
  });

  it('error and streaming responses carry CORS headers too', async () => {
    llm.queue({ status: 429 });
    const r = await post('/v1/chat/completions', chatBody('x'), { origin: ORIGIN });
    expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(r.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    await r.text();
    const s = await post('/api/chat', { model: 'm', messages: [] }, { origin: ORIGIN });
    expect(s.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    await s.text();
  });
});
