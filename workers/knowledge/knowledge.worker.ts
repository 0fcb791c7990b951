/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openDb } from '../../src/core/storage/db';
import { startEmbed, type EmbedClient } from '../../src/ui/embed-client';
import type { EmbedApi } from '../embed-api';
import { createExtractService } from '../extract/service';
import { loadPdfJs } from '../extract/pdf-runtime';
import type { MammothLike } from '../extract/docx';
import type { KnowledgeApi } from './api';
import { createKnowledgeService } from './service';

/**
 * The knowledge worker: ingestion and the search indexes, for both the UI and the engine (which
 * reaches this worker through a port, `connect`): one copy of the indexes. Extraction runs here
 * (pdf.js in its in-worker mode, mammoth: no nested worker for them).
 *
 * The embedding model runs in its own worker (workers/embed.worker.ts), started from here on
 * first use: transformers.js cannot run again in a worker where a session failed (e.g. WebGPU
 * without a usable adapter), and the embed client replaces that worker and falls back to WASM
 * (src/ui/embed-client.ts), which it could not do if the model ran in this one.
 */

/** The embed client, created (and its worker started) on the first call. */
let embedClient: EmbedClient | undefined;
const embedder = (): EmbedClient => (embedClient ??= startEmbed());
const embed: EmbedApi = {
  load: (config, onProgress) => embedder().load(config, onProgress),
  embed: (id, texts, requestId) => embedder().embed(id, texts, requestId),
  cancel: async (requestId) => embedClient?.cancel(requestId),
  importModel: (modelId, files) => embedder().importModel(modelId, files),
  storedModels: () => embedder().storedModels(),
  deleteModel: (modelId) => embedder().deleteModel(modelId),
  unload: async () => embedClient?.unload(),
};

const loadMammoth = async (): Promise<MammothLike> => {
  const m = (await import('mammoth')) as { default?: MammothLike };
  return m.default ?? (m as unknown as MammothLike);
};

const extract = createExtractService({ pdfjs: loadPdfJs, mammoth: loadMammoth });
const db = openDb();

const service = createKnowledgeService({
  db,
  embed,
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
