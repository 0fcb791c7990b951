/**
 * Knowledge ingestion throughput for a 300-page PDF (generated here: ~40 lines of text a page,
 * in paragraphs), in Chromium: the real extraction worker (pdf.js in-worker mode) reads it, the
 * chunker (src/core/rag/chunk.ts) cuts it, a fast fake embedder (a hash into 384 dimensions)
 * stands in for the model and its time is left out. Runs on its own page (e2e/extract-page,
 * built here with Vite), so it needs no app build. The first run includes loading pdf.js;
 * pages/s are the median of the warm runs.
 */

import { rm } from 'node:fs/promises';
import type { Browser } from '@playwright/test';
import { buildExtractPage } from '../e2e/extract-page/build-page';
import type { ExtractPage } from '../e2e/extract-page/main';
import { startStaticServer } from '../e2e/static-server';
import { median } from './report';
import { makePdf } from '../src/core/rag/extract/__fixtures__/make-pdf';
import { chunkDocument } from '../src/core/rag/chunk';
import { extractPdf } from '../workers/extract/pdf';
import { nodePdfJs } from '../workers/extract/test-runtimes';

const PAGES = Number(process.env.BENCH_PDF_PAGES ?? 300);
const WARM_RUNS = 3;
const CHUNK = { size: 1000, overlap: 100 };

export interface PdfIngestRun {
  extractMs: number;
  chunkMs: number;
  embedMs: number;
}
export interface PdfIngestResult {
  pages: number;
  bytes: number;
  chars: number;
  chunks: number;
  cold: PdfIngestRun;
  warm: PdfIngestRun[];
  /** The same in node (pdf.js legacy build, same in-thread mode), warm: CPU time, which a loaded machine does not inflate as it does wall time. */
  node: { cpuMs: number; wallMs: number; pagesPerCpuS: number };
  /** Medians of the warm runs. */
  extractMs: number;
  chunkMs: number;
  pagesPerS: number;
}

const WORDS = 'otter stone shell river kelp current tide harbour pup fur float dive water coast sea forage tool grip paw whisker'.split(' ');

/** Deterministic pages: paragraphs of 4–7 lines of about 80 characters. */
export function generatePages(n: number): string[][][] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const line = () => {
    let s = '';
    while (s.length < 75) s += (s ? ' ' : '') + WORDS[Math.floor(rnd() * WORDS.length)];
    return s;
  };
  return Array.from({ length: n }, (_, p) => {
    const paragraphs: string[][] = [[`Page ${p + 1}: section ${Math.floor(p / 10) + 1}`]];
    for (let lines = 1; lines < 40; ) {
      const k = 4 + Math.floor(rnd() * 4);
      paragraphs.push(Array.from({ length: k }, line));
      lines += k;
    }
    return paragraphs;
  });
}

export async function measurePdfIngest(browser: Browser): Promise<PdfIngestResult> {
  const dir = await buildExtractPage('extract-bench-');
  const server = await startStaticServer({ root: dir });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('#status').filter({ hasText: 'ready' }).waitFor({ timeout: 30_000 });
    const pages = generatePages(PAGES);
    const run = () =>
      page.evaluate(([p, c]) => (window as unknown as { __extract: ExtractPage }).__extract.ingestPdf(p, c.size, c.overlap), [pages, CHUNK] as const);
    const first = await run();
    if (!first.ok) throw new Error('the generated PDF did not extract');
    const warm: PdfIngestRun[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const r = await run();
      warm.push({ extractMs: r.extractMs, chunkMs: r.chunkMs, embedMs: r.embedMs });
    }
    const node = await measureInNode(pages);
    const extractMs = median(warm.map((r) => r.extractMs));
    const chunkMs = median(warm.map((r) => r.chunkMs));
    const total = median(warm.map((r) => r.extractMs + r.chunkMs));
    return {
      pages: PAGES, bytes: first.bytes, chars: first.chars, chunks: first.chunks,
      cold: { extractMs: first.extractMs, chunkMs: first.chunkMs, embedMs: first.embedMs },
      warm, node, extractMs, chunkMs, pagesPerS: PAGES / (total / 1000),
    };
  } finally {
    await context.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Extract + chunk in this process, after one warm-up; CPU time from process.cpuUsage. */
async function measureInNode(pages: string[][][]): Promise<PdfIngestResult['node']> {
  const pdfjs = await nodePdfJs();
  const once = async () => {
    const r = await extractPdf(pdfjs, makePdf(pages), 'bench.pdf');
    if (r.ok) chunkDocument(r.doc, CHUNK);
  };
  await once();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await once();
  const wallMs = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu0);
  const cpuMs = (user + system) / 1000;
  return { cpuMs, wallMs, pagesPerCpuS: pages.length / (cpuMs / 1000) };
}

export function formatPdfIngest(r: PdfIngestResult, fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string; section: (t: string) => string }): string {
  const rate = (msx: number) => `${(r.pages / (msx / 1000)).toFixed(0)} pages/s`;
  const row = (name: string, x: PdfIngestRun) => [name, fmt.ms(x.extractMs), fmt.ms(x.chunkMs), fmt.ms(x.extractMs + x.chunkMs), rate(x.extractMs + x.chunkMs), fmt.ms(x.embedMs, 1)];
  return [
    fmt.section(`11. Knowledge: ingesting a ${r.pages}-page PDF (extract in the worker + chunk; fake embedder left out)`),
    `  ${(r.bytes / 1024).toFixed(0)} KB PDF → ${r.chars.toLocaleString('en-US')} characters → ${r.chunks.toLocaleString('en-US')} chunks of ≤ ${CHUNK.size} (overlap ${CHUNK.overlap})`,
    fmt.table(
      ['run', 'extract (pdf.js, worker)', 'chunk', 'extract + chunk', 'throughput', 'fake embed (excluded)'],
      [row('cold (loads pdf.js)', r.cold), ...r.warm.map((x, i) => row(`warm ${i + 1}`, x))],
    ),
    `  median of warm runs: extract ${fmt.ms(r.extractMs)}, chunk ${fmt.ms(r.chunkMs)}: ${r.pagesPerS.toFixed(0)} pages/s excluding embedding`,
    `  cross-check in node (same pdf.js code, legacy build; PDF generation included): ${fmt.ms(r.node.cpuMs)} CPU, ${fmt.ms(r.node.wallMs)} wall: ` +
      `${r.node.pagesPerCpuS.toFixed(0)} pages per CPU-second (wall figures above swell when the machine is loaded; this one much less)`,
  ].join('\n');
}
