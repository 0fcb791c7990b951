import { describe, expect, it } from 'vitest';
import { attributionHeaders, authHeaders, httpRequest } from './base-url';
import { listModels } from './list-models';
import { streamChat } from './stream-chat';
import { collect } from './test-collect';
import type { Endpoint } from './types';

describe('attributionHeaders', () => {
  it('tells OpenRouter who calls, and nobody else', () => {
    const or: Endpoint = { kind: 'openai', url: 'https://openrouter.ai/api/v1', key: 'k', appOrigin: 'https://chat.example' };
    expect(attributionHeaders(or)).toEqual({ 'HTTP-Referer': 'https://chat.example', 'X-Title': 'Parley' });
    expect(authHeaders(or)).toMatchObject({ 'HTTP-Referer': 'https://chat.example', 'X-Title': 'Parley', Authorization: 'Bearer k' });
    expect(attributionHeaders({ ...or, url: 'https://openrouter.ai.evil.example/v1' })).toEqual({});
    expect(attributionHeaders({ ...or, url: 'https://api.openai.com/v1' })).toEqual({});
  });

  it('lets the user override them', () => {
    const or: Endpoint = { kind: 'openai', url: 'https://openrouter.ai/api/v1', appOrigin: 'https://a', headers: { 'x-title': 'Mine' } };
    expect(authHeaders(or)).toEqual({ 'HTTP-Referer': 'https://a', 'x-title': 'Mine' });
  });
});

describe('redirects', () => {
  it('are followed only when nothing secret travels', () => {
    expect(httpRequest({ kind: 'ollama', url: 'http://h' }, 'http://h/api/tags', 'GET').init.redirect).toBe('follow');
    expect(httpRequest({ kind: 'ollama', url: 'http://h', key: 'k' }, 'http://h/api/tags', 'GET').init.redirect).toBe('manual');
    expect(httpRequest({ kind: 'ollama', url: 'http://h', key: 'k', authType: 'none' }, 'u', 'GET').init.redirect).toBe('follow');
    expect(httpRequest({ kind: 'openai', url: 'http://h', headers: { 'X-Token': 't' } }, 'u', 'GET').init.redirect).toBe('manual');
  });

  const redirecting = async () => new Response(null, { status: 301, headers: { location: 'https://elsewhere.example/v1/models' } });
  const endpoint: Endpoint = { kind: 'openai', url: 'http://api.example/v1', key: 'sk-secret' };

  it('a listing that redirects is reported, naming the new address and not the key', async () => {
    const err = await listModels(redirecting, endpoint, new AbortController().signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'http', status: 301 });
    const text = JSON.stringify(err);
    expect(text).toContain('https://elsewhere.example/v1/models');
    expect(text).not.toContain('sk-secret');
  });

  it('a chat that redirects ends in one error event', async () => {
    const got = await collect(streamChat(redirecting, endpoint, { model: 'm', messages: [] }, new AbortController().signal));
    expect(got.types).toEqual(['error']);
    expect(got.error).toMatchObject({ kind: 'http', status: 301 });
  });
});
