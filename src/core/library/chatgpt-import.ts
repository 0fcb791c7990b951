import * as z from 'zod/mini';
import { chatSchema, type Message } from '../storage/schema';
import { emptyMessage } from '../storage/chats';
import { orderAfterParents, pickCurrent, treeProblem } from './check-tree';
import { isParleyId, stableId } from './ids';
import { titleFor, type ImportedChat, type SkippedChat } from './imported';
import { firstIssue } from './zod-issue';

/**
 * ChatGPT's `conversations.json` (Settings › Data controls › Export): an array of
 * conversations, each a tree in `mapping` keyed by node id. Unlike Open WebUI, which keeps only
 * one path, every branch is kept. Dropped: the empty root, system messages ChatGPT hides, the
 * custom instructions (`user_editable_context`), tool nodes (browsing, code runs, plugins) and
 * empty assistant stubs; their children hang from the nearest kept ancestor.
 */

const nodeSchema = z.object({
  id: z.optional(z.string()),
  parent: z.nullish(z.string()),
  children: z.nullish(z.array(z.string())),
  message: z.nullish(
    z.object({
      id: z.optional(z.string()),
      author: z.object({ role: z.string() }),
      create_time: z.nullish(z.number()),
      update_time: z.nullish(z.number()),
      content: z.nullish(
        z.object({
          content_type: z.optional(z.string()),
          parts: z.nullish(z.array(z.unknown())),
          text: z.nullish(z.string()),
        }),
      ),
      metadata: z.nullish(
        z.object({
          model_slug: z.nullish(z.string()),
          is_visually_hidden_from_conversation: z.nullish(z.boolean()),
        }),
      ),
    }),
  ),
});
type Node = z.infer<typeof nodeSchema>;

export const conversationSchema = z.object({
  id: z.nullish(z.string()),
  conversation_id: z.nullish(z.string()),
  title: z.nullish(z.string()),
  create_time: z.nullish(z.number()),
  update_time: z.nullish(z.number()),
  mapping: z.record(z.string(), nodeSchema),
  current_node: z.nullish(z.string()),
  is_archived: z.nullish(z.boolean()),
  default_model_slug: z.nullish(z.string()),
});

const secToMs = (s: number | null | undefined) => (typeof s === 'number' && Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : null);

/** Text of a node: its string parts; anything else (images, files) leaves a short note. */
function textOf(node: Node): string {
  const c = node.message?.content;
  if (!c) return '';
  if (c.parts) return c.parts.map((p) => (typeof p === 'string' ? p : `[${typeof p === 'object' && p !== null && 'content_type' in p ? String((p as { content_type: unknown }).content_type) : 'attachment'} not imported]`)).join('\n');
  return c.text ?? '';
}

function kept(node: Node): node is Node & { message: NonNullable<Node['message']> } {
  const m = node.message;
  if (!m) return false;
  const role = m.author.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') return false;
  if (m.metadata?.is_visually_hidden_from_conversation) return false;
  const type = m.content?.content_type ?? 'text';
  if (type === 'user_editable_context' || type === 'model_editable_context') return false;
  // Tool plumbing an assistant node carries (code, browsing quotes) is not a reply the user read.
  if (role === 'assistant' && type !== 'text' && type !== 'multimodal_text') return false;
  return textOf(node).trim() !== '';
}

export function fromChatGPT(value: unknown, index: number, now: number): ImportedChat | SkippedChat {
  const title = titleFor((value as { title?: unknown } | null)?.title, index);
  const parsed = conversationSchema.safeParse(value);
  if (!parsed.success) return { title, reason: firstIssue(parsed.error) };
  const conv = parsed.data;
  const sourceId = conv.id ?? conv.conversation_id ?? '';
  const created = secToMs(conv.create_time) ?? now;
  const chatId = isParleyId(sourceId) ? sourceId : stableId('c', 'chatgpt', String(created), Object.keys(conv.mapping).join(','));
  const mapping = conv.mapping;
  // Cycles in `parent` would loop the ancestor walk below: check the raw tree first.
  const raw = Object.entries(mapping).map(([id, n]) => ({ id, parentId: n.parent != null && n.parent in mapping ? n.parent : null }));
  const problem = treeProblem(raw);
  if (problem) return { title, reason: problem };
  const idOf = (key: string) => (isParleyId(key) ? key : stableId('m', chatId, key));
  /** The nearest kept ancestor of `key` (not itself). */
  const keptParent = (key: string): string | null => {
    let at = mapping[key]?.parent ?? null;
    while (at !== null && at in mapping && !kept(mapping[at]!)) at = mapping[at]!.parent ?? null;
    return at !== null && at in mapping ? at : null;
  };
  const messages: Message[] = [];
  const timeOf = new Map<string, number>();
  const timeFor = (key: string): number => {
    const own = secToMs(mapping[key]?.message?.create_time);
    if (own !== null) return own;
    const p = keptParent(key);
    return p !== null ? (timeOf.get(p) ?? timeFor(p)) : created;
  };
  for (const [key, node] of Object.entries(mapping)) {
    if (!kept(node)) continue;
    const m = node.message;
    const parent = keptParent(key);
    const at = timeFor(key);
    timeOf.set(key, at);
    messages.push({
      ...emptyMessage(chatId, parent === null ? null : idOf(parent), m.author.role as Message['role'], at),
      id: idOf(key),
      content: textOf(node),
      model: m.author.role === 'assistant' ? (m.metadata?.model_slug ?? conv.default_model_slug ?? '') : '',
      updatedAt: secToMs(m.update_time) ?? at,
    });
  }
  if (messages.length === 0) return { title, reason: 'it has no messages' };
  orderAfterParents(messages);
  let current = conv.current_node ?? null;
  if (current !== null && current in mapping && !kept(mapping[current]!)) current = keptParent(current);
  const models = [...new Set(messages.map((m) => m.model).filter(Boolean))];
  const chat = chatSchema.parse({
    id: chatId,
    title: conv.title?.trim() || 'Imported chat',
    createdAt: created,
    updatedAt: secToMs(conv.update_time) ?? Math.max(created, ...messages.map((m) => m.updatedAt)),
    archived: conv.is_archived ?? false,
    currentId: pickCurrent(messages, current === null ? null : idOf(current)),
    models: models.slice(0, 1),
  });
  return { chat, messages, source: 'chatgpt' };
}
