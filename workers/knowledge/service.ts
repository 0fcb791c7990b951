import { appError, isAppError, toAppError, type AppError } from '../../src/core/errors';
import { chunkDocument } from '../../src/core/rag/chunk';
import { extractFile, precheck, type Extractors } from '../../src/core/rag/extract/extract-file';
import { detectKind, SNIFF_BYTES } from '../../src/core/rag/extract/detect-kind';
import { INGEST_PAUSED, resumeAll, type IngestPorts, type IngestProgress } from '../../src/core/rag/ingest';
import type { DocumentRecord, Knowledge } from '../../src/core/rag/schema';
import { readRagSettings, writeRagSettings, type RagSettings } from '../../src/core/rag/settings';
import * as store from '../../src/core/rag/store';
import type { ExtractedDocument } from '../../src/core/rag/types';
import type { ParleyDb } from '../../src/core/storage/db';
import type { EmbedApi } from '../embed-api';
import type { AddFileResult, AddTarget, EmbedderState, KnowledgeApi, KnowledgeProgress, TextFile } from './api';
import { sameEmbedder } from '../../src/core/rag/embedder-id';
import { createEmbedderSlot } from './embedder';
import { createIndexSaver } from './index-saver';
import { createIndexCache } from './indexes';
import { answerContext, search, type SearchDeps } from './search';

/**
 * The knowledge worker's logic, built from ports so it runs in node with fakes: the database,
 * the embed service (in the browser: the embed client over its own worker), PDF/DOCX extractors
 * (pdf.js in its in-worker mode and mammoth, loaded on first use) and a lock so two tabs never
 * ingest at once. Ingestion runs in the background, one document at a time, oldest first.
 */

export interface KnowledgeDeps {
  db: ParleyDb;
  embed: EmbedApi;
  extractors: Extractors;
  appOrigin: string;
  /** Runs `fn` holding the page-wide ingestion lock (Web Locks); default: no lock. */
  lock?<T>(fn: () => Promise<T>): Promise<T>;
  now?(): number;
  /** See SearchDeps.queryTimeoutMs. */
  queryTimeoutMs?: number;
}

/** The API minus `connect` (the worker entry serves it on ports), plus what tests wait on. */
export interface KnowledgeService extends Omit<KnowledgeApi, 'connect'> {
  /** Resolves when no ingestion is running or queued to run, nor a save of a keyword index (tests; a paused queue counts as idle). */
  idle(): Promise<void>;
  /** Starts ingestion of everything unfinished (called once at start: resumes after a reload). */
  resume(): Promise<void>;
}

/** Files whose text the main thread extracted are stored as this type: the extract step reads them back as they are. */
export const EXTRACTED_MIME = 'text/markdown;parley=extracted';

const isTextFile = (f: File | TextFile): f is TextFile => typeof (f as TextFile).text === 'string' && !(typeof Blob !== 'undefined' && f instanceof Blob);

export function createKnowledgeService(deps: KnowledgeDeps): KnowledgeService {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const lock = deps.lock ?? ((fn) => fn());
  const slot = createEmbedderSlot(db, deps.embed, deps.appOrigin);
  const cache = createIndexCache(db);
  const saver = createIndexSaver(cache, now);
  const listeners = new Map<number, (p: KnowledgeProgress) => void>();
  let nextListener = 1;
  let running: { documentId: string; knowledgeId: string | null; controller: AbortController } | null = null;
  let pump: Promise<void> | null = null;
  let again = false;

  const emit = (p: KnowledgeProgress) => {
    for (const l of listeners.values()) {
      try {
        l(p);
      } catch {
        // A closed page's proxy: the next unsubscribe or a reload cleans it up.
      }
    }
  };
  const emitDoc = (d: DocumentRecord | undefined) => {
    if (d) emit({ documentId: d.id, knowledgeId: d.knowledgeId, status: d.status, done: d.progress.done, total: d.progress.total, error: d.error ? { ...d.error, kind: d.error.kind as AppError['kind'] } : null });
  };

  const embedderFor = (settings: RagSettings) => () => slot.get(settings);
  const searchDeps = (settings: RagSettings): SearchDeps => ({ db, cache, embedder: embedderFor(settings), ...(deps.queryTimeoutMs !== undefined ? { queryTimeoutMs: deps.queryTimeoutMs } : {}) });

  async function extract(doc: DocumentRecord, file: Blob | null, signal?: AbortSignal): Promise<ExtractedDocument> {
    if (!file) throw appError('internal', `The file "${doc.name}" is no longer stored: remove it and add it again.`);
    if (doc.mime === EXTRACTED_MIME) return { text: await file.text() };
    const r = await extractFile({ name: doc.name, size: file.size, type: doc.mime, slice: (a, b) => file.slice(a, b), arrayBuffer: () => file.arrayBuffer() }, deps.extractors, signal);
    if (!r.ok) throw r.error;
    return r.doc;
  }

  async function portsFor(doc: DocumentRecord, k: Knowledge | undefined): Promise<IngestPorts | null> {
    const settings = await readRagSettings(db);
    const embedder = await slot.get(settings);
    if (isAppError(embedder)) {
      emit({ documentId: doc.id, knowledgeId: doc.knowledgeId, status: doc.status, done: doc.progress.done, total: doc.progress.total, error: embedder });
      return null; // stays queued until the model loads (settings change, loadEmbedder)
    }
    // A base indexed with another model waits for reindexAll: its vectors are never mixed.
    if (k && k.embedderId !== null && !sameEmbedder(k.embedderId, embedder.id)) return null;
    const controller = new AbortController();
    running = { documentId: doc.id, knowledgeId: doc.knowledgeId, controller };
    return {
      extract,
      chunk: chunkDocument,
      chunkOptions: { size: settings.chunkSize, overlap: settings.chunkOverlap },
      embedder,
      signal: controller.signal,
      onProgress: (p: IngestProgress) => {
        emit({ ...p, knowledgeId: doc.knowledgeId });
        if (p.status === 'done' || p.status === 'error' || p.status === 'cancelled') saver.ended(doc.knowledgeId);
      },
      now,
    };
  }

  /** Runs ingestion until nothing unfinished can go on; calls while it runs make it look again. */
  function kick(): Promise<void> {
    if (pump) {
      again = true;
      return pump;
    }
    pump = (async () => {
      try {
        do {
          again = false;
          const ended = await lock(() => resumeAll(db, portsFor));
          running = null;
          for (const d of ended) if (d.status === 'error') emitDoc(d);
        } while (again);
      } catch (err) {
        console.error('knowledge: ingestion stopped', err);
      } finally {
        running = null;
        pump = null;
        saver.flush();
      }
    })();
    return pump;
  }

  /**
   * Aborts the run on a document (its embedding request too: a server that stopped answering
   * does not hold the queue). With INGEST_PAUSED the run stops without cancelling the document,
   * which the caller has removed or queued again.
   */
  function stopRun(which: { documentId?: string; knowledgeId?: string }, reason?: string): void {
    if (!running) return;
    if (running.documentId === which.documentId || (which.knowledgeId !== undefined && running.knowledgeId === which.knowledgeId)) running.controller.abort(reason);
  }

  async function addOne(target: AddTarget, f: File | TextFile): Promise<AddFileResult> {
    const name = f.name;
    let blob: Blob;
    let mime: string;
    if (isTextFile(f)) {
      if (f.text.trim() === '') return { ok: false, name, error: appError('invalid', `"${name}" has no readable text.`, { code: 'empty' }) };
      blob = new Blob([f.text], { type: 'text/markdown' });
      mime = EXTRACTED_MIME;
    } else {
      const refused = precheck(f);
      if (refused && !refused.ok) return { ok: false, name, error: refused.error };
      const kind = detectKind(name, f.type, new Uint8Array(await f.slice(0, SNIFF_BYTES).arrayBuffer()));
      if (!kind.ok) return { ok: false, name, error: kind.error };
      blob = f;
      mime = f.type || 'application/octet-stream';
    }
    const knowledgeId = typeof target === 'string' ? target : null;
    const chatId = typeof target === 'string' ? null : target.chatId;
    try {
      const { document, duplicate } = await store.addDocument(db, { knowledgeId, chatId, file: blob, name, mime, now: now() });
      if (typeof target !== 'string' && target.messageId) await attachToMessage(target.messageId, document);
      emitDoc(document);
      return { ok: true, documentId: document.id, name, duplicate };
    } catch (err) {
      return { ok: false, name, error: toAppError(err) };
    }
  }

  async function attachToMessage(messageId: string, doc: DocumentRecord): Promise<void> {
    await db.transaction('rw', db.messages, async () => {
      const m = await db.messages.get(messageId);
      if (!m) return;
      const files = (m.files ?? []).filter((x) => x.documentId !== doc.id);
      await db.messages.update(messageId, { files: [...files, { documentId: doc.id, name: doc.name, size: doc.size }] });
    });
  }

  async function embedderState(settings?: RagSettings): Promise<EmbedderState> {
    const s = settings ?? (await readRagSettings(db));
    const info = slot.info();
    // The settings' model, known without loading it; a base of that model under an older id
    // (the in-browser engine's weights type in it) is not stale.
    const expected = slot.expectedId(s);
    const stale = (await db.knowledge.toArray()).filter((k) => k.embedderId !== null && !sameEmbedder(k.embedderId, expected)).map((k) => k.id);
    const error = slot.lastError();
    return { ...(info ? { info } : {}), ...(error ? { error } : {}), staleKnowledgeIds: stale };
  }

  return {
    createKnowledge: (input) => store.createKnowledge(db, { ...input, now: now() }),
    updateKnowledge: (id, patch) => store.updateKnowledge(db, id, patch, now()),
    // A run on a removed, re-queued or re-indexed document stops quietly: it is aborted with
    // INGEST_PAUSED (a plain abort would cancel it), and ingest checks the row before each write.
    async deleteKnowledge(id) {
      await store.deleteKnowledge(db, id);
      stopRun({ knowledgeId: id }, INGEST_PAUSED);
    },

    async addFiles(target, files) {
      const out: AddFileResult[] = [];
      for (const f of files) out.push(await addOne(target, f));
      if (out.some((r) => r.ok)) void kick();
      return out;
    },
    async cancelDocument(id) {
      stopRun({ documentId: id });
      await store.cancelDocument(db, id, now());
      emitDoc(await db.documents.get(id));
    },
    async removeDocument(id) {
      const d = await db.documents.get(id);
      await store.removeDocument(db, id);
      stopRun({ documentId: id }, INGEST_PAUSED);
      if (d) emit({ documentId: id, knowledgeId: d.knowledgeId, status: 'cancelled', done: 0, total: 0, error: null });
      if (d) saver.removed(d.knowledgeId);
    },
    async reindexDocument(id) {
      await store.reindexDocument(db, id, now());
      stopRun({ documentId: id }, INGEST_PAUSED);
      emitDoc(await db.documents.get(id));
      void kick();
    },
    async retryDocument(id) {
      await store.retryDocument(db, id, now());
      emitDoc(await db.documents.get(id));
      void kick();
    },

    async subscribe(onProgress) {
      const id = nextListener++;
      listeners.set(id, onProgress);
      return id;
    },
    async unsubscribe(id) {
      listeners.delete(id);
    },

    getSettings: () => readRagSettings(db),
    async setSettings(patch) {
      try {
        await writeRagSettings(db, patch);
      } catch (err) {
        return appError('invalid', err instanceof Error ? err.message : String(err));
      }
      cache.clear();
      const state = await embedderState();
      void kick();
      return state;
    },
    async loadEmbedder(onProgress) {
      const s = await readRagSettings(db);
      await slot.get(s, onProgress);
      void kick();
      return embedderState(s);
    },
    embedderState: () => embedderState(),
    async reindexAll(ids) {
      const e = await slot.get(await readRagSettings(db));
      if (isAppError(e)) return e;
      const targets = ids ?? ((await db.knowledge.toCollection().primaryKeys()) as string[]);
      for (const id of targets) await store.setKnowledgeEmbedder(db, id, e.id, now());
      cache.clear();
      void kick();
    },
    importModel: (modelId, files) => deps.embed.importModel(modelId, files),
    storedModels: () => deps.embed.storedModels(),
    deleteModel: (modelId) => deps.embed.deleteModel(modelId),

    async search(query, scope) {
      try {
        const settings = await readRagSettings(db);
        return await search(searchDeps(settings), settings, query, scope);
      } catch (err) {
        return toAppError(err);
      }
    },
    async context(req) {
      const settings = await readRagSettings(db);
      return answerContext(searchDeps(settings), settings, req);
    },

    idle: async () => {
      while (pump) await pump;
      await saver.settled();
    },
    resume: () => kick(),
  };
}
