import type { ParleyDb } from './db';
import type { Chat, Message, MessageContext } from './schema';
import type { ChatParams } from '../providers/types';
import { newId } from '../id';
import { imageRows, type NewImage } from './message-images';
import { addMessages, chatNodes, deleteChatMessages } from './message-rows';

/** Longest title derived from the first message before a model names the chat. */
const TITLE_MAX = 60;

export function titleFromText(text: string): string {
  const line = text.trim().split('\n').find((l) => l.trim() !== '') ?? '';
  const t = line.replace(/\s+/g, ' ').trim();
  if (t === '') return 'New chat';
  return t.length > TITLE_MAX ? `${t.slice(0, TITLE_MAX - 1)}…` : t;
}

export interface SendTurn {
  /** Existing chat, or null to start one. */
  chatId: string | null;
  content: string;
  model: string;
  connectionId: string;
  now: number;
  /** System prompt and params the user set before the chat existed; used only when this turn creates the chat. */
  system?: string;
  params?: ChatParams;
  /** More models answering the same question side by side (Open WebUI's `modelIdx` 1, 2, …). */
  also?: Array<{ model: string; connectionId: string }>;
  /** Images attached to the question; their Blobs are written in the turn's transaction. */
  images?: readonly NewImage[];
  /** Pages attached to the question as context (`?load-url=`). */
  context?: readonly MessageContext[];
}

export interface SentTurn {
  chatId: string;
  userId: string;
  /** The answer of the first model: the one the chat continues from unless the user picks another. */
  assistantId: string;
  /** Every answer of this turn, by modelIdx (the first is `assistantId`). */
  assistantIds: string[];
  /** The rows written: the question, then the answers. */
  rows: Message[];
}

/**
 * Writes the user message and the empty assistant message (status `streaming`) and moves
 * the chat's `currentId` to the assistant message, all in one transaction: a crash leaves
 * either the whole turn or none of it. A new chat is created in the same transaction, with
 * the turn's system prompt and params, so the run that follows already sees them.
 */
export async function sendTurn(db: ParleyDb, turn: SendTurn): Promise<SentTurn> {
  return db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
    let chat = turn.chatId ? await db.chats.get(turn.chatId) : undefined;
    if (turn.chatId && !chat) throw new Error('This chat no longer exists.');
    if (!chat) {
      chat = {
        id: newId(),
        title: titleFromText(turn.content),
        createdAt: turn.now,
        updatedAt: turn.now,
        pinned: false,
        archived: false,
        folderId: null,
        tags: [],
        currentId: null,
        models: [turn.model],
        system: turn.system ?? '',
        params: { ...turn.params },
      } satisfies Chat;
      await db.chats.add(chat);
    }
    const userId = newId();
    const images = imageRows(chat.id, userId, turn.images ?? []);
    const user: Message = {
      ...emptyMessage(chat.id, chat.currentId, 'user', turn.now),
      id: userId,
      content: turn.content,
      status: 'done',
      attachments: images.attachments,
      ...(turn.context?.length ? { context: [...turn.context] } : {}),
    };
    const choices = [{ model: turn.model, connectionId: turn.connectionId }, ...(turn.also ?? [])];
    // +1 ms (and one more per extra model) keeps the turn ordered by createdAt even on a coarse clock.
    const answers: Message[] = choices.map((c, i) => ({
      ...emptyMessage(chat.id, userId, 'assistant', turn.now + 1 + i),
      model: c.model,
      connectionId: c.connectionId,
      modelIdx: i,
      status: 'streaming',
    }));
    await addMessages(db, [user, ...answers]);
    if (images.blobs.length > 0) await db.blobs.bulkAdd(images.blobs);
    await db.chats.update(chat.id, { currentId: answers[0]!.id, updatedAt: turn.now, models: choices.map((c) => c.model) });
    return { chatId: chat.id, userId, assistantId: answers[0]!.id, assistantIds: answers.map((a) => a.id), rows: [user, ...answers] };
  });
}

export function emptyMessage(chatId: string, parentId: string | null, role: Message['role'], now: number): Message {
  return {
    id: newId(),
    chatId,
    parentId,
    role,
    content: '',
    reasoning: '',
    refusal: '',
    model: '',
    connectionId: '',
    modelIdx: 0,
    status: 'done',
    error: null,
    finishReason: null,
    usage: null,
    metrics: null,
    attachments: [],
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The branch ending at `leafId`, root first, walking parentId. Stops on a missing parent or
 * a cycle (a damaged import must not hang the UI).
 */
export function branchFrom<T extends { id: string; parentId: string | null }>(byId: ReadonlyMap<string, T>, leafId: string | null): T[] {
  const out: T[] = [];
  const seen = new Set<string>();
  let id = leafId;
  while (id && !seen.has(id)) {
    seen.add(id);
    const m = byId.get(id);
    if (!m) break;
    out.push(m);
    id = m.parentId;
  }
  return out.reverse();
}

/**
 * The branch ending at `leafId` as full rows: the path is found on the chat's nodes, and only
 * the messages on it are read.
 */
export async function readBranch(db: ParleyDb, chatId: string, leafId: string | null): Promise<Message[]> {
  const nodes = await chatNodes(db, chatId);
  const ids = branchFrom(new Map(nodes.map((n) => [n.id, n])), leafId).map((n) => n.id);
  const rows = await db.messages.bulkGet(ids);
  return rows.filter((m): m is Message => !!m);
}

export async function loadBranch(db: ParleyDb, chatId: string): Promise<Message[]> {
  const chat = await db.chats.get(chatId);
  if (!chat) return [];
  return readBranch(db, chatId, chat.currentId);
}

/** Deletes a chat and every message of it, and their images, together. */
export async function deleteChat(db: ParleyDb, chatId: string): Promise<void> {
  await db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
    await db.blobs.where('chatId').equals(chatId).delete();
    await deleteChatMessages(db, chatId);
    await db.chats.delete(chatId);
  });
}

/**
 * Messages still `streaming` whose run is not alive (the tab was closed or crashed) become
 * `interrupted`. `isLive` asks whether some tab still holds the run.
 */
export async function interruptOrphans(db: ParleyDb, isLive: (messageId: string) => Promise<boolean>, now: number): Promise<string[]> {
  const streaming = await db.messages.where('status').equals('streaming').primaryKeys();
  const orphans: string[] = [];
  for (const id of streaming) if (!(await isLive(id))) orphans.push(id);
  if (orphans.length === 0) return [];
  await db.transaction('rw', db.messages, async () => {
    for (const id of orphans) {
      // Re-check inside the transaction: the run may have finished meanwhile.
      const m = await db.messages.get(id);
      if (m?.status === 'streaming') await db.messages.update(id, { status: 'interrupted', updatedAt: now });
    }
  });
  return orphans;
}
