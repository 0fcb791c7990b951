/**
 * A test page (not part of the app) for e2e/extract.spec.ts and the PDF ingest bench: the real
 * extraction worker (pdf.js in its in-worker mode, mammoth) built by Vite as a module worker, the
 * HTML extractor on this page's main thread, and the chunker. Exposes window.__extract.
 */
import * as Comlink from 'comlink';
import type { ExtractApi } from '../../workers/extract/api';
import { extractFile, type FileLike } from '../../src/core/rag/extract/extract-file';
import type { ExtractResult } from '../../src/core/rag/extract/extract-error';
import { extractHtml } from '../../src/ui/knowledge/extract-html';
import { chunkDocument } from '../../src/core/rag/chunk';
import { makePdf, type PdfPage } from '../../src/core/rag/extract/__fixtures__/make-pdf';
import { makeDocx, type DocxBlock } from '../../src/core/rag/extract/__fixtures__/make-docx';

const worker = new Worker(new URL('../../workers/extract/extract.worker.ts', import.meta.url), { type: 'module', name: 'parley-extract' });
const remote = Comlink.wrap<ExtractApi>(worker);

const extractors = {
  pdf: (b: Uint8Array, n: string) => remote.pdf(Comlink.transfer(b, [b.buffer]), n),
  docx: (b: Uint8Array, n: string) => remote.docx(Comlink.transfer(b, [b.buffer]), n),
  html: extractHtml,
};

export interface ExtractPage {
  /** The whole path: sizes, kind, then the worker (PDF, DOCX) or this thread (HTML, text kinds). */
  extract(name: string, type: string, bytes: number[] | Uint8Array): Promise<ExtractResult>;
  /** The same File handed to the worker's file() (every kind but HTML, read in the worker). */
  extractInWorker(name: string, type: string, bytes: number[] | Uint8Array): Promise<ExtractResult>;
  /** A File-like of `size` bytes that fails if anything reads it. */
  extractHuge(name: string, size: number): Promise<ExtractResult & { read: boolean }>;
  makePdf(pages: PdfPage[]): Uint8Array;
  makeDocx(blocks: DocxBlock[]): Uint8Array;
  /** Bench: extract a generated PDF in the worker, chunk it here, embed with a fake; times in ms. */
  ingestPdf(pages: PdfPage[], chunkSize: number, overlap: number): Promise<{ bytes: number; extractMs: number; chunkMs: number; embedMs: number; chunks: number; chars: number; ok: boolean }>;
}

const toFile = (name: string, type: string, bytes: number[] | Uint8Array) => new File([Uint8Array.from(bytes)], name, { type });

const api: ExtractPage = {
  extract: (name, type, bytes) => extractFile(toFile(name, type, bytes), extractors),
  extractInWorker: (name, type, bytes) => remote.file(toFile(name, type, bytes)),
  async extractHuge(name, size) {
    let read = false;
    const touch = async () => ((read = true), new ArrayBuffer(0));
    const fake: FileLike = { name, size, type: '', slice: () => ({ arrayBuffer: touch }), arrayBuffer: touch };
    return { ...(await extractFile(fake, extractors)), read };
  },
  makePdf,
  makeDocx,
  async ingestPdf(pages, size, overlap) {
    const bytes = makePdf(pages);
    const t0 = performance.now();
    const r = await extractFile(new File([bytes], 'bench.pdf', { type: 'application/pdf' }), extractors);
    const t1 = performance.now();
    if (!r.ok) return { bytes: bytes.length, extractMs: t1 - t0, chunkMs: 0, embedMs: 0, chunks: 0, chars: 0, ok: false };
    const chunks = chunkDocument(r.doc, { size, overlap });
    const t2 = performance.now();
    // A fast fake embedder (a hash of the text into 384 dims), timed apart so it can be left out.
    const dims = 384;
    for (const c of chunks) {
      const v = new Float32Array(dims);
      for (let i = 0; i < c.text.length; i++) v[(c.text.charCodeAt(i) * 31 + i) % dims]! += 1;
    }
    const t3 = performance.now();
    return { bytes: bytes.length, extractMs: t1 - t0, chunkMs: t2 - t1, embedMs: t3 - t2, chunks: chunks.length, chars: r.doc.text.length, ok: true };
  },
};

(window as unknown as { __extract: ExtractPage }).__extract = api;
document.getElementById('status')!.textContent = 'ready';
