import type { ParleyDb } from '../../core/storage/db';
import type { Chat, Message } from '../../core/storage/schema';

/** Rows read for the first look at a chat: what a screen shows, and some. */
export const PEEK_ROWS = 12;

/** A first look at a chat: the chat and its newest rows (enough to paint its end). */
export interface ChatPeek {
  chat: Chat;
  /** Newest first. */
  tail: Message[];
}

/** Both reads in one transaction, side by side: one round trip to IndexedDB. */
export async function readPeek(db: ParleyDb, id: string, rows: number): Promise<ChatPeek | null> {
  const [chat, tail] = await db.transaction('r', db.chats, db.messages, () =>
    Promise.all([db.chats.get(id), db.messages.where('[chatId+createdAt]').between([id, -Infinity], [id, Infinity]).reverse().limit(rows).toArray()]),
  );
  return chat ? { chat, tail } : null;
}

let early: { db: ParleyDb; id: string; rows: number; peek: Promise<ChatPeek | null> } | null = null;

/**
 * Starts the first look at the chat the page was opened at, before the app has rendered,
 * so the reads run while the interface is being built.
 */
export function startPeek(db: ParleyDb, id: string | null, rows: number): void {
  early = id ? { db, id, rows, peek: readPeek(db, id, rows) } : null;
  early?.peek.catch(() => undefined);
}

/** The first look at `id`: the one started early when it is for this chat, else a fresh read. */
export function takePeek(db: ParleyDb, id: string, rows: number): Promise<ChatPeek | null> {
  const e = early;
  early = null;
  return e && e.db === db && e.id === id && e.rows >= rows ? e.peek : readPeek(db, id, rows);
}
