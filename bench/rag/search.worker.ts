/**
 * The knowledge-search bench, run where the app will run it: in a dedicated worker.
 * 1. Vectors: rows × dims random normalized vectors in one VectorIndex; top-k per query.
 * 2. BM25 over as many synthetic chunks (Zipf-distributed words): build, serialize, load, query.
 * 3. Hybrid: retrieve() = BM25 top-n + vector top-n + reciprocal-rank fusion, per query.
 * 4. IndexedDB: the rows written with Dexie as {id, vector: Float32Array}, then read back into the
 *    contiguous buffer, all at once (toArray) and page by page by primary key.
 * 5. The knowledge worker's index cache over a base stored as ingestion stores it (persist.ts).
 */
import Dexie from 'dexie';
import { Bm25Index } from '../../src/core/rag/bm25';
import { retrieve, type RetrievalSet } from '../../src/core/rag/retrieve';
import { VectorIndex } from '../../src/core/rag/vector-index';
import { vocabulary } from './corpus';
import { measurePersist } from './persist';
import { mulberry32 as rng } from '../../src/core/seeded-random';
import type { FromWorker, RagBenchOptions, RagBenchResult, Timings, ToWorker } from './protocol';

const post = (m: FromWorker): void => (self as unknown as Worker).postMessage(m);
const progress = (message: string): void => post({ type: 'progress', message });

const idOf = (i: number): string => `c${String(i).padStart(7, '0')}`;
const documentOf = (id: string): string => `d${Number(id.slice(1)) >> 5}`;

function randomVectors(r: () => number, n: number, dims: number): Float32Array {
  const v = new Float32Array(n * dims);
  for (let i = 0; i < v.length; i++) v[i] = r() * 2 - 1;
  return v;
}

async function timed(n: number, warmup: number, run: (i: number) => unknown): Promise<Timings> {
  for (let i = 0; i < warmup; i++) run(n + i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    run(i);
    ms.push(performance.now() - t0);
    // Let the worker breathe between queries, as it would between keystrokes.
    if (i % 10 === 9) await new Promise((res) => setTimeout(res, 0));
  }
  return { ms };
}

async function run(o: RagBenchOptions): Promise<Omit<RagBenchResult, 'persist'>> {
  const r = rng(20261207);
  const { rows, dims } = o;

  // 1. Vectors.
  let t0 = performance.now();
  const flat = randomVectors(r, rows, dims);
  let vectors: VectorIndex | null = new VectorIndex(dims, rows);
  const ids = Array.from({ length: rows }, (_, i) => idOf(i));
  vectors.addMany(ids, flat);
  const fillMs = performance.now() - t0;
  progress(`${rows} × ${dims} vectors in one buffer (${fillMs.toFixed(0)} ms)`);
  const queryVectors = Array.from({ length: o.queries + o.warmup }, () => randomVectors(r, 1, dims));
  const vi = vectors;
  const vectorSearch = await timed(o.queries, o.warmup, (i) => vi.search(queryVectors[i]!, o.topK));
  progress(`vector search done (${vi.accelerated ? 'WebAssembly SIMD' : 'JavaScript loop'})`);
  // The same search in the JavaScript loop (the fallback), for comparison.
  let plain: VectorIndex | null = new VectorIndex(dims, rows, { simd: false });
  plain.addMany(ids, flat);
  const pi = plain;
  const plainSearch = await timed(o.queries, o.warmup, (i) => pi.search(queryVectors[i]!, o.topK));
  plain = null;
  progress(`vector search in the JavaScript loop done`);

  // 2. BM25.
  const vocab = vocabulary(r, o.vocabulary);
  const texts: string[] = [];
  for (let i = 0; i < rows; i++) {
    const ws: string[] = [];
    const n = Math.round(o.wordsPerChunk * (0.5 + r()));
    for (let k = 0; k < n; k++) ws.push(vocab.word());
    texts.push(ws.join(' ') + '.');
  }
  t0 = performance.now();
  let bm25: Bm25Index | null = new Bm25Index();
  for (let i = 0; i < rows; i++) bm25.add(ids[i]!, texts[i]!);
  const buildMs = performance.now() - t0;
  progress(`BM25 over ${rows} chunks built in ${buildMs.toFixed(0)} ms`);
  t0 = performance.now();
  const snap = bm25.serialize();
  const serializeMs = performance.now() - t0;
  const snapshotMB = (snap.rows.byteLength + snap.tfs.byteLength + snap.offsets.byteLength + snap.docLen.byteLength + snap.terms.length * 2 + snap.ids.length * 16) / 2 ** 20;
  const copy = structuredClone(snap);
  t0 = performance.now();
  bm25 = Bm25Index.load(copy);
  const loadMs = performance.now() - t0;
  // Queries: two or three words from the frequent-to-middling part of the vocabulary.
  const queryTexts = Array.from({ length: o.queries + o.warmup }, () =>
    Array.from({ length: 2 + Math.floor(r() * 2) }, () => vocab.words[Math.floor(r() * r() * 3000)]!).join(' '),
  );
  const bi = bm25;
  const bm25Search = await timed(o.queries, o.warmup, (i) => bi.search(queryTexts[i]!, 4 * o.topK));
  progress(`BM25 search done`);

  // 3. Hybrid.
  let both = 0;
  const hybrid = await timed(o.queries, o.warmup, (i) => {
    const set: RetrievalSet = { bm25: bi, vectors: vi, queryVector: queryVectors[i]!, documentOf };
    const hits = retrieve([set], queryTexts[i]!, { topK: o.topK, hybridWeight: o.hybridWeight });
    if (i < o.queries && hits.some((h) => h.bm25 !== undefined) && hits.some((h) => h.cosine !== undefined)) both++;
  });
  progress(`hybrid search done`);
  const terms = snap.terms.split('\n').length;
  const postings = snap.rows.length;
  vectors = null;
  bm25 = null;
  texts.length = 0;

  // 4. IndexedDB.
  const name = 'parley-rag-bench';
  await Dexie.delete(name);
  const open = (): Dexie => {
    const db = new Dexie(name);
    db.version(1).stores({ vectors: 'id' });
    return db;
  };
  let db = open();
  t0 = performance.now();
  for (let from = 0; from < rows; from += o.idbBatch) {
    const batch: Array<{ id: string; vector: Float32Array }> = [];
    for (let i = from; i < Math.min(rows, from + o.idbBatch); i++) batch.push({ id: ids[i]!, vector: flat.slice(i * dims, (i + 1) * dims) });
    await db.table('vectors').bulkPut(batch);
  }
  const writeMs = performance.now() - t0;
  progress(`${rows} rows written to IndexedDB in ${writeMs.toFixed(0)} ms`);
  db.close();

  db = open();
  await db.open();
  t0 = performance.now();
  const all = (await db.table('vectors').toArray()) as Array<{ id: string; vector: Float32Array }>;
  let loaded: VectorIndex | null = new VectorIndex(dims, all.length);
  for (const row of all) loaded.add(row.id, row.vector);
  const readAllMs = performance.now() - t0;
  all.length = 0;
  const probe = [0, Math.floor(rows / 2), rows - 1];
  const ref = new VectorIndex(dims, 3);
  for (const i of probe) ref.add(ids[i]!, flat.subarray(i * dims, (i + 1) * dims));
  let checksumOk = loaded.size === rows;
  for (const i of probe) {
    const a = loaded.vectorOf(ids[i]!);
    const b = ref.vectorOf(ids[i]!);
    checksumOk &&= a !== undefined && b !== undefined && a.every((x, k) => Math.abs(x - b[k]!) < 1e-6);
  }
  loaded = null;
  progress(`read back all at once in ${readAllMs.toFixed(0)} ms`);
  db.close();

  db = open();
  await db.open();
  t0 = performance.now();
  const paged = new VectorIndex(dims, rows);
  let last: string | null = null;
  for (;;) {
    const table = db.table('vectors');
    const page = (await (last === null ? table.orderBy(':id') : table.where(':id').above(last)).limit(o.idbBatch).toArray()) as Array<{ id: string; vector: Float32Array }>;
    if (page.length === 0) break;
    for (const row of page) paged.add(row.id, row.vector);
    last = page[page.length - 1]!.id;
  }
  const readPagedMs = performance.now() - t0;
  progress(`read back page by page in ${readPagedMs.toFixed(0)} ms`);
  db.close();
  await Dexie.delete(name);

  // For comparison: the same vectors stored in blocks (one record {ids, vectors} per blockRows rows).
  const blocks: Array<{ rows: number; writeMs: number; readMs: number; rowsRead: number }> = [];
  for (const blockRows of o.blockRows) {
    const blockName = 'parley-rag-bench-blocks';
    await Dexie.delete(blockName);
    const openBlocks = (): Dexie => {
      const d = new Dexie(blockName);
      d.version(1).stores({ blocks: 'n' });
      return d;
    };
    let bdb = openBlocks();
    t0 = performance.now();
    for (let from = 0, n = 0; from < rows; ) {
      const batch: Array<{ n: number; ids: string[]; vectors: Float32Array }> = [];
      for (let k = 0; k < 50 && from < rows; k++, n++, from += blockRows) {
        const to = Math.min(rows, from + blockRows);
        batch.push({ n, ids: ids.slice(from, to), vectors: flat.slice(from * dims, to * dims) });
      }
      await bdb.table('blocks').bulkPut(batch);
    }
    const writeMs = performance.now() - t0;
    bdb.close();
    bdb = openBlocks();
    await bdb.open();
    t0 = performance.now();
    const fromBlocks = new VectorIndex(dims, rows);
    for (const b of (await bdb.table('blocks').toArray()) as Array<{ ids: string[]; vectors: Float32Array }>) fromBlocks.addMany(b.ids, b.vectors);
    const readMs = performance.now() - t0;
    blocks.push({ rows: blockRows, writeMs, readMs, rowsRead: fromBlocks.size });
    progress(`blocks of ${blockRows}: written in ${writeMs.toFixed(0)} ms, read back in ${readMs.toFixed(0)} ms`);
    bdb.close();
    await Dexie.delete(blockName);
  }

  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    vector: { fillMs, bufferMB: (rows * dims * 4) / 2 ** 20, search: vectorSearch, simd: vi.accelerated, plainSearch },
    bm25: { chunks: rows, terms, postings, buildMs, serializeMs, snapshotMB, loadMs, search: bm25Search },
    hybrid: { search: hybrid, queriesWithBothSides: both },
    idb: { writeMs, readAllMs, readPagedMs, rowsRead: paged.size, checksumOk, blocks },
  };
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type !== 'run') return;
  const o = e.data.options;
  // The saved BM25 index and incremental updates, after the rest has let go of its memory.
  run(o)
    .then(async (rest): Promise<RagBenchResult> => ({ ...rest, persist: await measurePersist(o, progress) }))
    .then(
      (result) => post({ type: 'done', result }),
      (err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }),
    );
};
