import type { AppError } from '../../src/core/errors';
import type { DocumentStatus, Knowledge } from '../../src/core/rag/schema';
import type { RagSettings } from '../../src/core/rag/settings';
import type { MessageSource } from '../../src/core/storage/schema';
import type { EmbedderInfo, EmbedLoadProgress, ModelFile, StoredModel } from '../embed-api';

/**
 * The knowledge worker's surface (workers/knowledge.worker.ts); the UI imports it with
 * `import type` and reaches it through src/ui/knowledge-client.ts.
 *
 * The worker owns ingestion (extract → chunk → embed, resumed on start) and the in-memory search
 * indexes (one contiguous vector buffer + BM25 per base and embedder); it drives the embedding
 * worker (workers/embed.worker.ts), which it starts on first use.
 * Reads for lists and progress bars come straight from Dexie (`knowledge` and `documents`
 * tables, liveQuery); this API is for what changes them or needs the worker.
 *
 * Every method that can fail for a reason the user should read resolves to an AppError rather
 * than throwing (check with `isAppError`); unexpected failures throw.
 */

/** A file whose text the main thread already has (HTML: src/ui/knowledge/extract-html.ts). */
export interface TextFile {
  name: string;
  text: string;
  /** Default 'text/markdown'. */
  mime?: string;
}

/** Where added files go: a knowledge base by id, or a chat (a file attached to one message). */
export type AddTarget = string | { chatId: string; messageId?: string };

export type AddFileResult =
  | {
      ok: true;
      documentId: string;
      name: string;
      /** The same bytes were already in this base: that document is returned (queued again if it had failed). */
      duplicate: boolean;
    }
  | { ok: false; name: string; error: AppError };

/** One document's progress through ingestion, sent to subscribers as it happens. */
export interface KnowledgeProgress {
  documentId: string;
  knowledgeId: string | null;
  status: DocumentStatus;
  /** Chunks embedded / chunks in the document (0/0 while extracting and chunking). */
  done: number;
  total: number;
  /** With status 'error'. */
  error?: AppError | null;
}

/** The embedding model, as the settings choose it and as the worker loaded it. */
export interface EmbedderState {
  /** Loaded (or last loaded) embedder; undefined until the first load. */
  info?: EmbedderInfo;
  /** The last load failed (e.g. model files missing, server down): why. */
  error?: AppError;
  /** Knowledge bases indexed with another model than the current one (re-index to search them). */
  staleKnowledgeIds: string[];
}

export interface SearchScope {
  knowledgeIds?: string[];
  /** Single documents (files attached to messages, or one document of a base). */
  documentIds?: string[];
  /** Default: the rag.topK setting. */
  topK?: number;
  /** Default: the rag.hybridWeight setting. */
  hybridWeight?: number;
}

export interface SearchHit {
  /** 1-based rank, as the passage would be numbered in the prompt. */
  n: number;
  chunkId: string;
  documentId: string;
  docName: string;
  knowledgeId: string | null;
  text: string;
  headings: string[];
  page?: number;
  start: number;
  end: number;
  /** Fused (reciprocal-rank) score, and the two sides' own scores when they ranked it. */
  score: number;
  cosine?: number;
  bm25?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Set when only part of the search ran, e.g. "The embedding model could not be loaded: keyword search only." */
  note?: string;
  /** Milliseconds: embedding the query, loading indexes, ranking (for the debug view). */
  timings?: { embedMs: number; loadMs: number; searchMs: number };
}

/** What an answer should be given: for the engine, from a chat's knowledge and a branch's files. */
export interface ContextRequest {
  query: string;
  knowledgeIds: string[];
  documentIds: string[];
}

export interface ContextResult {
  /** Passages in prompt order, numbered 1..n (whole short files first, then retrieved passages). */
  sources: MessageSource[];
  /** Something went wrong but the answer can still go (with fewer or no sources): shown under it. */
  note?: string;
  /** The rag.template setting ('' = the default template). */
  template: string;
}

export interface KnowledgeApi {
  // ── bases ──
  createKnowledge(input: { name: string; description?: string }): Promise<Knowledge>;
  updateKnowledge(id: string, patch: { name?: string; description?: string }): Promise<void>;
  /** Removes the base with all its documents, chunks and vectors. */
  deleteKnowledge(id: string): Promise<void>;

  // ── documents ──
  /**
   * Stores the files as queued documents and starts ingesting them in the background (progress
   * through `subscribe`). With a chat target the documents belong to the chat (deleted with
   * it); with `messageId` they are also added to that message's `files`.
   */
  addFiles(target: AddTarget, files: Array<File | TextFile>): Promise<AddFileResult[]>;
  /** Stops a running or queued document: status 'cancelled', its partial chunks removed. */
  cancelDocument(documentId: string): Promise<void>;
  /** Removes the document and everything stored for it (stops its run). */
  removeDocument(documentId: string): Promise<void>;
  /** Chunks and embeds the document again from its stored text, with the current settings and model. */
  reindexDocument(documentId: string): Promise<void>;
  /** After an error (e.g. storage full): continues after the batches already stored. */
  retryDocument(documentId: string): Promise<void>;

  // ── progress ──
  /** `onProgress` (pass it through Comlink.proxy) hears every document's progress; returns an id for `unsubscribe`. */
  subscribe(onProgress: (p: KnowledgeProgress) => void): Promise<number>;
  unsubscribe(id: number): Promise<void>;

  // ── settings and the embedding model ──
  getSettings(): Promise<RagSettings>;
  /**
   * Stores the settings. When the embedding model changes, nothing is re-indexed by itself: the
   * result lists the bases indexed with another model so the UI can offer `reindexAll`.
   * Chunk size/overlap apply to documents chunked from now on (re-index to apply them to old ones).
   */
  setSettings(patch: Partial<RagSettings>): Promise<EmbedderState | AppError>;
  /** Loads the embedding model now (downloads for the in-browser engine, with progress) and reports it. */
  loadEmbedder(onProgress?: (p: EmbedLoadProgress) => void): Promise<EmbedderState>;
  embedderState(): Promise<EmbedderState>;
  /** Moves every base (or the given ones) to the current model: their documents are embedded again. */
  reindexAll(knowledgeIds?: string[]): Promise<void | AppError>;
  /** In-browser model files imported from a folder (air-gapped use), listed, deleted. */
  importModel(modelId: string, files: ModelFile[]): Promise<StoredModel>;
  storedModels(): Promise<StoredModel[]>;
  deleteModel(modelId: string): Promise<void>;

  // ── search ──
  /** Hybrid search over the given bases and documents (the debug view; the engine uses `context`). */
  search(query: string, scope: SearchScope): Promise<SearchResult | AppError>;
  /**
   * The sources for an answer: attached documents whose text is at most rag.fullContextChars go
   * in whole; the rest (and the bases) are searched for the top-k passages. Never throws for a
   * retrieval problem: it returns what it has with a `note`.
   */
  context(req: ContextRequest): Promise<ContextResult>;

  /**
   * Serves this same API on `port` (Comlink.expose): how the engine worker reaches knowledge
   * without a second copy of the indexes or the model. Transfer the port.
   */
  connect(port: MessagePort): Promise<void>;
}
