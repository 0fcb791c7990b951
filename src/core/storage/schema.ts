import { z } from 'zod';

/**
 * Record shapes, validated with zod wherever data crosses a border (import, sync pull,
 * URL params, anything the user typed). Types are inferred from these schemas.
 */

export const connectionKind = z.enum(['openai', 'ollama', 'webgpu']);

export const connectionSchema = z.object({
  id: z.string().min(1),
  kind: connectionKind,
  name: z.string(),
  url: z.string(),
  key: z.string().default(''),
  enabled: z.boolean().default(true),
  /** Non-empty: these ids are the models and the list endpoint is not called. */
  modelIds: z.array(z.string()).default([]),
  prefixId: z.string().default(''),
  tags: z.array(z.string()).default([]),
  headers: z.record(z.string(), z.string()).default({}),
  authType: z.enum(['bearer', 'none']).default('bearer'),
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
  detail: z.string().optional(),
  status: z.number().optional(),
  code: z.union([z.string(), z.number(), z.null()]).optional(),
  type: z.string().nullable().optional(),
});

export const messageSchema = z.object({
  id: z.string().min(1),
  chatId: z.string().min(1),
  parentId: z.string().nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  reasoning: z.string().default(''),
  refusal: z.string().default(''),
  /** Model id as shown in Parley (with prefix), and the connection it went through. */
  model: z.string().default(''),
  connectionId: z.string().default(''),
  modelIdx: z.number().int().default(0),
  status: messageStatus,
  error: errorSchema.nullable().default(null),
  finishReason: z.string().nullable().default(null),
  usage: z.record(z.string(), z.unknown()).nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Message = z.infer<typeof messageSchema>;

export const chatSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  pinned: z.boolean().default(false),
  archived: z.boolean().default(false),
  folderId: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  /** The leaf of the branch on screen. */
  currentId: z.string().nullable().default(null),
  models: z.array(z.string()).default([]),
  system: z.string().default(''),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type Chat = z.infer<typeof chatSchema>;

export interface Setting {
  key: string;
  value: unknown;
}
