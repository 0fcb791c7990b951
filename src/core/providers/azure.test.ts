import { describe, expect, it } from 'vitest';
import { AZURE_API_VERSION, buildAzureChatRequest, buildAzureModelsRequest } from './azure';
import { listModels } from './list-models';
import type { Endpoint } from './types';

const endpoint: Endpoint = { kind: 'openai', url: 'https://contoso.openai.azure.com/', key: 'az-key', azure: { apiVersion: '2024-06-01' } };
const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
];

describe('buildAzureChatRequest', () => {
  it('puts the deployment in the path, the api-version in the query and the key in api-key', () => {
    const req = buildAzureChatRequest(endpoint, { model: 'gpt-4o prod', messages, params: { max_tokens: 10 } });
    expect(req.url).toBe('https://contoso.openai.azure.com/openai/deployments/gpt-4o%20prod/chat/completions?api-version=2024-06-01');
    expect(req.init.headers).toEqual({ 'content-type': 'application/json', 'api-key': 'az-key' });
    expect(req.init.headers).not.toHaveProperty('Authorization');
    expect(JSON.parse(req.init.body ?? '')).toMatchObject({ stream: true, max_tokens: 10, messages });
  });

  it('accepts a URL that already ends in /openai and falls back to the GA api-version', () => {
    const req = buildAzureChatRequest({ ...endpoint, url: 'https://contoso.openai.azure.com/openai', azure: { apiVersion: ' ' } }, { model: 'd', messages });
    expect(req.url).toBe(`https://contoso.openai.azure.com/openai/deployments/d/chat/completions?api-version=${AZURE_API_VERSION}`);
  });

  it('maps reasoning deployments even on a custom domain', () => {
    const req = buildAzureChatRequest({ ...endpoint, url: 'https://llm.example.com' }, { model: 'o3-mini', messages, params: { max_tokens: 5 } });
    const body = JSON.parse(req.init.body ?? '');
    expect(body.max_completion_tokens).toBe(5);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body.messages[0].role).toBe('developer');
  });
});

describe('Azure model listing', () => {
  it('checks key and URL against /openai/models with the api-version', async () => {
    expect(buildAzureModelsRequest(endpoint).url).toBe('https://contoso.openai.azure.com/openai/models?api-version=2024-06-01');
    const seen: Array<[string, RequestInit]> = [];
    const fetch = async (url: string, init: RequestInit) => {
      seen.push([url, init]);
      return new Response(JSON.stringify({ data: [{ id: 'gpt-4o', object: 'model' }], object: 'list' }), { headers: { 'content-type': 'application/json' } });
    };
    const models = await listModels(fetch, endpoint, new AbortController().signal);
    expect(models.map((m) => m.id)).toEqual(['gpt-4o']);
    expect(seen[0]![1].headers).toEqual({ 'api-key': 'az-key' });
  });
});
