import { describe, expect, it } from 'vitest';
import { buildOpenAIChatRequest } from './openai';
import { isOpenAIHost, isReasoningModel } from './map-reasoning-model';
import type { ChatMessage, Endpoint } from './types';

const openai: Endpoint = { kind: 'openai', url: 'https://api.openai.com/v1', key: 'sk' };
const azure: Endpoint = { kind: 'openai', url: 'https://my-res.openai.azure.com/openai', key: 'k' };
const vllm: Endpoint = { kind: 'openai', url: 'http://gpu-box:8000/v1' };
const messages: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];
const body = (e: Endpoint, model: string, max_tokens?: number) =>
  JSON.parse(buildOpenAIChatRequest(e, { model, messages, params: { max_tokens } }).init.body ?? '');

describe('reasoning models on OpenAI and Azure', () => {
  it('recognises the o1, o3, o4 and gpt-5 families only', () => {
    expect(['o1', 'o1-mini', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-nano', 'O3'].every(isReasoningModel)).toBe(true);
    expect(['gpt-4o', 'gpt-4.1', 'llama3', 'omni-o1'].some(isReasoningModel)).toBe(false);
  });

  it('knows OpenAI and Azure hosts', () => {
    expect(isOpenAIHost('https://api.openai.com/v1')).toBe(true);
    expect(isOpenAIHost('https://x.openai.azure.com/openai')).toBe(true);
    expect(isOpenAIHost('http://localhost:8000/v1')).toBe(false);
    expect(isOpenAIHost('not a url')).toBe(false);
  });

  it('sends max_completion_tokens and a developer message', () => {
    const b = body(openai, 'o3-mini', 100);
    expect(b.max_completion_tokens).toBe(100);
    expect(b).not.toHaveProperty('max_tokens');
    expect(b.messages).toEqual([{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
    expect(body(azure, 'gpt-5', 7).max_completion_tokens).toBe(7);
  });

  it('turns the system message into a user message for o1-mini and o1-preview', () => {
    expect(body(openai, 'o1-mini').messages[0].role).toBe('user');
    expect(body(openai, 'o1-preview-2024-09-12').messages[0].role).toBe('user');
  });

  it('leaves other models and other servers as they are', () => {
    const gpt4 = body(openai, 'gpt-4o', 100);
    expect(gpt4.max_tokens).toBe(100);
    expect(gpt4.messages[0].role).toBe('system');
    const local = body(vllm, 'o3-mini', 100);
    expect(local.max_tokens).toBe(100);
    expect(local.messages[0].role).toBe('system');
  });

  it('never sends Ollama-only params to an OpenAI-compatible server', () => {
    const b = JSON.parse(buildOpenAIChatRequest(vllm, { model: 'm', messages, params: { num_ctx: 8192, keep_alive: '5m', top_k: 40, temperature: 0.5 } }).init.body ?? '');
    expect(b.temperature).toBe(0.5);
    for (const k of ['num_ctx', 'keep_alive', 'top_k']) expect(b).not.toHaveProperty(k);
  });
});
