import { describe, expect, it } from 'vitest';

import { DEFAULT_TEMPLATES } from '../../src/core/tasks/templates';
import { fillTemplate } from '../../src/core/tasks/fill-template';
import { parseFollowUps, parseTags, parseTitle } from '../../src/core/tasks/parse-output';
import { llm, post, useFakeLlm } from './test-helpers';

useFakeLlm();

const CHAT = [
  { role: 'user' as const, content: 'How do volcanoes form?' },
  { role: 'assistant' as const, content: 'Magma rises…' },
];
const taskBody = (template: string, stream = false) => ({ model: 'fake-tasker', stream, messages: [{ role: 'user', content: fillTemplate(template, CHAT) }] });

async function completion(body: unknown): Promise<{ status: number; text: string }> {
  const res = await post('/v1/chat/completions', body);
  const raw = await res.text();
  if (!res.ok) return { status: res.status, text: raw };
  const json = JSON.parse(raw) as { choices: Array<{ message: { content: string } }> };
  return { status: res.status, text: json.choices[0]!.message.content };
}

describe('Parley task requests', () => {
  it('answer each task with the JSON Parley’s templates ask for, built from the first question', async () => {
    expect(parseTitle((await completion(taskBody(DEFAULT_TEMPLATES.title))).text)).toBe('About How do volcanoes form');
    expect(parseTags((await completion(taskBody(DEFAULT_TEMPLATES.tags))).text)).toEqual(['general', 'topic_how']);
    expect(parseFollowUps((await completion(taskBody(DEFAULT_TEMPLATES.followUps))).text)).toEqual([
      'Tell me more about How do volcanoes form',
      'Why does How do volcanoes form matter?',
      'Give an example of How do volcanoes form',
    ]);
  });

  it('are recorded apart, never take a queued scenario, and follow the task scenario', async () => {
    llm.queue({ reply: 'for the next chat' });
    await completion(taskBody(DEFAULT_TEMPLATES.title, true)).catch(() => undefined);
    expect(llm.requests()).toHaveLength(0);
    expect(llm.taskRequests()).toHaveLength(1);
    expect((await completion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('for the next chat');
    expect(llm.requests()).toHaveLength(1);

    llm.setTaskScenario({ status: 500 });
    expect((await completion(taskBody(DEFAULT_TEMPLATES.tags))).status).toBe(500);
    llm.setTaskScenario({ reply: 'no json here' });
    expect(parseTags((await completion(taskBody(DEFAULT_TEMPLATES.tags))).text)).toBeNull();
    // Ordinary chats are untouched by the task scenario.
    expect((await completion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).text).toBe('You said: hi');
    llm.reset();
    expect(llm.taskRequests()).toEqual([]);
    expect(parseTitle((await completion(taskBody(DEFAULT_TEMPLATES.title))).text)).toBe('About How do volcanoes form');
  });

  it('answer on Ollama’s native /api/chat too', async () => {
    const res = await post('/api/chat', { ...taskBody(DEFAULT_TEMPLATES.followUps), model: 'llama3.2' });
    const json = (await res.json()) as { message: { content: string } };
    expect(parseFollowUps(json.message.content)).toHaveLength(3);
    expect(llm.taskRequests().map((r) => r.path)).toEqual(['/api/chat']);
    expect(llm.requests()).toHaveLength(0);
  });
});
