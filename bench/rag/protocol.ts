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
}

export type ToWorker = { type: 'run'; options: RagBenchOptions };
export type FromWorker = { type: 'progress'; message: string } | { type: 'done'; result: RagBenchResult } | { type: 'error'; message: string };
