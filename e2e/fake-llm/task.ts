/**
 * Parley's background tasks (title, tags, follow-ups) as a small model would answer them.
 * A task request is a chat request whose last user message holds the task marker of Parley's
 * templates; its kind is told by the JSON key the template asks for. Answers are deterministic,
 * built from the first question found in the template's `<chat_history>`.
 */

import { isRecord } from './helpers';
import { lastUserText } from './chat-answer';

/** Parley's `TASK_MARKER` (src/core/tasks/templates.ts); kept literal so the server needs nothing from the app. */
export const TASK_MARKER = '### Task:';

export type TaskKind = 'title' | 'tags' | 'follow_ups';

/** The task a request asks for, or undefined for an ordinary chat request. */
export function taskKindOf(body: unknown): TaskKind | undefined {
  if (!isRecord(body) || !Array.isArray(body['messages'])) return undefined;
  const prompt = lastUserText(body, 'openai-chat');
  if (!prompt.includes(TASK_MARKER)) return undefined;
  if (prompt.includes('"follow_ups"')) return 'follow_ups';
  if (prompt.includes('"tags"')) return 'tags';
  if (prompt.includes('"title"')) return 'title';
  return undefined;
}

/** The first `USER:` line of the conversation the template was filled with. */
export function taskTopic(body: Record<string, unknown>): string {
  const prompt = lastUserText(body, 'openai-chat');
  const line = /^USER: (.*)$/m.exec(prompt)?.[1] ?? '';
  const words = line.replace(/[^\p{L}\p{N} ]+/gu, ' ').trim().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.length > 0 ? words.join(' ') : 'this';
}

/**
 * The answer to a task request, wrapped the way small models often do (prose and a ```json
 * fence around the title), so the app's tolerant parsing is exercised end to end.
 */
export function taskReply(kind: TaskKind, body: Record<string, unknown>): string {
  const topic = taskTopic(body);
  switch (kind) {
    case 'title':
      return `Here is the title:\n\`\`\`json\n${JSON.stringify({ title: `About ${topic}` })}\n\`\`\``;
    case 'tags':
      return JSON.stringify({ tags: ['General', `Topic ${topic.split(' ')[0]}`] });
    case 'follow_ups':
      return JSON.stringify({ follow_ups: [`Tell me more about ${topic}`, `Why does ${topic} matter?`, `Give an example of ${topic}`] });
  }
}
