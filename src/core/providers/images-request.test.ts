import { describe, expect, it } from 'vitest';
import { buildOpenAIChatRequest } from './openai';
import { buildOllamaChatRequest } from './ollama';
import { buildAzureChatRequest } from './azure';
import type { ChatMessage, Endpoint } from './types';

const messages: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'What is this?', images: [{ mime: 'image/png', base64: 'iVBORw0KGgo=' }, { mime: 'image/jpeg', base64: '/9j/4AAQ' }] },
  { role: 'assistant', content: 'A cat.' },
  { role: 'user', content: 'Sure?' },
];
const body = (init: { body?: string }) => JSON.parse(init.body ?? '') as { messages: unknown[] };

describe('images in chat requests', () => {
  it('OpenAI: a user message with images becomes text and image_url parts with data URLs', () => {
    const req = buildOpenAIChatRequest({ kind: 'openai', url: 'http://x/v1' }, { model: 'gpt-4o', messages });
    expect(body(req.init).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Sure?' },
    ]);
    expect(req.init.body).not.toContain('"images"');
  });

  it('OpenAI reasoning models keep the parts while the system message becomes developer', () => {
    const req = buildOpenAIChatRequest({ kind: 'openai', url: 'https://api.openai.com/v1' }, { model: 'o3-mini', messages });
    const sent = body(req.init).messages;
    expect(sent[0]).toEqual({ role: 'developer', content: 'Be brief.' });
    expect(JSON.stringify(sent[1])).toContain('data:image/png;base64,iVBORw0KGgo=');
  });

  it('Azure sends the same parts', () => {
    const endpoint: Endpoint = { kind: 'openai', url: 'https://r.openai.azure.com', key: 'k', azure: { apiVersion: '2024-10-21' } };
    const req = buildAzureChatRequest(endpoint, { model: 'gpt-4o', messages });
    expect(JSON.stringify(body(req.init).messages[1])).toContain('"image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}');
  });

  it('Ollama: the images go as bare base64 in `images` on that message only', () => {
    const req = buildOllamaChatRequest({ kind: 'ollama', url: 'http://localhost:11434' }, { model: 'llava', messages });
    expect(body(req.init).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is this?', images: ['iVBORw0KGgo=', '/9j/4AAQ'] },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Sure?' },
    ]);
    expect(req.init.body).not.toContain('data:');
  });
});
