import type { ParleyDb } from '../../core/storage/db';

/**
 * Removes the files of chats or messages whose deletion can no longer be undone (see
 * src/core/rag/orphans.ts, loaded only now: it is not part of the first load). Without targets,
 * every chat is checked (at start-up). A failure is only logged: the next start-up sweeps again.
 */
export async function sweepOrphanFiles(db: ParleyDb, target: { chatIds?: readonly string[]; documentIds?: readonly string[] } = {}): Promise<number> {
  const named = (target.chatIds?.length ?? 0) + (target.documentIds?.length ?? 0);
  if (named === 0 && (target.chatIds || target.documentIds)) return 0; // named nothing: nothing to do
  // At start-up: load the sweep only when some chat has files at all (most never do).
  const any = named > 0 ? Promise.resolve(true) : db.documents.orderBy('chatId').first().then((d) => d !== undefined);
  return any
    .then(async (yes) => (yes ? (await import('../../core/rag/orphans')).removeOrphanDocuments(db, target) : 0))
    .catch((e: unknown) => {
      console.warn('Parley: could not remove the files of deleted chats; trying again at the next start.', e);
      return 0;
    });
}
