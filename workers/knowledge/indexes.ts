import { Bm25Index } from '../../src/core/rag/bm25';
import type { RetrievalSet } from '../../src/core/rag/retrieve';
import { documentChunks, knowledgeChunks, loadDocumentVectors, loadVectors } from '../../src/core/rag/store';
import { VectorIndex } from '../../src/core/rag/vector-index';
import type { ParleyDb } from '../../src/core/storage/db';

/**
 * Search indexes held in memory, per knowledge base (or single document) and embedder: the
 * vectors in one contiguous buffer (VectorIndex) and a BM25 index over the chunk texts. Chunk
 * texts are not kept (hits read their rows by id).
 *
 * Staleness is checked on every use against a signature of the small `documents` rows (each
 * document's id, status and chunks stored, the base's model): anything written since — by this
 * worker's ingestion, a re-index, or another tab — makes the next search load again. While a
 * document is being embedded, every finished batch changes the signature, so a search during
 * ingestion sees the batches stored so far.
 */

export interface LoadedSet {
  key: string;
  signature: string;
  bm25: Bm25Index;
  /** Null when the base has no vectors for this embedder (none yet, or another model's). */
  vectors: VectorIndex | null;
  /** Why `vectors` is null, for the search's note; undefined when there are simply none yet. */
  vectorNote?: string;
  documentOf: Map<string, string>;
  /** Set of the embedder whose vectors were loaded. */
  embedderId: string | null;
}

export interface IndexCache {
  /** The indexes of base `knowledgeId` for `embedderId` (null = keywords only), loaded or reused. */
  knowledge(knowledgeId: string, embedderId: string | null): Promise<LoadedSet | null>;
  /** The same for one document (a file attached to a message). */
  document(documentId: string, embedderId: string | null): Promise<LoadedSet | null>;
  /** Drops everything (e.g. the embedder changed): memory back at once. */
  clear(): void;
  /** Sets held (for tests and the debug view). */
  size(): number;
}

/** Bases held at once; the least recently used goes first (each may be ~150 MB of vectors). */
const MAX_SETS = 4;

export function createIndexCache(db: ParleyDb): IndexCache {
  const sets = new Map<string, LoadedSet>();

  const remember = (set: LoadedSet) => {
    sets.delete(set.key);
    sets.set(set.key, set);
    while (sets.size > MAX_SETS) sets.delete(sets.keys().next().value!);
  };

  async function knowledgeSignature(knowledgeId: string): Promise<{ signature: string; embedderId: string | null } | null> {
    const k = await db.knowledge.get(knowledgeId);
    if (!k) return null;
    const parts = [k.embedderId ?? '', String(k.dims ?? '')];
    await db.documents.where('knowledgeId').equals(knowledgeId).each((d) => {
      parts.push(`${d.id}:${d.status}:${d.progress.done}:${d.embedderId ?? ''}`);
    });
    return { signature: parts.join('|'), embedderId: k.embedderId };
  }

  async function documentSignature(documentId: string): Promise<string | null> {
    const d = await db.documents.get(documentId);
    return d ? `${d.status}:${d.progress.done}:${d.embedderId ?? ''}:${d.updatedAt}` : null;
  }

  async function build(
    key: string,
    signature: string,
    embedderId: string | null,
    chunks: () => Promise<Array<{ id: string; documentId: string; text: string }>>,
    vectors: () => Promise<{ dims: number; count: number; chunkIds: string[]; vectors: Float32Array }>,
  ): Promise<LoadedSet> {
    const bm25 = new Bm25Index();
    const documentOf = new Map<string, string>();
    for (const c of await chunks()) {
      bm25.add(c.id, c.text);
      documentOf.set(c.id, c.documentId);
    }
    let index: VectorIndex | null = null;
    let vectorNote: string | undefined;
    if (embedderId !== null) {
      try {
        const v = await vectors();
        if (v.count > 0) {
          index = new VectorIndex(v.dims, v.count);
          index.addMany(v.chunkIds, v.vectors);
        }
      } catch (err) {
        // Another model's vectors: keyword search still works; the note says why the rest did not.
        vectorNote = err instanceof Error || (err && typeof err === 'object' && 'message' in err) ? String((err as { message: string }).message) : String(err);
      }
    }
    const set: LoadedSet = { key, signature, bm25, vectors: index, documentOf, embedderId, ...(vectorNote ? { vectorNote } : {}) };
    remember(set);
    return set;
  }

  return {
    async knowledge(knowledgeId, embedderId) {
      const key = `k:${knowledgeId}:${embedderId ?? ''}`;
      const sig = await knowledgeSignature(knowledgeId);
      if (sig === null) return null;
      const had = sets.get(key);
      if (had && had.signature === sig.signature) {
        remember(had);
        return had;
      }
      return build(
        key,
        sig.signature,
        // Nothing embedded yet: no vectors to load, and nothing to say about it.
        sig.embedderId === null ? null : embedderId,
        () => knowledgeChunks(db, knowledgeId),
        () => loadVectors(db, knowledgeId, embedderId!),
      );
    },
    async document(documentId, embedderId) {
      const key = `d:${documentId}:${embedderId ?? ''}`;
      const signature = await documentSignature(documentId);
      if (signature === null) return null;
      const had = sets.get(key);
      if (had && had.signature === signature) {
        remember(had);
        return had;
      }
      return build(
        key,
        signature,
        embedderId,
        () => documentChunks(db, documentId),
        () => loadDocumentVectors(db, documentId, embedderId!),
      );
    },
    clear: () => sets.clear(),
    size: () => sets.size,
  };
}

/** A loaded set as retrieve() takes it, with the query embedded by the set's embedder (or null). */
export function retrievalSet(set: LoadedSet, queryVector: Float32Array | null): RetrievalSet {
  return {
    bm25: set.bm25,
    vectors: set.vectors,
    queryVector: set.vectors && queryVector && queryVector.length === set.vectors.dims ? queryVector : null,
    documentOf: (id) => set.documentOf.get(id),
  };
}
