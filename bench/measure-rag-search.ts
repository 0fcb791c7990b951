/**
 * Section 10 — knowledge search in a worker (issue 7): top-10 cosine search over 100,000 × 384
 * vectors, BM25 and hybrid search over 100,000 synthetic chunks, loading the vectors from
 * IndexedDB into the contiguous buffer, and the knowledge worker's index cache (loading a saved
 * BM25 index; searching right after one more batch is ingested). The search core (src/core/rag)
 * runs in a dedicated worker of a tiny page of its own (bench/rag), built here with vite into a
 * temporary folder with an inline config (not the app's PWA build), served on 127.0.0.1 and
 * opened in the bench Chromium.
 */

import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { build } from 'vite';
import type { PersistResult, RagBenchOptions, RagBenchResult, SyncFigures } from './rag/protocol';
import { median } from './report';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export const RAG_DEFAULTS: RagBenchOptions = {
  rows: Number(process.env.BENCH_RAG_ROWS ?? 100_000),
  dims: 384,
  queries: 40,
  warmup: 5,
  topK: 10,
  hybridWeight: 0.5,
  wordsPerChunk: 80,
  vocabulary: 20_000,
  idbBatch: 5_000,
  blockRows: [32, 170, 1_000],
};

export interface RagSearchBench extends RagBenchResult {
  options: RagBenchOptions;
  bundleMs: number;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
  }));
}

export async function measureRagSearch(browser: Browser, options: RagBenchOptions = RAG_DEFAULTS): Promise<RagSearchBench> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'parley-rag-bench-'));
  let server: Server | undefined;
  try {
    const t0 = Date.now();
    await build({
      root: path.join(HERE, 'rag'),
      configFile: false,
      envDir: false,
      base: './',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
      worker: { format: 'es' },
    });
    const bundleMs = Date.now() - t0;
    const served = await serve(outDir);
    server = served.server;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.text().startsWith('[rag bench]')) process.stderr.write(`  ${m.text()}\n`);
      });
      await page.goto(served.url);
      await page.waitForFunction(() => typeof window.__ragBench === 'object');
      const result = await page.evaluate((o) => window.__ragBench.run(o), options);
      return { ...result, options, bundleMs };
    } finally {
      await context.close();
    }
  } finally {
    server?.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

function p95(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN;
}

export function formatRagSearch(r: RagSearchBench, fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string; section: (t: string) => string }): string {
  const TARGET_MS = 30;
  const o = r.options;
  const n = o.rows.toLocaleString('en-US');
  const row = (name: string, ms: readonly number[], target: string): string[] => [name, fmt.ms(median(ms), 1), fmt.ms(p95(ms), 1), fmt.ms(Math.max(...ms), 1), target];
  const v = median(r.vector.search.ms);
  const h = median(r.hybrid.search.ms);
  return [
    fmt.section(`10. Knowledge search in a worker: ${n} chunks × ${o.dims} dimensions`),
    fmt.table(
      [`top-${o.topK}, ${r.vector.search.ms.length} queries each (after ${o.warmup} warm-up)`, 'median', 'p95', 'max', 'target'],
      [
        row(`vectors: cosine over one Float32Array${r.vector.simd ? ' (WebAssembly SIMD)' : ''}`, r.vector.search.ms, `≤ ${TARGET_MS} ms median: ${v <= TARGET_MS ? 'within' : 'OVER'}`),
        row('  the same in the JavaScript loop (unrolled by 4)', r.vector.plainSearch.ms, ''),
        row(`BM25 alone (top ${4 * o.topK})`, r.bm25.search.ms, ''),
        row(`hybrid: BM25 + vectors + RRF (weight ${o.hybridWeight})`, r.hybrid.search.ms, `≤ ${TARGET_MS} ms median: ${h <= TARGET_MS ? 'within' : 'OVER'}`),
      ],
    ),
    `  vectors: ${r.vector.bufferMB.toFixed(0)} MB in one buffer; ${(r.vector.bufferMB / (v / 1000) / 1024).toFixed(1)} GB/s scanned at the median`,
    `  BM25: ${r.bm25.chunks.toLocaleString('en-US')} chunks of ~${o.wordsPerChunk} Zipf words (${o.vocabulary.toLocaleString('en-US')}-word vocabulary), ${r.bm25.terms.toLocaleString('en-US')} terms, ${r.bm25.postings.toLocaleString('en-US')} postings; ` +
      `built in ${fmt.ms(r.bm25.buildMs)}, serialized in ${fmt.ms(r.bm25.serializeMs)} to ${r.bm25.snapshotMB.toFixed(1)} MB, loaded from that in ${fmt.ms(r.bm25.loadMs)}`,
    `  hybrid: ${r.hybrid.queriesWithBothSides} of ${r.hybrid.search.ms.length} queries had hits from both sides in their top ${o.topK}`,
    fmt.table(
      [`IndexedDB (Dexie), ${n} rows of {id, vector: Float32Array(${o.dims})}`, 'time'],
      [
        [`write (bulkPut, ${o.idbBatch.toLocaleString('en-US')} rows a batch)`, fmt.ms(r.idb.writeMs)],
        ['load into the contiguous buffer: toArray() at once', fmt.ms(r.idb.readAllMs)],
        [`load into the contiguous buffer: pages of ${o.idbBatch.toLocaleString('en-US')} by primary key`, fmt.ms(r.idb.readPagedMs)],
        ...r.idb.blocks.flatMap((b) => [
          [`for comparison, ${b.rows.toLocaleString('en-US')} rows per record {ids, vectors} (${((b.rows * o.dims * 4) / 1024).toFixed(0)} KB): write`, fmt.ms(b.writeMs)],
          [`for comparison, ${b.rows.toLocaleString('en-US')} rows per record {ids, vectors} (${((b.rows * o.dims * 4) / 1024).toFixed(0)} KB): load`, fmt.ms(b.readMs)],
        ]),
      ],
    ),
    `  rows read back ${r.idb.rowsRead.toLocaleString('en-US')} (blocks: ${r.idb.blocks.map((b) => b.rowsRead.toLocaleString('en-US')).join(', ')}), vectors identical to those written: ${r.idb.checksumOk ? 'yes' : 'NO'}; bench page bundled by vite in ${fmt.ms(r.bundleMs)}`,
    formatPersist(r.persist, fmt),
  ].join('\n');
}

/** The knowledge worker's cache: the saved BM25 index, and searches after one more batch. */
function formatPersist(p: PersistResult, fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string }): string {
  const n = p.rows.toLocaleString('en-US');
  const parts = (s: SyncFigures) => `read ${fmt.ms(s.readMs)}, BM25 ${fmt.ms(s.bm25Ms)}, vectors ${fmt.ms(s.vectorsMs)}`;
  const later = p.batches.slice(1);
  return [
    fmt.table(
      [`the knowledge worker's index cache, a base of ${n} chunks in ${p.documents.toLocaleString('en-US')} documents (IndexedDB)`, 'time', 'of which'],
      [
        ['no saved BM25 (as before): BM25 built from every text + all vectors loaded', fmt.ms(p.rebuild.ms), parts(p.rebuild)],
        [`saving BM25 after that (serialize + one put, ${p.recordMB.toFixed(1)} MB)`, fmt.ms(p.saveMs), ''],
        ['the saved BM25 alone: IndexedDB read / check / load', `${fmt.ms(p.snapshot.idbReadMs)} / ${fmt.ms(p.snapshot.checkMs)} / ${fmt.ms(p.snapshot.loadMs)}`, p.snapshot.valid ? '' : 'REFUSED'],
        ['a new cache, keywords only (BM25 from the saved snapshot)', fmt.ms(p.keywordsOnly.ms), `${parts(p.keywordsOnly)}; ${p.keywordsOnly.textsRead} texts tokenized`],
        ['a new cache with the vectors (a worker start, one more file being indexed)', fmt.ms(p.fresh.ms), `${parts(p.fresh)}; ${p.fresh.textsRead} texts tokenized`],
        [`search right after that file's first batch of ${p.batch} is stored`, fmt.ms(p.batches[0]!.searchMs), `sync ${fmt.ms(p.batches[0]!.ms)}: ${parts(p.batches[0]!)}; ${p.batches[0]!.textsRead} texts, ${p.batches[0]!.vectorsRead} vectors`],
        [`the same after each of the next ${later.length} batches (median)`, fmt.ms(median(later.map((b) => b.searchMs))), `sync ${fmt.ms(median(later.map((b) => b.ms)))}`],
        ['that search the old way: everything built again first', fmt.ms(p.oldAfterBatch.searchMs), parts(p.oldAfterBatch)],
      ],
    ),
    `  writing the base as ingestion does (a document per transaction) took ${fmt.ms(p.writeMs)}; searches after a batch found ${p.batches.map((b) => b.hits).join(', ')} hits; sources: ${[p.rebuild, p.keywordsOnly, p.fresh, ...p.batches].map((s) => s.source).join(', ')}`,
  ].join('\n');
}
