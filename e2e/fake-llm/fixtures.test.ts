import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_FIXTURES_DIR } from './server';
import { chatBody, concat, llm, post, prefixed, readChunks, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('fixtures', () => {
  const streamsDir = path.join(DEFAULT_FIXTURES_DIR, 'streams');
  const cases = existsSync(streamsDir)
    ? readdirSync(streamsDir)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => f.slice(0, -4))
    : [];

  it('the default fixturesDir is <repo>/../shared/fixtures and has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it('serves every fixture byte-exact with the sidecar contentType and status', async () => {
    for (const name of cases) {
      const sidecar = JSON.parse(readFileSync(path.join(streamsDir, `${name}.json`), 'utf8')) as { contentType: string; status: number };
      const expected = readFileSync(path.join(streamsDir, `${name}.txt`));
      const endpoint = sidecar.contentType.includes('ndjson') ? '/api/chat' : '/v1/chat/completions';
      llm.queue({ fixture: name });
      const res = await post(endpoint, { model: 'x', messages: [] });
      expect(res.status, name).toBe(sidecar.status);
      expect(res.headers.get('content-type'), name).toBe(sidecar.contentType);
      expect(Buffer.from(await res.arrayBuffer()).equals(expected), name).toBe(true);
    }
  });

  it('applies tokensPerSecond per event to fixtures', async () => {
    const name = 'ollama-chat-text';
    const expected = readFileSync(path.join(streamsDir, `${name}.txt`));
    const t0 = performance.now();
    const res = await post(prefixed({ fixture: name, tokensPerSecond: 200 }, '/api/chat'), {});
    const chunks = await readChunks(res);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(80); // 22 lines at 200/s ≈ 110 ms
    expect(concat(chunks).equals(expected)).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
  });

  it('answers 500 with an explanation for a missing fixture', async () => {
    llm.queue({ fixture: 'no-such-case' });
    const r = await post('/v1/chat/completions', chatBody('x'));
    expect(r.status).toBe(500);
    expect(await r.text()).toMatch(/no-such-case/);
  });
});
