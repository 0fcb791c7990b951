import type { Chat, Message } from '../storage/schema';
import { branchOf } from './check-tree';

/** One chat as Markdown: the title, then the visible branch, each message under its role (and model). */
export function chatToMarkdown(chat: Chat, messages: readonly Message[]): string {
  const lines = [`# ${chat.title || 'Untitled chat'}`, ''];
  if (chat.system) lines.push('## System', '', chat.system, '');
  for (const m of branchOf(messages, chat.currentId)) {
    const who = m.role === 'user' ? 'User' : m.role === 'system' ? 'System' : `Assistant${m.model ? ` (${m.model})` : ''}`;
    lines.push(`## ${who}`, '');
    if (m.reasoning) lines.push(m.reasoning.split('\n').map((l) => `> ${l}`).join('\n'), '');
    lines.push(m.content || m.refusal || (m.error ? `*Error: ${m.error.message}*` : ''), '');
  }
  return lines.join('\n');
}

/** A file name from a title: letters, digits and dashes, never empty. */
export function fileStem(title: string): string {
  const s = title.normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60).toLowerCase();
  return s || 'chat';
}

/** `parley-chats-2026-11-22.json`: the local date of `now`. */
export function datedName(prefix: string, now: number, ext: string): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}.${ext}`;
}
