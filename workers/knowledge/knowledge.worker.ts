/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openDb } from '../../src/core/storage/db';
import { createEmbedService } from '../embed/service';
import { ortWasmPaths } from '../embed/wasm-paths';
import { createExtractService } from '../extract/service';
import { loadPdfJs } from '../extract/pdf-runtime';
import type { MammothLike } from '../extract/docx';
import type { KnowledgeApi } from './api';
import { createKnowledgeService } from './service';

/**
 * The knowledge worker: ingestion, search indexes and the embedding model, all in this one
 * worker. Extraction runs here too (pdf.js in its in-worker mode, mammoth), and so does the
 * embed service (transformers.js is imported only when the in-browser engine loads): no worker
 * inside a worker, and one copy of the model and the indexes for both the UI and the engine,
 * which reaches this worker through a port (`connect`).
 */

async function hasWebGPU(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

const loadMammoth = async (): Promise<MammothLike> => {
  const m = (await import('mammoth')) as { default?: MammothLike };
  return m.default ?? (m as unknown as MammothLike);
};

const extract = createExtractService({ pdfjs: loadPdfJs, mammoth: loadMammoth });
const db = openDb();

const service = createKnowledgeService({
  db,
  embed: createEmbedService({
    transformers: () => import('@huggingface/transformers') as unknown as Promise<import('../embed/local').TransformersLike>,
    caches: self.caches,
    wasmPaths: ortWasmPaths,
    hasWebGPU,
    fetch: (url, init) => fetch(url, init),
  }),
  extractors: { pdf: (bytes, name) => extract.pdf(bytes, name), docx: (bytes, name) => extract.docx(bytes, name) },
  appOrigin: self.location.origin,
  // One tab ingests at a time (the others wait): two runs on one document would only repeat work.
  lock: (fn) => (navigator.locks ? navigator.locks.request('parley-knowledge-ingest', { mode: 'exclusive' }, fn) : fn()),
});

const api: KnowledgeApi = {
  ...service,
  async connect(port) {
    Comlink.expose(api, port);
  },
};

Comlink.expose(api);
void service.resume();
