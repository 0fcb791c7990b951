import type { Message } from './schema';

/**
 * The tree-shaped part of a message, kept in its own table beside the full row: a chat's
 * structure (which branch is on screen, ‹ 2/3 ›, side-by-side answers) is read from these small
 * rows, so opening a long chat, or a streaming write to one message, never reads every message.
 * Written in the same transaction as the message (see `message-rows.ts`).
 */
export interface MessageNode {
  id: string;
  chatId: string;
  parentId: string | null;
  role: Message['role'];
  modelIdx: number;
  model: string;
  connectionId: string;
  createdAt: number;
}

/** `m`'s node. Rows stored by early versions may lack the model fields: they read as none. */
export function nodeOf(m: Message): MessageNode {
  return { id: m.id, chatId: m.chatId, parentId: m.parentId ?? null, role: m.role, modelIdx: m.modelIdx ?? 0, model: m.model ?? '', connectionId: m.connectionId ?? '', createdAt: m.createdAt };
}
