import { toAppError, type AppError } from '../../src/core/errors';
import { retrieve, type RetrievalSet } from '../../src/core/rag/retrieve';
import type { RagSettings } from '../../src/core/rag/settings';
import type { Embedder } from '../../src/core/rag/types';
import type { ParleyDb } from '../../src/core/storage/db';
import type { MessageSource } from '../../src/core/storage/schema';
import type { ContextRequest, ContextResult, SearchHit, SearchResult, SearchScope } from './api';
import { retrievalSet, type IndexCache } from './indexes';

/**
 * Search over bases and single documents, and the sources of an answer (whole short files,
 * then retrieved passages). The query is embedded once by the current embedder; a base indexed
 * with another model, or an embedder that fails, leaves keyword search (with a note saying so).
 */

export interface SearchDeps {
  db: ParleyDb;
  cache: IndexCache;
  /** The current embedder, loaded; an AppError when it cannot be. */
  embedder(): Promise<Embedder | AppError>;
  now?: () => number;
  /**
   * How long embedding the question may take before the search goes on by keywords alone
   * (default QUERY_EMBED_TIMEOUT_MS): the embed service runs calls in order, so a question can
   * wait behind an ingestion batch, or behind a request to a server that stopped answering.
   */
  queryTimeoutMs?: number;
}

export const QUERY_EMBED_TIMEOUT_MS = 30_000;

/** `p`, or a rejection after `ms` (the timer is cleared either way). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const isErr = (x: unknown): x is AppError => typeof x === 'object' && x !== null && 'kind' in x && 'message' in x && !('embed' in x);

export async function search(deps: SearchDeps, settings: RagSettings, query: string, scope: SearchScope): Promise<SearchResult> {
  const now = deps.now ?? (() => performance.now());
  const { db, cache } = deps;
  const notes: string[] = [];
  const knowledgeIds = [...new Set(scope.knowledgeIds ?? [])];
  const documentIds = [...new Set(scope.documentIds ?? [])];
  const topK = scope.topK ?? settings.topK;
  const hybridWeight = scope.hybridWeight ?? settings.hybridWeight;

  let t = now();
  let embedderId: string | null = null;
  let queryVector: Float32Array | null = null;
  if (hybridWeight > 0 && query.trim() !== '' && (knowledgeIds.length > 0 || documentIds.length > 0)) {
    const e = await deps.embedder();
    if (isErr(e)) notes.push(`The embedding model is not available (${e.message}): keyword search only.`);
    else {
      try {
        const ms = deps.queryTimeoutMs ?? QUERY_EMBED_TIMEOUT_MS;
        // Given up on, the request is cancelled too: it must not hold the embedding queue after the search went on.
        const abort = new AbortController();
        const late = `no answer from the embedding model within ${Math.round(ms / 1000)} s`;
        queryVector = (await within(e.embed([query], abort.signal), ms, late).catch((err: unknown) => {
          abort.abort();
          throw err;
        }))[0] ?? null;
        embedderId = e.id;
      } catch (err) {
        notes.push(`The question could not be embedded (${toAppError(err).message}): keyword search only.`);
      }
    }
  }
  const embedMs = now() - t;

  t = now();
  const sets: RetrievalSet[] = [];
  for (const id of knowledgeIds) {
    const set = await cache.knowledge(id, embedderId);
    if (!set) continue;
    if (set.vectorNote) notes.push(set.vectorNote);
    sets.push(retrievalSet(set, queryVector));
  }
  for (const id of documentIds) {
    const set = await cache.document(id, embedderId);
    if (!set) continue;
    if (set.vectorNote) notes.push(set.vectorNote);
    sets.push(retrievalSet(set, queryVector));
  }
  const loadMs = now() - t;

  t = now();
  const ranked = retrieve(sets, query, { topK, hybridWeight });
  const searchMs = now() - t;

  const rows = await db.chunks.bulkGet(ranked.map((h) => h.chunkId));
  const docs = new Map((await db.documents.bulkGet([...new Set(ranked.map((h) => h.documentId))])).filter((d) => d !== undefined).map((d) => [d!.id, d!]));
  const hits: SearchHit[] = [];
  ranked.forEach((h, i) => {
    const row = rows[i];
    if (!row) return; // removed between loading and reading
    const hit: SearchHit = {
      n: hits.length + 1,
      chunkId: h.chunkId,
      documentId: h.documentId,
      docName: docs.get(h.documentId)?.name ?? '',
      knowledgeId: row.knowledgeId,
      text: row.text,
      headings: row.headings,
      start: row.start,
      end: row.end,
      score: h.score,
    };
    if (row.page !== undefined) hit.page = row.page;
    if (h.cosine !== undefined) hit.cosine = h.cosine;
    if (h.bm25 !== undefined) hit.bm25 = h.bm25;
    hits.push(hit);
  });
  const distinct = [...new Set(notes)];
  return { hits, ...(distinct.length ? { note: distinct.join(' ') } : {}), timings: { embedMs, loadMs, searchMs } };
}

/** Passage text as the model reads it: the headings above it first, when the chunk does not start with them. */
function withHeadings(text: string, headings: readonly string[]): string {
  const path = headings.join(' › ');
  return path && !text.trimStart().startsWith('#') ? `${path}\n\n${text}` : text;
}

/**
 * The sources for an answer. Attached files whose extracted text is at most
 * `settings.fullContextChars` go in whole (Open WebUI's full context), numbered first; the bases
 * and the longer files are searched for `settings.topK` passages. Never throws: what failed is
 * said in `note` and the answer goes with what there is.
 */
export async function answerContext(deps: SearchDeps, settings: RagSettings, req: ContextRequest): Promise<ContextResult> {
  const { db } = deps;
  const sources: MessageSource[] = [];
  const notes: string[] = [];
  const searchDocs: string[] = [];
  try {
    for (const id of [...new Set(req.documentIds)]) {
      const doc = await db.documents.get(id);
      if (!doc) {
        notes.push('A file attached to this chat was removed, so it was not used.');
        continue;
      }
      const text = (await db.sources.get(id))?.extracted?.text;
      if (text !== undefined && text.length <= settings.fullContextChars) {
        sources.push({ n: sources.length + 1, documentId: id, docName: doc.name, chunkId: '', text, knowledgeId: doc.knowledgeId, start: 0, end: text.length });
      } else if (doc.status === 'error' || doc.status === 'cancelled') {
        notes.push(`"${doc.name}" was not used: ${doc.status === 'error' ? (doc.error?.message ?? 'it could not be read.') : 'its indexing was cancelled.'}`);
      } else {
        if (doc.status !== 'done') notes.push(`"${doc.name}" is still being indexed: only the part indexed so far was searched.`);
        searchDocs.push(id);
      }
    }
    if ((req.knowledgeIds.length > 0 || searchDocs.length > 0) && req.query.trim() !== '') {
      const r = await search(deps, settings, req.query, { knowledgeIds: req.knowledgeIds, documentIds: searchDocs });
      if (r.note) notes.push(r.note);
      for (const h of r.hits) {
        sources.push({
          n: sources.length + 1,
          documentId: h.documentId,
          docName: h.docName,
          chunkId: h.chunkId,
          text: withHeadings(h.text, h.headings),
          knowledgeId: h.knowledgeId,
          start: h.start,
          end: h.end,
          ...(h.page !== undefined ? { page: h.page } : {}),
        });
      }
    }
  } catch (err) {
    notes.push(`Knowledge search failed (${toAppError(err).message}); the answer was written without it.`);
  }
  return { sources, template: settings.template, ...(notes.length ? { note: [...new Set(notes)].join(' ') } : {}) };
}
