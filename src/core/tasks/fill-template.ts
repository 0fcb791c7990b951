/**
 * Fills a task template with the conversation, as Open WebUI's `prompt_template` does:
 * `{{MESSAGES}}` (all), `{{MESSAGES:END:n}}` (the last n), `{{MESSAGES:START:n}}` (the first n),
 * `{{MESSAGES:MIDDLETRUNCATE:n}}` (the first and last halves of n), and `{{prompt}}` /
 * `{{USER_PROMPT}}` (the last question), and the date built-ins (`{{CURRENT_DATE}}`, …) when
 * given. Messages read `USER: …` / `ASSISTANT: …`, one per line.
 */
import type { BuiltinValues } from '../prompts/fill-variables';

export interface TaskMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A message longer than this is cut in the middle: a task needs the gist, not a whole long answer. */
export const MESSAGE_CHARS_MAX = 4000;

function shorten(text: string): string {
  if (text.length <= MESSAGE_CHARS_MAX) return text;
  const half = Math.floor(MESSAGE_CHARS_MAX / 2);
  return `${text.slice(0, half)}…${text.slice(-half)}`;
}

export function formatMessages(messages: readonly TaskMessage[]): string {
  return messages
    .filter((m) => m.role !== 'system')
    .map((m) => `${m.role.toUpperCase()}: ${shorten(m.content)}`)
    .join('\n');
}

function pick(messages: readonly TaskMessage[], mode: string | undefined, n: number): readonly TaskMessage[] {
  switch (mode) {
    case 'END':
      return n > 0 ? messages.slice(-n) : [];
    case 'START':
      return messages.slice(0, n);
    case 'MIDDLETRUNCATE':
      return messages.length <= n ? messages : [...messages.slice(0, Math.ceil(n / 2)), ...messages.slice(messages.length - Math.floor(n / 2))];
    default:
      return messages;
  }
}

const VARIABLE = /\{\{\s*(?:MESSAGES(?::(END|START|MIDDLETRUNCATE):(\d+))?|prompt|USER_PROMPT|(CURRENT_(?:DATE|TIME|DATETIME|WEEKDAY)))\s*\}\}/g;

/**
 * One pass, so text from the conversation that contains `{{…}}` is never filled in turn. A
 * date built-in missing from `builtins` stays as written.
 */
export function fillTemplate(template: string, messages: readonly TaskMessage[], builtins: BuiltinValues = {}): string {
  const chat = messages.filter((m) => m.role !== 'system');
  const lastQuestion = [...chat].reverse().find((m) => m.role === 'user')?.content ?? '';
  return template.replace(VARIABLE, (whole: string, mode: string | undefined, n: string | undefined, builtin: keyof BuiltinValues | undefined) => {
    if (builtin) return builtins[builtin] ?? whole;
    return whole.includes('MESSAGES') ? formatMessages(pick(chat, mode, Number(n ?? 0))) : shorten(lastQuestion);
  });
}
