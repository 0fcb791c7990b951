import { describe, expect, it } from 'vitest';

import { llm, useFakeLlm } from './test-helpers';

useFakeLlm();

const chatUrl = (deployment: string, version = '2024-10-21') => `${llm.url}/openai/deployments/${deployment}/chat/completions${version ? `?api-version=${version}` : ''}`;
const body = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true });

describe('Azure OpenAI routes', () => {
  it('streams from a deployment named in the path, with api-key and api-version', async () => {
    const res = await fetch(chatUrl('gpt-4o-mini'), { method: 'POST', headers: { 'api-key': 'k', 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const text = await res.text();
    const content = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => (JSON.parse(l.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content ?? '')
      .join('');
    expect(content).toBe('You said: hi');
    expect(text).toContain('"model":"gpt-4o-mini"');
    expect(text).toContain('[DONE]');
    expect(llm.requests().at(-1)).toMatchObject({ path: '/openai/deployments/gpt-4o-mini/chat/completions', query: { 'api-version': '2024-10-21' } });
  });

  it('answers like Azure when the key, the api-version or the deployment is wrong', async () => {
    const noKey = await fetch(chatUrl('gpt-4o-mini'), { method: 'POST', headers: { authorization: 'Bearer k' }, body });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toContain('Access denied');
    const noVersion = await fetch(chatUrl('gpt-4o-mini', ''), { method: 'POST', headers: { 'api-key': 'k' }, body });
    expect(noVersion.status).toBe(404);
    const noDeployment = await fetch(chatUrl('nope'), { method: 'POST', headers: { 'api-key': 'k' }, body });
    expect(noDeployment.status).toBe(404);
    expect(((await noDeployment.json()) as { error: { code: string } }).error.code).toBe('DeploymentNotFound');
  });

  it('lists models under /openai/models', async () => {
    const res = await fetch(`${llm.url}/openai/models?api-version=2024-10-21`, { headers: { 'api-key': 'k' } });
    const list = (await res.json()) as { data: Array<{ id: string }> };
    expect(list.data.map((m) => m.id)).toEqual(['gpt-4o-mini', 'fake-reasoner']);
  });
});
