import type { IndexCache } from './indexes';

/**
 * When the knowledge worker saves a base's BM25 index (IndexCache.save): when a document of the
 * base ends (done, failed, cancelled), at most every SAVE_EVERY_MS while ingestion goes on, and
 * for every base touched since its last save when ingestion stops; when a document is removed, at
 * once (saves asked for while one runs make one more). A save serializes and writes the whole
 * index (100,000 chunks: tens of MB), so a base receiving many small files is not written once per
 * file; a tab closed mid-way loses at most that much, which the next load reads again from the
 * chunks of the documents changed since.
 */

/** Least time between two saves of one base while its documents keep ending. */
export const SAVE_EVERY_MS = 30_000;

export interface IndexSaver {
  /** A document of base `knowledgeId` (null: a file of a message, not saved) ended. */
  ended(knowledgeId: string | null): void;
  /** A document of base `knowledgeId` was removed (outside ingestion, so no flush would follow). */
  removed(knowledgeId: string | null): void;
  /** Ingestion stopped: saves every base touched since its last save. */
  flush(): void;
  /** Resolves when no save is running. */
  settled(): Promise<void>;
}

export function createIndexSaver(cache: Pick<IndexCache, 'save' | 'settled'>, now: () => number): IndexSaver {
  const touched = new Set<string>();
  const lastSave = new Map<string, number>();
  const running = new Set<Promise<unknown>>();

  const run = (knowledgeId: string) => {
    touched.delete(knowledgeId);
    lastSave.set(knowledgeId, now());
    const p: Promise<unknown> = cache
      .save(knowledgeId)
      // Never fails a search or an ingestion: the next load reads the changed documents again.
      .catch((err: unknown) => console.warn('knowledge: saving the keyword index failed', err))
      .finally(() => running.delete(p));
    running.add(p);
  };

  return {
    ended(knowledgeId) {
      if (knowledgeId === null) return;
      touched.add(knowledgeId);
      if (now() - (lastSave.get(knowledgeId) ?? -Infinity) >= SAVE_EVERY_MS) run(knowledgeId);
    },
    removed(knowledgeId) {
      if (knowledgeId !== null) run(knowledgeId);
    },
    flush() {
      for (const id of [...touched]) run(id);
    },
    async settled() {
      while (running.size > 0) await Promise.all(running);
      await cache.settled();
    },
  };
}
