import type { ParleyDb } from '../storage/db';
import type { DocumentRecord } from './schema';
import { dropChunks } from './store';

/**
 * Files attached to messages are documents of their chat (`chatId`), with chunks and vectors
 * that can weigh megabytes. Deleting a chat or a message offers Undo, so they are not removed
 * with it: this sweep removes them once nothing can bring their message back — after the Undo
 * has gone (for the chats just deleted) and at start-up (for everything, e.g. a tab closed
 * within the Undo time).
 *
 * A document is an orphan when its chat no longer exists, or when no message of its chat lists
 * it in `files` (the message was deleted). Attaching writes the document a moment before the
 * message's `files`, and another tab may be in that moment, so documents younger than `graceMs`
 * are left unless the caller named them (a chat or message just deleted here, its Undo gone).
 */

export const ORPHAN_GRACE_MS = 10 * 60_000;

export interface SweepOptions {
  /** Only these chats (just deleted, their Undo gone)… */
  chatIds?: readonly string[];
  /** …and these documents (the files of messages just deleted); every chat with files when both are absent. */
  documentIds?: readonly string[];
  now?: number;
  graceMs?: number;
}

/** Removes orphaned message files with their text, chunks and vectors; returns how many. */
export async function removeOrphanDocuments(db: ParleyDb, opts: SweepOptions = {}): Promise<number> {
  const now = opts.now ?? Date.now();
  const grace = opts.graceMs ?? ORPHAN_GRACE_MS;
  const namedChats = new Set(opts.chatIds ?? []);
  const namedDocs = new Set(opts.documentIds ?? []);
  const everything = opts.chatIds === undefined && opts.documentIds === undefined;
  const tables = [db.documents, db.sources, db.chunks, db.vectors, db.chats, db.messages];
  return db.transaction('rw', tables, async () => {
    // Rows without a chat (files of a knowledge base) have no key in the chatId index.
    const docs: DocumentRecord[] = everything
      ? await db.documents.orderBy('chatId').toArray()
      : [
          ...(await db.documents.where('chatId').anyOf([...namedChats]).toArray()),
          ...(await db.documents.bulkGet([...namedDocs])).filter((d): d is DocumentRecord => d !== undefined && !namedChats.has(d.chatId ?? '')),
        ];
    const byChat = new Map<string, DocumentRecord[]>();
    for (const d of docs) if (d.chatId !== null) byChat.set(d.chatId, [...(byChat.get(d.chatId) ?? []), d]);

    const gone: string[] = [];
    for (const [chatId, list] of byChat) {
      const old = list.filter((d) => namedChats.has(chatId) || namedDocs.has(d.id) || now - d.createdAt >= grace);
      if (!(await db.chats.get(chatId))) {
        gone.push(...old.map((d) => d.id));
        continue;
      }
      if (old.length === 0) continue;
      const listed = new Set<string>();
      await db.messages.where('chatId').equals(chatId).each((m) => {
        for (const f of m.files ?? []) listed.add(f.documentId);
      });
      gone.push(...old.filter((d) => !listed.has(d.id)).map((d) => d.id));
    }
    for (const id of gone) await dropChunks(db, id);
    await db.sources.bulkDelete(gone);
    await db.documents.bulkDelete(gone);
    return gone.length;
  });
}
