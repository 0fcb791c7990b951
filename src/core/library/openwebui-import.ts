import { chatSchema, type Chat, type Message, type MessageMetrics } from '../storage/schema';
import { owuChatSchema, owuRowSchema, type OwuChat, type OwuMessage, type OwuRow } from './openwebui-schema';
import { orderAfterParents, pickCurrent, treeProblem } from './check-tree';
import { reasoningPrefix } from './openwebui-export';
import { splitReasoning } from './reasoning-details';
import { isParleyId, stableId } from './ids';
import { titleFor, type ImportedChat, type SkippedChat } from './imported';
import { firstIssue } from './zod-issue';

/** Open WebUI mixes seconds and milliseconds; anything past year 5138 in seconds is really milliseconds. */
const MS_THRESHOLD = 1e11;

export function toMs(t: number | null | undefined): number | null {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return null;
  return t > MS_THRESHOLD ? Math.round(t) : Math.round(t * 1000);
}

/** A row of Open WebUI's export (`{id, title, chat, …}`) or a bare chat object (`{title, history, …}`). */
export function fromOpenWebUI(value: unknown, index: number, now: number): ImportedChat | SkippedChat {
  const raw = value as { title?: unknown; chat?: { title?: unknown } } | null;
  const title = titleFor(raw?.title ?? raw?.chat?.title, index);
  const isRow = typeof value === 'object' && value !== null && 'chat' in value;
  let row: OwuRow;
  if (isRow) {
    const parsed = owuRowSchema.safeParse(value);
    if (!parsed.success) return { title, reason: firstIssue(parsed.error) };
    row = parsed.data;
  } else {
    const parsed = owuChatSchema.safeParse(value);
    if (!parsed.success) return { title, reason: firstIssue(parsed.error) };
    row = { id: parsed.data.id, title: parsed.data.title, chat: parsed.data, created_at: null, updated_at: null, pinned: null, archived: null, folder_id: null, meta: null };
  }
  try {
    return convert(row, now, index);
  } catch (e) {
    return { title, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Open WebUI's tree, or (very old exports) its flat `messages` list chained in order. */
function sourceMessages(chat: OwuChat): Array<[string, OwuMessage]> {
  if (chat.history && Object.keys(chat.history.messages).length > 0) return Object.entries(chat.history.messages);
  const flat = chat.messages ?? [];
  let prev: string | null = null;
  return flat.map((m, i) => {
    const id = m.id ?? `m${i}`;
    const out: [string, OwuMessage] = [id, { ...m, id, parentId: m.parentId !== undefined ? m.parentId : prev }];
    prev = id;
    return out;
  });
}

function convert(row: OwuRow, now: number, index: number): ImportedChat {
  const c = row.chat;
  const ext = c.parley;
  const sourceId = row.id || c.id || '';
  const entries = sourceMessages(c);
  const chatCreated = ext?.createdAt ?? toMs(row.created_at) ?? toMs(c.timestamp) ?? now;
  // Ids first, so that parents can be mapped: a key that is not a usable id gets a stable one.
  const idOf = new Map<string, string>();
  for (const [key, m] of entries) {
    if (m.id != null && m.id !== key) throw new Error(`message ${key} says its id is ${m.id}`);
    idOf.set(key, isParleyId(key) ? key : stableId('m', sourceId, key));
  }
  const chatId = isParleyId(sourceId) ? sourceId : stableId('c', String(chatCreated), entries.map(([k]) => k).join(','), row.title ?? c.title ?? '');
  const messages: Message[] = entries.map(([key, m]) => toMessage(m, idOf.get(key)!, m.parentId == null ? null : (idOf.get(m.parentId) ?? m.parentId), chatId, chatCreated));
  const problem = treeProblem(messages);
  if (problem) throw new Error(problem);
  if (!ext) orderAfterParents(messages);
  const wanted = c.history?.currentId ?? null;
  const times = messages.map((m) => m.updatedAt);
  const tags = [...(row.meta?.tags ?? []), ...(c.tags ?? [])].map((t) => (typeof t === 'string' ? t : t.name).trim()).filter(Boolean);
  const params = ext?.params ?? (c.params ? { ...c.params } : {});
  const system = ext?.system ?? c.system ?? (typeof c.params?.system === 'string' ? c.params.system : '');
  if (!ext) delete params.system;
  const chat: Chat = chatSchema.parse({
    id: chatId,
    title: (row.title ?? c.title ?? '').trim() || 'Imported chat',
    createdAt: chatCreated,
    updatedAt: ext?.updatedAt ?? toMs(row.updated_at) ?? Math.max(chatCreated, ...times),
    pinned: row.pinned ?? false,
    archived: row.archived ?? false,
    folderId: row.folder_id ?? null,
    tags: [...new Set(tags)],
    currentId: pickCurrent(messages, wanted == null ? null : (idOf.get(wanted) ?? wanted)),
    models: (c.models ?? []).filter((x): x is string => typeof x === 'string' && x !== ''),
    system,
    params,
  });
  void index;
  return { chat, messages, source: 'openwebui' };
}

function textOf(content: OwuMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' || p.text !== undefined ? (p.text ?? '') : `[${p.type ?? 'attachment'} not imported]`)).join('\n');
}

function toMessage(m: OwuMessage, id: string, parentId: string | null, chatId: string, chatCreated: number): Message {
  if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system') throw new Error(`message ${id} has the role “${m.role.slice(0, 20)}”, which Parley does not know`);
  const x = m.parley;
  const text = textOf(m.content);
  let content = text;
  let reasoning = '';
  if (x) {
    // Parley wrote this file: the reasoning is exact in the extra, and the block in front of the text is ours.
    reasoning = x.reasoning ?? '';
    const prefix = reasoningPrefix(reasoning, x);
    content = prefix && text.startsWith(prefix) ? text.slice(prefix.length) : text;
  } else if (m.role === 'assistant') {
    ({ content, reasoning } = splitReasoning(text));
  }
  const at = x?.createdAt ?? toMs(m.timestamp) ?? chatCreated;
  const failed = m.error != null && m.error !== false;
  const status: Message['status'] = x?.status ?? (failed ? 'error' : m.role === 'assistant' && m.done === false ? 'interrupted' : 'done');
  const metrics = x?.metrics ? (Object.fromEntries(Object.entries(x.metrics)) as MessageMetrics) : null;
  return {
    id,
    chatId,
    parentId,
    role: m.role,
    content,
    reasoning,
    refusal: x?.refusal ?? '',
    model: m.model ?? '',
    connectionId: x?.connectionId ?? '',
    modelIdx: Number.isInteger(m.modelIdx) ? m.modelIdx! : 0,
    status: status === 'streaming' ? 'interrupted' : status,
    error: x?.error ?? (failed ? { kind: 'imported', message: typeof m.error === 'object' && m.error?.content ? m.error.content : 'The answer failed in Open WebUI.' } : null),
    finishReason: x?.finishReason ?? null,
    usage: m.usage ?? null,
    metrics,
    attachments: [],
    ...(m.followUps && m.followUps.length > 0 ? { followUps: m.followUps } : {}),
    createdAt: at,
    updatedAt: x?.updatedAt ?? at,
  };
}
