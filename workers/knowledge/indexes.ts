import { Bm25Index, type Bm25Snapshot } from '../../src/core/rag/bm25';
import { documentOfChunk, fromBm25Record, readBm25, toBm25Record, writeBm25, type Covered } from '../../src/core/rag/bm25-store';
import type { RetrievalSet } from '../../src/core/rag/retrieve';
import { sameEmbedder } from '../../src/core/rag/embedder-id';
import type { DocumentRecord } from '../../src/core/rag/schema';
import { documentChunks, knowledgeChunks, loadDocumentVectors, loadVectors, UNFINISHED } from '../../src/core/rag/store';
import { VectorIndex } from '../../src/core/rag/vector-index';
import type { ParleyDb } from '../../src/core/storage/db';
import { allChunks, applyTexts, applyVectors, chunksOf, cutOf, planSide, readTexts, readVectors, textsOf, type HeldDoc } from './index-sync';

/**
 * Search indexes held in memory, per knowledge base (or single document): a BM25 index over the
 * chunk texts, which does not depend on the model, and per embedder the vectors in one contiguous
 * buffer (VectorIndex). Chunk texts are not kept (hits read their rows by id).
 *
 * Every use reads the scope's small `documents` rows and brings both up to date document by
 * document (index-sync.ts): a batch ingested since adds its chunks, a removed or re-indexed
 * document drops its rows, and nothing else is read again. BM25 not in memory starts from the
 * base's saved snapshot (bm25-store.ts; documents changed since it was saved are read again), or
 * without a usable one is built from every chunk's text and then saved. Vectors not in memory are
 * loaded in one range read; they are loaded again whole only when the scope's model or dimensions
 * change, which is also when another model's vectors leave keyword search with a note.
 */

export type Scope = { knowledgeId: string } | { documentId: string };

/** What the last sync of a set did (tests, the bench, a debug view). */
export interface SyncStats {
  /** How BM25 came to be: built from every chunk's text, loaded from the saved snapshot, or updated in place. */
  bm25: 'built' | 'snapshot' | 'updated';
  /** Chunk rows read and tokenized. */
  textsRead: number;
  /** Vectors read, and whether they were all loaded again. */
  vectorsRead: number;
  vectorsReloaded: boolean;
  /** Documents whose rows were dropped from BM25 (removed, cut again, shrunk). */
  dropped: number;
  /**
   * Milliseconds in all, and in its parts: one read transaction (document rows, the chunks and
   * vectors to add, the saved snapshot); BM25 (loading the snapshot, tokenizing); vectors (adding
   * those read, or loading them all).
   */
  ms: number;
  readMs: number;
  bm25Ms: number;
  vectorsMs: number;
}

/** A base's (or document's) indexes for one embedder, as a search uses them. */
export interface LoadedSet {
  key: string;
  bm25: Bm25Index;
  /** Null when the set has no vectors for this embedder (none yet, or another model's). */
  vectors: VectorIndex | null;
  /** Why `vectors` is null, for the search's note; undefined when there are simply none yet. */
  vectorNote?: string;
  /** The embedder whose vectors the set holds (null = keywords only). */
  embedderId: string | null;
  last: SyncStats;
}

/** The BM25 side, one per base or document whatever the model. */
interface TextSide {
  bm25: Bm25Index;
  held: Map<string, HeldDoc>;
  /** The coverage of the saved snapshot this index equals (null: not saved). */
  saved: string | null;
}

/** The vector side, one per base or document and model. */
interface VectorSide {
  index: VectorIndex | null;
  note?: string;
  held: Map<string, HeldDoc>;
  /** The model (and dimensions) stored for the scope when loaded: a change loads them again. */
  model: string;
}

export interface IndexCache {
  /** The indexes of base `knowledgeId` for `embedderId` (null = keywords only), loaded or brought up to date. */
  knowledge(knowledgeId: string, embedderId: string | null): Promise<LoadedSet | null>;
  /** The same for one document (a file attached to a message). */
  document(documentId: string, embedderId: string | null): Promise<LoadedSet | null>;
  /**
   * Brings the base's BM25 up to date (the one in memory, else the saved snapshot, else built from
   * the chunks) and saves it when it differs from what is saved. False when nothing was written.
   */
  save(knowledgeId: string): Promise<boolean>;
  /** Resolves when no save is running (tests, idle). */
  settled(): Promise<void>;
  /** Drops the vectors (e.g. the embedder changed): memory back at once. BM25 does not depend on the model and stays. */
  clear(): void;
  /** Sides held (for tests and the debug view). */
  size(): { texts: number; vectors: number };
}

/** Vector sides held at once; the least recently used goes first (each may be ~150 MB). */
const MAX_SETS = 4;
/** BM25 sides held at once (100,000 chunks: ~40 MB). */
const MAX_TEXTS = 4;

/** Dead BM25 rows (of removed documents) tolerated before the index is compacted, beyond the live ones. */
const MIN_DEAD_TO_COMPACT = 1024;

const scopeKey = (scope: Scope): string => ('knowledgeId' in scope ? `k:${scope.knowledgeId}` : `d:${scope.documentId}`);

const messageOf = (err: unknown): string =>
  err instanceof Error || (err && typeof err === 'object' && 'message' in err) ? String((err as { message: string }).message) : String(err);

const signatureOf = (covers: ReadonlyMap<string, Covered>): string =>
  [...covers].map(([id, c]) => `${id}:${c.count}:${c.stamp}`).sort().join('|');

/** What a BM25 side covers, as a snapshot records it, and that as one string. */
function coverageOf(held: ReadonlyMap<string, HeldDoc>): { covers: Map<string, Covered>; signature: string } {
  const covers = new Map<string, Covered>();
  for (const [id, h] of held) covers.set(id, { count: h.count, stamp: h.stamp });
  return { covers, signature: signatureOf(covers) };
}

/** Insert or refresh `key` as the most recently used, dropping the least recently used beyond `max`. */
function touch<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}

export function createIndexCache(db: ParleyDb): IndexCache {
  const texts = new Map<string, TextSide>();
  const vectors = new Map<string, VectorSide>();
  const locks = new Map<string, Promise<unknown>>();
  /** Bumped by clear(): a sync that started before does not put its vectors back. */
  let generation = 0;

  /** Runs `fn` after every earlier call with the same key has finished: one sync of a scope at a time. */
  function locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const run = (locks.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    locks.set(key, tail);
    void tail.then(() => locks.get(key) === tail && locks.delete(key));
    return run;
  }

  /** Brings the scope's BM25 (and, unless `embedderId` is null, its vectors) up to date with what is stored. Call under the scope's lock. */
  async function sync(scope: Scope, embedderId: string | null): Promise<LoadedSet | null> {
    const t0 = performance.now();
    const base = 'knowledgeId' in scope;
    const tKey = scopeKey(scope);
    const vKey = `${tKey}:${embedderId ?? ''}`;
    const prevText = texts.get(tKey);
    const prevVec = vectors.get(vKey);
    const gen = generation;
    const read = await db.transaction('r', [db.knowledge, db.documents, db.chunks, db.vectors, db.bm25], async () => {
      let docs: DocumentRecord[];
      /** The id the scope's vectors are stored under (that of the model it was indexed with; see embedder-id.ts). */
      let stored: string | null;
      let model: string;
      if (base) {
        const k = await db.knowledge.get(scope.knowledgeId);
        if (!k) return null;
        docs = await db.documents.where('knowledgeId').equals(scope.knowledgeId).toArray();
        stored = k.embedderId;
        model = `${k.embedderId ?? ''}|${k.dims ?? ''}`;
      } else {
        const d = await db.documents.get(scope.documentId);
        if (!d) return null;
        docs = [d];
        stored = d.embedderId;
        model = d.embedderId ?? '';
      }
      // A base nothing was embedded into yet has no vectors to load, and nothing to say about it.
      const wantVectors = embedderId !== null && (!base || stored !== null);
      const fits = stored === null || sameEmbedder(stored, embedderId);
      const reload = wantVectors && (!fits || !prevVec || prevVec.model !== model || prevVec.note !== undefined || prevVec.index === null);

      let held: ReadonlyMap<string, HeldDoc> = prevText?.held ?? new Map();
      let source: SyncStats['bm25'] = prevText ? 'updated' : 'built';
      let snapshot: Bm25Snapshot | null = null;
      let saved = prevText?.saved ?? null;
      if (!prevText && base) {
        const record = fromBm25Record(await readBm25(db, scope.knowledgeId));
        if (record) {
          snapshot = record.snapshot;
          held = new Map([...record.covers].map(([id, c]) => [id, { count: c.count, cut: '', stamp: c.stamp }]));
          source = 'snapshot';
          saved = signatureOf(record.covers);
        }
      }
      const t = planSide(held, docs, allChunks, source === 'snapshot' ? 'stamp' : 'cut');
      const rows =
        source === 'built'
          ? textsOf(await (base ? knowledgeChunks(db, scope.knowledgeId) : documentChunks(db, scope.documentId)), t.changes)
          : await readTexts(db, t.changes);
      const v = wantVectors && !reload ? planSide(prevVec!.held, docs, chunksOf(stored ?? embedderId!), 'cut') : null;
      const blocks = v ? await readVectors(db, v.changes, stored ?? embedderId!) : [];
      return { docs, model, wantVectors, t, rows, v, blocks, snapshot, source, saved };
    });
    const t1 = performance.now();
    if (!read) {
      // Removed: nothing of it is kept.
      texts.delete(tKey);
      for (const key of [...vectors.keys()]) if (key.startsWith(`${tKey}:`)) vectors.delete(key);
      return null;
    }

    // BM25 and what it holds change together, synchronously (save() serializes under the same lock).
    const side: TextSide = prevText ?? { bm25: read.snapshot ? Bm25Index.load(read.snapshot) : new Bm25Index(), held: read.t.next, saved: read.saved };
    const last: SyncStats = {
      bm25: read.source,
      textsRead: applyTexts(side.bm25, read.t.changes, read.rows),
      vectorsRead: 0,
      vectorsReloaded: false,
      dropped: read.t.changes.filter((c) => c.drop > 0).length,
      ms: 0,
      readMs: t1 - t0,
      bm25Ms: 0,
      vectorsMs: 0,
    };
    side.held = read.t.next;
    side.saved = read.saved;
    if (side.bm25.stored - side.bm25.size > Math.max(MIN_DEAD_TO_COMPACT, side.bm25.size)) side.bm25.serialize();
    touch(texts, tKey, side, MAX_TEXTS);
    const t2 = performance.now();
    last.bm25Ms = t2 - t1;

    let vec: VectorSide | null = null;
    if (read.wantVectors) {
      if (read.v && applyVectors(prevVec!.index!, read.v.changes, read.blocks)) {
        vec = prevVec!;
        vec.held = read.v.next;
        last.vectorsRead = read.blocks.reduce((n, b) => n + b.ids.length, 0);
      } else {
        vec = await loadVectorSide(scope, embedderId!, read.model, read.docs);
        last.vectorsReloaded = true;
        last.vectorsRead = vec.index?.size ?? 0;
      }
      if (gen === generation) touch(vectors, vKey, vec, MAX_SETS);
    }
    last.ms = performance.now() - t0;
    last.vectorsMs = last.ms - (t2 - t0);
    return { key: vKey, bm25: side.bm25, vectors: vec?.index ?? null, ...(vec?.note !== undefined ? { vectorNote: vec.note } : {}), embedderId, last };
  }

  /** Every vector of the scope for `embedderId` in a new buffer, and what that holds per document. */
  async function loadVectorSide(scope: Scope, embedderId: string, model: string, docs: readonly DocumentRecord[]): Promise<VectorSide> {
    const held = new Map<string, HeldDoc>(docs.map((d) => [d.id, { count: 0, cut: cutOf(d), stamp: d.updatedAt }]));
    try {
      const v = 'knowledgeId' in scope ? await loadVectors(db, scope.knowledgeId, embedderId) : await loadDocumentVectors(db, scope.documentId, embedderId);
      let index: VectorIndex | null = null;
      if (v.count > 0) {
        // Room for the chunks of documents still being embedded, so their batches do not copy the buffer.
        const pending = docs.reduce((n, d) => n + ((UNFINISHED as readonly string[]).includes(d.status) ? Math.max(0, d.progress.total - d.progress.done) : 0), 0);
        index = new VectorIndex(v.dims, v.count + pending);
        index.addMany(v.chunkIds, v.vectors);
      }
      // Counted from what was read, in a transaction of its own: a document stored meanwhile is
      // held with unknown options, so the next sync reads it again whole.
      for (const doc of v.documentIds) {
        const h = held.get(doc);
        if (h) h.count++;
        else held.set(doc, { count: 1, cut: '', stamp: -1 });
      }
      return { index, held, model };
    } catch (err) {
      // Another model's vectors: keyword search still works; the note says why the rest did not.
      return { index: null, note: messageOf(err), held, model };
    }
  }

  function get(scope: Scope, embedderId: string | null): Promise<LoadedSet | null> {
    return locked(scopeKey(scope), async () => {
      const set = await sync(scope, embedderId);
      // Built from every text: save it, so the next start loads it instead.
      if (set?.last.bm25 === 'built' && 'knowledgeId' in scope) void save(scope.knowledgeId).catch((err: unknown) => console.warn('knowledge: saving the keyword index failed', err));
      return set;
    });
  }

  /** Per base: the save running, and whether another was asked for meanwhile (it then runs once more). */
  const saving = new Map<string, { run: Promise<boolean>; again: boolean }>();

  function save(knowledgeId: string): Promise<boolean> {
    const running = saving.get(knowledgeId);
    if (running) {
      running.again = true;
      return running.run;
    }
    const entry = { run: Promise.resolve(false), again: false };
    saving.set(knowledgeId, entry);
    entry.run = (async () => {
      let wrote = false;
      try {
        do {
          entry.again = false;
          wrote = (await saveOnce(knowledgeId)) || wrote;
        } while (entry.again);
      } finally {
        saving.delete(knowledgeId);
      }
      return wrote;
    })();
    return entry.run;
  }

  async function saveOnce(knowledgeId: string): Promise<boolean> {
    const scope = { knowledgeId };
    const out = await locked(scopeKey(scope), async () => {
      if (!(await sync(scope, null))) return null;
      const side = texts.get(scopeKey(scope))!;
      const { covers, signature } = coverageOf(side.held);
      if (side.saved === signature) return null;
      // Serialized under the lock, with the coverage of this very moment (serialize also compacts the index in memory).
      const record = toBm25Record(knowledgeId, side.bm25.serialize(), covers, Date.now());
      return record ? { side, record, signature } : null;
    });
    if (!out) return false;
    const wrote = await writeBm25(db, out.record);
    if (wrote) out.side.saved = out.signature;
    return wrote;
  }

  return {
    knowledge: (knowledgeId, embedderId) => get({ knowledgeId }, embedderId),
    document: (documentId, embedderId) => get({ documentId }, embedderId),
    save,
    settled: async () => {
      while (saving.size > 0) await Promise.all([...saving.values()].map((s) => s.run.catch(() => false)));
    },
    clear: () => {
      generation++;
      vectors.clear();
    },
    size: () => ({ texts: texts.size, vectors: vectors.size }),
  };
}

/** A loaded set as retrieve() takes it, with the query embedded by the set's embedder (or null). */
export function retrievalSet(set: LoadedSet, queryVector: Float32Array | null): RetrievalSet {
  return {
    bm25: set.bm25,
    vectors: set.vectors,
    queryVector: set.vectors && queryVector && queryVector.length === set.vectors.dims ? queryVector : null,
    documentOf: documentOfChunk,
  };
}
