/** Messages between the bench page (driven by bench/measure-rag-search.ts) and its worker. */

export interface RagBenchOptions {
  rows: number;
  dims: number;
  /** Timed queries per measurement (after a few warm-up ones). */
  queries: number;
  warmup: number;
  topK: number;
  hybridWeight: number;
  /** Words per synthetic chunk, and the size of its Zipf vocabulary. */
  wordsPerChunk: number;
  vocabulary: number;
  /** Rows per IndexedDB bulkPut / read page. */
  idbBatch: number;
  /** Rows per record in the block layouts measured for comparison (store.ts grows blocks to 256 KiB: 170 × 384 floats). */
  blockRows: number[];
}

export interface Timings {
  /** Per query, in order, ms. */
  ms: number[];
}

export interface RagBenchResult {
  userAgent: string;
  hardwareConcurrency: number;
  vector: { fillMs: number; bufferMB: number; search: Timings; simd: boolean; plainSearch: Timings };
  bm25: { chunks: number; terms: number; postings: number; buildMs: number; serializeMs: number; snapshotMB: number; loadMs: number; search: Timings };
  hybrid: { search: Timings; queriesWithBothSides: number };
  idb: { writeMs: number; readAllMs: number; readPagedMs: number; rowsRead: number; checksumOk: boolean; blocks: Array<{ rows: number; writeMs: number; readMs: number; rowsRead: number }> };
  persist: PersistResult;
}

/** One sync of the knowledge worker's index cache (its SyncStats), ms. */
export interface SyncFigures {
  ms: number;
  readMs: number;
  bm25Ms: number;
  vectorsMs: number;
  textsRead: number;
  vectorsRead: number;
  source: 'built' | 'snapshot' | 'updated';
}

/** The saved BM25 index and incremental updates (bench/rag/persist.ts). */
export interface PersistResult {
  rows: number;
  documents: number;
  writeMs: number;
  /** No snapshot: BM25 from every text, every vector loaded (what every search after a change did before). */
  rebuild: SyncFigures;
  /** Serializing and writing the snapshot after that build. */
  saveMs: number;
  recordMB: number;
  snapshot: { idbReadMs: number; checkMs: number; loadMs: number; valid: boolean };
  /** A new cache, keywords only: the snapshot read, checked and loaded. */
  keywordsOnly: SyncFigures;
  /** A new cache with the vectors: snapshot + every vector loaded (a worker start). */
  fresh: SyncFigures;
  batch: number;
  /** After each batch ingested: the sync in place, and it plus one hybrid search. */
  batches: Array<SyncFigures & { searchMs: number; hits: number }>;
  /** The same search after the batches done the old way: everything built again. */
  oldAfterBatch: SyncFigures & { searchMs: number };
}

export type ToWorker = { type: 'run'; options: RagBenchOptions };
export type FromWorker = { type: 'progress'; message: string } | { type: 'done'; result: RagBenchResult } | { type: 'error'; message: string };
