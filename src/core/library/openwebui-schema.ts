import * as z from 'zod/mini';

/**
 * What Parley reads of Open WebUI's chat export. Lenient where Open WebUI itself is (most
 * fields optional, unknown keys ignored), strict on the types of what is read: a message whose
 * content is not text, or a parent id that is not a string, makes its chat invalid.
 * Open WebUI: `backend/open_webui/models/chats.py` (ChatImportForm), the chat JSON written by
 * `src/lib/components/chat/Chat.svelte`.
 */

const num = z.nullish(z.number());
const str = z.nullish(z.string());

/** Parley's own fields riding along in an export, so that a Parley → Parley round trip is exact. */
export const parleyMessageExtra = z.object({
  createdAt: z.number(),
  updatedAt: z.number(),
  status: z.enum(['streaming', 'done', 'error', 'interrupted']),
  reasoning: z.optional(z.string()),
  refusal: z.optional(z.string()),
  connectionId: z.optional(z.string()),
  finishReason: z.nullish(z.string()),
  error: z.nullish(z.object({ kind: z.string(), message: z.string(), detail: z.optional(z.string()) })),
  metrics: z.nullish(z.record(z.string(), z.number())),
});
export type ParleyMessageExtra = z.infer<typeof parleyMessageExtra>;

export const parleyChatExtra = z.object({
  createdAt: z.number(),
  updatedAt: z.number(),
  system: z.optional(z.string()),
  params: z.optional(z.record(z.string(), z.unknown())),
});
export type ParleyChatExtra = z.infer<typeof parleyChatExtra>;

const contentPart = z.object({ type: z.optional(z.string()), text: z.optional(z.string()) });

export const owuMessageSchema = z.object({
  id: str,
  parentId: str,
  childrenIds: z.nullish(z.array(z.string())),
  role: z.string(),
  // Older Open WebUI versions stored multimodal user turns as OpenAI content parts.
  content: z.union([z.string(), z.array(contentPart), z.null()]),
  model: str,
  modelIdx: num,
  timestamp: num,
  usage: z.nullish(z.record(z.string(), z.unknown())),
  done: z.nullish(z.boolean()),
  error: z.nullish(z.union([z.boolean(), z.object({ content: z.optional(z.string()) })])),
  followUps: z.nullish(z.array(z.string())),
  parley: z.optional(parleyMessageExtra),
});
export type OwuMessage = z.infer<typeof owuMessageSchema>;

const tag = z.union([z.string(), z.object({ name: z.string() })]);

export const owuChatSchema = z.object({
  id: str,
  title: str,
  models: z.nullish(z.array(z.nullable(z.string()))),
  params: z.nullish(z.record(z.string(), z.unknown())),
  system: str,
  history: z.nullish(
    z.object({
      currentId: str,
      messages: z.record(z.string(), owuMessageSchema),
    }),
  ),
  messages: z.nullish(z.array(owuMessageSchema)),
  tags: z.nullish(z.array(tag)),
  timestamp: num,
  parley: z.optional(parleyChatExtra),
});
export type OwuChat = z.infer<typeof owuChatSchema>;

export const owuRowSchema = z.object({
  id: str,
  title: str,
  chat: owuChatSchema,
  created_at: num,
  updated_at: num,
  pinned: z.nullish(z.boolean()),
  archived: z.nullish(z.boolean()),
  folder_id: str,
  meta: z.nullish(z.object({ tags: z.nullish(z.array(tag)) })),
});
export type OwuRow = z.infer<typeof owuRowSchema>;
