import type { Chat, Message } from '../storage/schema';
import type { ParleyChatExtra, ParleyMessageExtra } from './openwebui-schema';
import { branchOf } from './check-tree';
import { joinReasoning } from './reasoning-details';

/**
 * Open WebUI's "Export chats" format: an array of these rows. Open WebUI's import
 * (Settings › Data controls › Import chats) takes `row.chat` with `meta`, `pinned`, `folder_id`,
 * `created_at`, `updated_at` beside it. Timestamps: message `timestamp` and row
 * `created_at`/`updated_at` in Unix seconds, the chat object's `timestamp` in milliseconds.
 * Each message and the chat also carry a `parley` object (Open WebUI ignores it) holding what
 * Open WebUI has no field for, so re-importing into Parley gives back the same rows.
 */
export interface OwuExportMessage {
  id: string;
  parentId: string | null;
  childrenIds: string[];
  role: Message['role'];
  content: string;
  model?: string;
  modelName?: string;
  modelIdx?: number;
  models?: string[];
  timestamp: number;
  usage?: Record<string, unknown>;
  done?: boolean;
  error?: { content: string };
  followUps?: string[];
  parley: ParleyMessageExtra;
}

export interface OwuExportRow {
  id: string;
  user_id: string;
  title: string;
  chat: {
    id: string;
    title: string;
    models: string[];
    params: Record<string, unknown>;
    history: { currentId: string | null; messages: Record<string, OwuExportMessage> };
    messages: OwuExportMessage[];
    tags: string[];
    timestamp: number;
    files: [];
    parley: ParleyChatExtra;
  };
  meta: { tags: string[] };
  pinned: boolean;
  archived: boolean;
  folder_id: string | null;
  share_id: null;
  created_at: number;
  updated_at: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Seconds spent reasoning, when the engine measured it. */
function thoughtFor(m: Pick<Message, 'metrics'>): number | undefined {
  const s = m.metrics?.reasoningStartedAt;
  const e = m.metrics?.reasoningEndedAt;
  return s !== undefined && e !== undefined ? (e - s) / 1000 : undefined;
}

/** The block `toOwuMessage` puts in front of the text; the import strips exactly this. */
export function reasoningPrefix(reasoning: string, m: Pick<Message, 'metrics'> | Pick<ParleyMessageExtra, 'metrics'>): string {
  return joinReasoning('', reasoning, thoughtFor({ metrics: (m.metrics ?? null) as Message['metrics'] }));
}

function toOwuMessage(m: Message, childrenIds: string[], chatModels: string[]): OwuExportMessage {
  const out: OwuExportMessage = {
    id: m.id,
    parentId: m.parentId,
    childrenIds,
    role: m.role,
    content: reasoningPrefix(m.reasoning, m) + m.content,
    timestamp: seconds(m.createdAt),
    parley: {
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      status: m.status,
      reasoning: m.reasoning,
      refusal: m.refusal,
      connectionId: m.connectionId,
      finishReason: m.finishReason,
      error: m.error ? { kind: m.error.kind, message: m.error.message, ...(m.error.detail !== undefined ? { detail: m.error.detail } : {}) } : null,
      metrics: m.metrics ? (Object.fromEntries(Object.entries(m.metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number>) : null,
    },
  };
  if (m.role === 'user') out.models = chatModels;
  if (m.role === 'assistant') {
    out.model = m.model;
    out.modelName = m.model;
    out.modelIdx = m.modelIdx;
    out.done = m.status !== 'streaming';
    if (m.usage) out.usage = m.usage;
    if (m.status === 'error') out.error = { content: m.error?.message ?? 'Error' };
  }
  if (m.followUps && m.followUps.length > 0) out.followUps = m.followUps;
  return out;
}

export function toOpenWebUIRow(chat: Chat, messages: readonly Message[]): OwuExportRow {
  const children = new Map<string, string[]>();
  const sorted = [...messages].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const m of sorted) if (m.parentId !== null) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m.id]);
  const byId: Record<string, OwuExportMessage> = {};
  for (const m of sorted) byId[m.id] = toOwuMessage(m, children.get(m.id) ?? [], chat.models);
  const branch = branchOf(sorted, chat.currentId).map((m) => byId[m.id]!);
  const params: Record<string, unknown> = { ...chat.params };
  if (chat.system) params.system = chat.system;
  return {
    id: chat.id,
    user_id: '',
    title: chat.title,
    chat: {
      id: chat.id,
      title: chat.title,
      models: chat.models,
      params,
      history: { currentId: chat.currentId, messages: byId },
      messages: branch,
      tags: chat.tags,
      timestamp: chat.createdAt,
      files: [],
      parley: { createdAt: chat.createdAt, updatedAt: chat.updatedAt, system: chat.system, params: chat.params },
    },
    meta: { tags: chat.tags },
    pinned: chat.pinned,
    archived: chat.archived,
    folder_id: chat.folderId,
    share_id: null,
    created_at: seconds(chat.createdAt),
    updated_at: seconds(chat.updatedAt),
  };
}
