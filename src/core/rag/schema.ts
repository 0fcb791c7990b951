import * as z from 'zod/mini';

/**
 * Knowledge records as stored in IndexedDB (tables in ../storage/db.ts), validated with zod where
 * they cross a border (import, sync pull, a worker message). Types are inferred from these schemas;
 * code that only reads or writes the tables imports the types (`import type`), never this module's
 * values, so zod stays out of any bundle that does not validate.
 */

/** Where a document is in ingestion; the first four are unfinished and resume after a reload. */
export const documentStatus = z.enum(['queued', 'extracting', 'chunking', 'embedding', 'done', 'error', 'cancelled']);
export type DocumentStatus = z.infer<typeof documentStatus>;

export const knowledgeSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  description: z._default(z.string(), ''),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The embedder (model) every vector of this base belongs to; null until one is chosen. */
  embedderId: z._default(z.nullable(z.string()), null),
  /** Its vectors' length, known once the first batch is embedded. */
  dims: z._default(z.nullable(z.int().check(z.positive())), null),
});
export type Knowledge = z.infer<typeof knowledgeSchema>;

export const chunkOptionsSchema = z.object({
  size: z.int().check(z.positive()),
  overlap: z.int().check(z.gte(0)),
});

export const storedErrorSchema = z.object({
  kind: z.string(),
  message: z.string(),
  detail: z.optional(z.string()),
  code: z.optional(z.union([z.string(), z.number(), z.null()])),
});

export const documentSchema = z.object({
  id: z.string().check(z.minLength(1)),
  /** Null for a file attached to one message rather than kept in a knowledge base. */
  knowledgeId: z.nullable(z.string()),
  /** The chat of a file attached to a message (so deleting the chat can remove it); null in a base. */
  chatId: z._default(z.nullable(z.string()), null),
  name: z.string(),
  mime: z.string(),
  size: z.int().check(z.gte(0)),
  /** Hex SHA-256 of the file's bytes: the same file added twice to one base is stored once. */
  sha256: z.string(),
  status: documentStatus,
  /** Chunks embedded and stored / chunks in the document (0/0 before chunking). */
  progress: z.object({ done: z.int().check(z.gte(0)), total: z.int().check(z.gte(0)) }),
  error: z._default(z.nullable(storedErrorSchema), null),
  /** Remarks from extraction for the user (e.g. pages without a text layer). */
  warnings: z._default(z.array(z.string()), []),
  /** The embedder its stored chunks were embedded with (null until embedding starts). */
  embedderId: z._default(z.nullable(z.string()), null),
  /**
   * The chunk options it was cut with: a resumed run cuts again with the same ones, so chunk
   * `i` is the same text before and after the reload. Null until chunked.
   */
  chunking: z._default(z.nullable(chunkOptionsSchema), null),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DocumentRecord = z.infer<typeof documentSchema>;

/**
 * What a document's text comes from, apart from the document row so lists never read it: the
 * file until it is extracted, then the extracted text (the file is dropped, a re-index starts
 * from the text).
 */
export const sourceSchema = z.object({
  documentId: z.string().check(z.minLength(1)),
  file: z.nullable(z.instanceof(Blob)),
  extracted: z.nullable(
    z.object({
      text: z.string(),
      pageStarts: z.optional(z.array(z.int())),
      warnings: z.optional(z.array(z.string())),
    }),
  ),
});
export type SourceRecord = z.infer<typeof sourceSchema>;

/** One chunk's text and place; its vector lives in a `vectors` block (see store.ts). */
export const chunkSchema = z.object({
  /** `chunkId(documentId, index)`: the same chunk always gets the same id, so a resumed batch cannot duplicate. */
  id: z.string().check(z.minLength(1)),
  documentId: z.string().check(z.minLength(1)),
  knowledgeId: z.nullable(z.string()),
  index: z.int().check(z.gte(0)),
  text: z.string(),
  start: z.int().check(z.gte(0)),
  end: z.int().check(z.gte(0)),
  headings: z.array(z.string()),
  page: z.optional(z.int().check(z.positive())),
  embedderId: z.string(),
  dims: z.int().check(z.positive()),
});
export type ChunkRecord = z.infer<typeof chunkSchema>;

/**
 * The vectors of consecutive chunks of one document, in one Float32Array (`count × dims`).
 * `knowledgeId` is '' for a document without a base (IndexedDB keys cannot hold null).
 */
export const vectorBlockSchema = z
  .object({
    knowledgeId: z.string(),
    embedderId: z.string().check(z.minLength(1)),
    documentId: z.string().check(z.minLength(1)),
    /** Index of the block's first chunk in its document (0-based). */
    first: z.int().check(z.gte(0)),
    dims: z.int().check(z.positive()),
    chunkIds: z.array(z.string()).check(z.minLength(1)),
    vectors: z.instanceof(Float32Array),
  })
  .check(z.refine((b) => b.vectors.length === b.chunkIds.length * b.dims, 'A vector block must hold one vector of `dims` numbers per chunk id.'));
export type VectorBlock = z.infer<typeof vectorBlockSchema>;
