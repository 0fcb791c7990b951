import { describe, expect, it } from 'vitest';
import { fillTemplate, formatMessages, MESSAGE_CHARS_MAX, type TaskMessage } from './fill-template';
import { DEFAULT_TEMPLATES, TASK_MARKER } from './templates';

const CHAT: TaskMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Q1' },
  { role: 'assistant', content: 'A1' },
  { role: 'user', content: 'Q2' },
  { role: 'assistant', content: 'A2' },
];

describe('fillTemplate', () => {
  it('fills MESSAGES variables as ROLE: text lines, system prompt left out', () => {
    expect(fillTemplate('{{MESSAGES}}', CHAT)).toBe('USER: Q1\nASSISTANT: A1\nUSER: Q2\nASSISTANT: A2');
    expect(fillTemplate('[{{MESSAGES:END:2}}]', CHAT)).toBe('[USER: Q2\nASSISTANT: A2]');
    expect(fillTemplate('{{MESSAGES:START:1}}', CHAT)).toBe('USER: Q1');
    expect(fillTemplate('{{MESSAGES:MIDDLETRUNCATE:2}}', CHAT)).toBe('USER: Q1\nASSISTANT: A2');
    expect(fillTemplate('{{MESSAGES:END:10}}', CHAT)).toBe(formatMessages(CHAT));
  });

  it('fills {{prompt}} and {{USER_PROMPT}} with the last question, and leaves other braces alone', () => {
    expect(fillTemplate('{{prompt}} / {{ USER_PROMPT }} / {{other}} / {{MESSAGES:END:x}}', CHAT)).toBe('Q2 / Q2 / {{other}} / {{MESSAGES:END:x}}');
  });

  it('fills the date built-ins it is given, and leaves the others as written', () => {
    expect(fillTemplate('Today is {{CURRENT_DATE}} ({{ CURRENT_WEEKDAY }}), {{CURRENT_TIME}}', CHAT, { CURRENT_DATE: '2026-11-22', CURRENT_WEEKDAY: 'Sunday' })).toBe(
      'Today is 2026-11-22 (Sunday), {{CURRENT_TIME}}',
    );
    expect(fillTemplate('{{MESSAGES:END:1}}', [{ role: 'user', content: '{{CURRENT_DATE}}' }], { CURRENT_DATE: 'x' })).toBe('USER: {{CURRENT_DATE}}');
  });

  it('inserts conversation text as typed: braces and $& in it are not filled again', () => {
    const chat: TaskMessage[] = [{ role: 'user', content: 'say {{prompt}} and $& please' }];
    expect(fillTemplate('{{MESSAGES}}', chat)).toBe('USER: say {{prompt}} and $& please');
  });

  it('cuts a very long message in the middle', () => {
    const long = `${'a'.repeat(MESSAGE_CHARS_MAX)}MIDDLE${'z'.repeat(MESSAGE_CHARS_MAX)}`;
    const out = fillTemplate('{{MESSAGES}}', [{ role: 'assistant', content: long }]);
    expect(out.length).toBeLessThan(MESSAGE_CHARS_MAX + 20);
    expect(out).not.toContain('MIDDLE');
    expect(out.startsWith('ASSISTANT: aaa')).toBe(true);
    expect(out.endsWith('zzz')).toBe(true);
  });

  it('every default template carries the marker, asks for its JSON key, and takes the conversation', () => {
    const keys = { title: '"title"', tags: '"tags"', followUps: '"follow_ups"' };
    for (const [kind, t] of Object.entries(DEFAULT_TEMPLATES) as Array<[keyof typeof keys, string]>) {
      expect(t.startsWith(TASK_MARKER), kind).toBe(true);
      expect(t, kind).toContain(keys[kind]);
      expect(fillTemplate(t, CHAT), kind).toContain('ASSISTANT: A2');
    }
  });
});
