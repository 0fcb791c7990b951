import * as z from 'zod/mini';

/**
 * Record shapes, validated with zod wherever data crosses a border (import, sync pull,
 * URL params, anything the user typed). Types are inferred from these schemas.
 * zod/mini: the same checks as zod with a fraction of the bytes in the worker bundle.
 */

export const connectionKind = z.enum(['openai', 'ollama', 'webgpu']);

export const connectionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  kind: connectionKind,
  name: z.string(),
  url: z.string(),
  key: z._default(z.string(), ''),
  enabled: z._default(z.boolean(), true),
  /** Non-empty: these ids are the models and the list endpoint is not called. */
  modelIds: z._default(z.array(z.string()), []),
  prefixId: z._default(z.string(), ''),
  tags: z._default(z.array(z.string()), []),
  headers: z._default(z.record(z.string(), z.string()), {}),
  authType: z._default(z.enum(['bearer', 'none']), 'bearer'),
  /** Azure OpenAI: `api-key` header, `api-version` query, deployments from `modelIds`. */
  azure: z._default(z.boolean(), false),
  apiVersion: z._default(z.string(), ''),
  /** How long listing this server's models may take before it is reported as timed out. */
  timeoutMs: z._default(z.int().check(z.positive()), 10_000),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Connection = z.infer<typeof connectionSchema>;

/** A user's stop ends a message as `done` with finishReason `stopped`; `interrupted` means the run died (reload, crash). */
export const messageStatus = z.enum(['streaming', 'done', 'error', 'interrupted']);
export type MessageStatus = z.infer<typeof messageStatus>;

export const errorSchema = z.object({
  kind: z.string(),
  message: z.string(),
  detail: z.optional(z.string()),
  status: z.optional(z.number()),
  code: z.optional(z.union([z.string(), z.number(), z.null()])),
  type: z.optional(z.nullable(z.string())),
});

/** An image of a message: its metadata here, its bytes in the `blobs` table under the same id. */
export const attachmentSchema = z.object({
  id: z.string().check(z.minLength(1)),
  kind: z.literal('image'),
  mime: z.string(),
  name: z.string(),
  width: z.optional(z.int()),
  height: z.optional(z.int()),
  bytes: z.int().check(z.gte(0)),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * A page attached to a question as context (`?load-url=`): its readable text, kept with the
 * question so a regenerate or a later turn sends the same page, and shown as a link chip.
 */
export const messageContextSchema = z.object({
  kind: z.literal('url'),
  url: z.string(),
  title: z.string(),
  text: z.string(),
  /** The page was longer than what was kept. */
  truncated: z._default(z.boolean(), false),
});
export type MessageContext = z.infer<typeof messageContextSchema>;

/** A file attached to one user message (indexed as a document without a base, `documents.chatId` set). */
export const messageFileSchema = z.object({
  documentId: z.string().check(z.minLength(1)),
  name: z.string(),
  size: z.optional(z.int().check(z.gte(0))),
});
export type MessageFile = z.infer<typeof messageFileSchema>;

/**
 * A passage an answer was given (knowledge retrieval), numbered as the model saw it: the answer
 * cites it as [n]. Kept on the assistant message so the source list outlives the file it came from.
 */
export const messageSourceSchema = z.object({
  n: z.int().check(z.positive()),
  documentId: z.string(),
  docName: z.string(),
  /** Empty when the whole document went in (short attachments, "full context"). */
  chunkId: z.string(),
  text: z.string(),
  page: z.optional(z.int().check(z.positive())),
  knowledgeId: z.optional(z.nullable(z.string())),
  /** Offsets of the passage in the document's extracted text (for "see it in context"). */
  start: z.optional(z.int().check(z.gte(0))),
  end: z.optional(z.int().check(z.gte(0))),
});
export type MessageSource = z.infer<typeof messageSourceSchema>;

export const messageSchema = z.object({
  id: z.string().check(z.minLength(1)),
  chatId: z.string().check(z.minLength(1)),
  parentId: z.nullable(z.string()),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  reasoning: z._default(z.string(), ''),
  refusal: z._default(z.string(), ''),
  /** Model id as shown in Parley (with prefix), and the connection it went through. */
  model: z._default(z.string(), ''),
  connectionId: z._default(z.string(), ''),
  modelIdx: z._default(z.int(), 0),
  status: messageStatus,
  error: z._default(z.nullable(errorSchema), null),
  finishReason: z._default(z.nullable(z.string()), null),
  usage: z._default(z.nullable(z.record(z.string(), z.unknown())), null),
  /**
   * When this tab saw the run happen, in clock ms (`Date.now()`): the request, the first
   * text/reasoning/refusal, the first reasoning, the end of reasoning (the first text after it,
   * else the last reasoning) and the end. Measured by the engine; null for messages it did not run.
   */
  metrics: z._default(
    z.nullable(
      z.object({
        startedAt: z.optional(z.number()),
        firstTokenAt: z.optional(z.number()),
        reasoningStartedAt: z.optional(z.number()),
        reasoningEndedAt: z.optional(z.number()),
        endedAt: z.optional(z.number()),
      }),
    ),
    null,
  ),
  /** Images the user attached (metadata only: never base64 inside the message row). */
  attachments: z._default(z.array(attachmentSchema), []),
  /** Questions the task model suggested after this answer (Open WebUI's `followUps`); shown under the last answer. */
  followUps: z.optional(z.array(z.string())),
  /** Pages attached to a user message as context (absent on older rows and most messages). */
  context: z.optional(z.array(messageContextSchema)),
  /** Files attached to a user message (see messageFileSchema). */
  files: z.optional(z.array(messageFileSchema)),
  /** The passages an assistant answer was given, numbered as cited ([n]). */
  sources: z.optional(z.array(messageSourceSchema)),
  /** Why the answer went without (some of) its knowledge, e.g. retrieval failed; shown under it. */
  sourcesNote: z.optional(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Message = z.infer<typeof messageSchema>;
export type MessageMetrics = NonNullable<Message['metrics']>;

// A message's node (its tree-shaped part) lives in message-node.ts, free of zod, for the UI bundle.
export { nodeOf, type MessageNode } from './message-node';

export const chatSchema = z.object({
  id: z.string().check(z.minLength(1)),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  pinned: z._default(z.boolean(), false),
  archived: z._default(z.boolean(), false),
  folderId: z._default(z.nullable(z.string()), null),
  tags: z._default(z.array(z.string()), []),
  /** The leaf of the branch on screen. */
  currentId: z._default(z.nullable(z.string()), null),
  models: z._default(z.array(z.string()), []),
  system: z._default(z.string(), ''),
  params: z._default(z.record(z.string(), z.unknown()), {}),
  /** Knowledge bases attached to the chat: every answer retrieves from them (absent = none). */
  knowledgeIds: z.optional(z.array(z.string())),
});
export type Chat = z.infer<typeof chatSchema>;

/** A sidebar folder (Open WebUI's folders: `parent_id`, `is_expanded`). Chats point to it by `folderId`. */
export const folderSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  parentId: z._default(z.nullable(z.string()), null),
  expanded: z._default(z.boolean(), true),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Folder = z.infer<typeof folderSchema>;

/**
 * The bytes of one attachment, kept apart from the message so the chat's rows stay small.
 * Owned by exactly one message: an edited question gets copies, so deleting one never
 * takes another's images.
 */
export interface StoredBlob {
  /** The attachment's id. */
  id: string;
  chatId: string;
  messageId: string;
  blob: Blob;
  mime: string;
}

export interface Setting {
  key: string;
  value: unknown;
}

/** The last model list one connection returned (before allowlist and prefix are applied). */
export interface ModelCacheEntry {
  connectionId: string;
  /** `connectionFingerprint` of the connection when listed: editing where or how it is called makes the entry someone else's. */
  fingerprint: string;
  fetchedAt: number;
  models: Array<{ id: string; name: string; ownedBy?: string; contextLength?: number; size?: number }>;
}
