import { describe, expect, it } from 'vitest';

import { llm, post, useFakeLlm } from './test-helpers';

useFakeLlm();

describe('closedEarly', () => {
  it('marks a request whose client gave up before the answer; answered ones have no mark', async () => {
    llm.setScenario('hang-embed', { hang: true });
    const ac = new AbortController();
    const hung = post('/v1/embeddings', { model: 'hang-embed', input: ['a'] }, {}, ac.signal).catch((e: unknown) => e);
    await expect.poll(() => llm.requests().length).toBe(1);
    expect(llm.requests()[0]!.closedEarly).toBeUndefined();
    ac.abort();
    await hung;
    await expect.poll(() => llm.requests()[0]!.closedEarly).toBe(true);

    await (await post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['a'] })).json();
    expect(llm.requests()[1]).not.toHaveProperty('closedEarly');
  });
});
