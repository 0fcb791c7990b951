import { liveQuery } from 'dexie';
import type { ParleyDb } from '../../core/storage/db';
import { UNFINISHED } from '../../core/rag/store';
import { knowledgeClient } from '../knowledge-client';
import { addKnowledgeFiles } from './add-files';

/**
 * Files sent with one message: stored as documents of the chat (on the message's `files`), then
 * awaited until each is indexed or has failed, so the answer that follows can draw on them.
 * Resolves with the messages for files that were refused or failed (the answer goes anyway).
 */
export async function attachMessageFiles(db: ParleyDb, chatId: string, messageId: string, files: readonly File[]): Promise<string[]> {
  const { client } = knowledgeClient();
  const { added, refused } = await addKnowledgeFiles(client.addFiles, { chatId, messageId }, files);
  if (added.length === 0) return refused;
  const failed = await settled(db, added);
  return [...refused, ...failed];
}

/** Waits until none of the documents is still being indexed; returns why those that failed did. */
function settled(db: ParleyDb, ids: string[]): Promise<string[]> {
  return new Promise((resolve) => {
    const sub = liveQuery(() => db.documents.bulkGet(ids)).subscribe({
      next: (docs) => {
        if (docs.some((d) => d && (UNFINISHED as readonly string[]).includes(d.status))) return;
        queueMicrotask(() => sub.unsubscribe());
        resolve(docs.flatMap((d) => (d && (d.status === 'error' || d.status === 'cancelled') ? [`${d.name}: ${d.error?.message ?? 'cancelled'}`] : [])));
      },
      error: () => resolve([]),
    });
  });
}
