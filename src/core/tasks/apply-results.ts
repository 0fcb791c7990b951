import type { ParleyDb } from '../storage/db';

/**
 * Writing what the tasks produced. Each write re-reads the row in its transaction, so a user's
 * change made while the task ran (a rename, a tag, a deleted chat) always wins.
 */

/** Sets the generated title unless the title changed since the task started (a rename). Returns whether it was set. */
export async function applyGeneratedTitle(db: ParleyDb, chatId: string, expected: string, title: string): Promise<boolean> {
  return db.transaction('rw', db.chats, async () => {
    const chat = await db.chats.get(chatId);
    if (!chat || chat.title !== expected || chat.title === title) return false;
    await db.chats.update(chatId, { title });
    return true;
  });
}

/** Adds the suggested tags (already normalized) to the chat's own; never removes one. Returns the tags added. */
export async function addSuggestedTags(db: ParleyDb, chatId: string, tags: readonly string[]): Promise<string[]> {
  return db.transaction('rw', db.chats, async () => {
    const chat = await db.chats.get(chatId);
    if (!chat) return [];
    const have = chat.tags ?? [];
    const added = tags.filter((t) => !have.includes(t));
    if (added.length > 0) await db.chats.update(chatId, { tags: [...have, ...added] });
    return added;
  });
}

/** Stores the follow-up questions on the answer (a plain field: its tree node does not change). */
export async function setFollowUps(db: ParleyDb, messageId: string, followUps: readonly string[]): Promise<boolean> {
  return db.transaction('rw', db.messages, async () => {
    const m = await db.messages.get(messageId);
    if (!m || m.role !== 'assistant') return false;
    await db.messages.update(messageId, { followUps: [...followUps] });
    return true;
  });
}
