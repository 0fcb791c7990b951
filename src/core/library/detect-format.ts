import { isBackupHeader } from './parley-backup';

/** What one JSON value is, judged by its content (never by the file name). */
export type ValueKind = 'openwebui-row' | 'openwebui-chat' | 'chatgpt' | 'parley-backup' | 'unknown';

export function detectValue(v: unknown): ValueKind {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'unknown';
  if (isBackupHeader(v)) return 'parley-backup';
  if ('mapping' in v) return 'chatgpt';
  const chat = (v as { chat?: unknown }).chat;
  if (typeof chat === 'object' && chat !== null && !Array.isArray(chat)) return 'openwebui-row';
  if ('history' in v || Array.isArray((v as { messages?: unknown }).messages)) return 'openwebui-chat';
  return 'unknown';
}

export const UNKNOWN_FORMAT =
  'This file is not a chat export Parley knows. It reads Open WebUI chat exports, ChatGPT’s conversations.json and Parley backups.';
