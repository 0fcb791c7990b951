/**
 * The vocabulary of knowledge (retrieval-augmented answers), shared by extraction, chunking,
 * embedding, storage and retrieval. Pure types: no runtime code here.
 */

/** What extraction gives for one file, before chunking. */
export interface ExtractedDocument {
  /** The readable text, with structure kept as markdown where the source had it (headings, code fences, tables). */
  text: string;
  /** For paged sources (PDF): where each page starts in `text`, as offsets, in order. */
  pageStarts?: number[];
  /** Non-fatal remarks for the user, e.g. "3 pages had no text layer". */
  warnings?: string[];
}

/** One piece of a document, as stored and retrieved. */
export interface ChunkText {
  /** 0-based position in its document (file). */
  index: number;
  text: string;
  /** Offsets of `text` in the extracted document (for "see it in context"). */
  start: number;
  end: number;
  /** The headings above it, outermost first (e.g. ["Install", "On Linux"]). */
  headings: string[];
  /** 1-based page, for paged sources. */
  page?: number;
}

export interface ChunkOptions {
  /** Target size in characters (Open WebUI's CHUNK_SIZE counts characters by default). */
  size: number;
  /** Characters repeated from the end of one chunk at the start of the next. */
  overlap: number;
}

/**
 * Turns texts into vectors. One embedder = one model: `id` names it (engine + model), and
 * vectors of different ids are never mixed in one index.
 */
export interface Embedder {
  /** e.g. "openai:<connectionId>:text-embedding-3-small", "ollama:<connectionId>:nomic-embed-text", "local:Xenova/all-MiniLM-L6-v2". */
  readonly id: string;
  /** How many texts one call may take (the caller batches). */
  readonly maxBatch: number;
  /** One vector per text, in order; each L2-normalized by the embedder. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** A retrieved passage with its scores. */
export interface Hit {
  /** Row id of the chunk. */
  chunkId: string;
  documentId: string;
  /** Fused score (reciprocal-rank fusion), higher is better. */
  score: number;
  /** Cosine similarity, when the vector side ranked it. */
  cosine?: number;
  /** BM25 score, when the keyword side ranked it. */
  bm25?: number;
}

export interface RetrievalOptions {
  topK: number;
  /**
   * 0 = keywords (BM25) only, 1 = vectors only; in between, the weight of the vector ranking in
   * the fusion (Open WebUI's hybrid search "BM25 weight" is 1 - this).
   */
  hybridWeight: number;
}
