/**
 * Background tasks run by the task model after an answer (Open WebUI's title, tags and
 * follow-up generation). The default prompts are ours; they ask for the same JSON shapes
 * Open WebUI's do (`{"title"}`, `{"tags"}`, `{"follow_ups"}`) and use the same variables, so
 * a template copied from Open WebUI works here too.
 *
 * Every default starts with TASK_MARKER: the e2e fake model server recognises task requests by it.
 */
export type TaskKind = 'title' | 'tags' | 'followUps';
export const TASK_KINDS: readonly TaskKind[] = ['title', 'tags', 'followUps'];

export const TASK_MARKER = '### Task:';

export const DEFAULT_TEMPLATES: Readonly<Record<TaskKind, string>> = {
  title: `${TASK_MARKER}
Name this conversation in 3 to 6 words, the way a person would label it in a list of chats.
### Rules:
- Say what the conversation is about; no quotation marks, no ending punctuation.
- Write in the conversation's language (English when unsure).
- An emoji at the start is fine when it helps.
### Answer with JSON only:
{ "title": "the title" }
### Conversation:
<chat_history>
{{MESSAGES:END:2}}
</chat_history>`,
  tags: `${TASK_MARKER}
Suggest 1 to 3 short tags that sort this conversation: a broad area first (e.g. Science, Programming, Travel, Health, Cooking), then a narrower topic if there is a clear one.
### Rules:
- One or two words per tag, in the conversation's language (English when unsure).
- When the conversation is too short or too mixed, answer ["General"].
### Answer with JSON only:
{ "tags": ["tag1", "tag2"] }
### Conversation:
<chat_history>
{{MESSAGES:END:6}}
</chat_history>`,
  followUps: `${TASK_MARKER}
Suggest 3 questions the user could ask next, written as the user would type them to the assistant.
### Rules:
- Short, clear, and about what was just discussed; do not repeat what was already asked or answered.
- Write in the conversation's language (English when unsure).
- When nothing sensible follows, answer an empty list.
### Answer with JSON only:
{ "follow_ups": ["Question 1?", "Question 2?", "Question 3?"] }
### Conversation:
<chat_history>
{{MESSAGES:END:6}}
</chat_history>`,
};

/** Most tokens a task's answer may take: enough for the JSON, and for a short think block. */
export const TASK_MAX_TOKENS: Readonly<Record<TaskKind, number>> = { title: 256, tags: 256, followUps: 512 };
