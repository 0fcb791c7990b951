import type { Chat, Message } from '../storage/schema';

/** One chat read from a file, already mapped to Parley rows and checked (see `check-tree.ts`). */
export interface ImportedChat {
  chat: Chat;
  messages: Message[];
  /** The format it came from, for the report. */
  source: SourceFormat;
}

/** A chat of the file that will not be imported, and why (shown in the report). */
export interface SkippedChat {
  title: string;
  reason: string;
}

export type SourceFormat = 'openwebui' | 'chatgpt' | 'parley-backup';

export function isSkipped(x: ImportedChat | SkippedChat): x is SkippedChat {
  return 'reason' in x;
}

/** A title for the report: the chat's, shortened, or its place in the file. */
export function titleFor(raw: unknown, index: number): string {
  const t = typeof raw === 'string' ? raw.trim() : '';
  if (!t) return `chat #${index + 1}`;
  return t.length > 60 ? `“${t.slice(0, 57)}…”` : `“${t}”`;
}
