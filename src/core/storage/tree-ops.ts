import type { ParleyDb } from './db';
import type { Message, MessageNode, StoredBlob } from './schema';
import { emptyMessage } from './chats';
import { copyImages } from './message-images';
import { newId } from '../id';
import { childrenByParent, leafAfterDelete, newestLeaf, subtreeIds } from '../tree/tree';
import { addMessages, chatNodes, deleteMessages, putMessages, updateMessageModel } from './message-rows';

/**
 * Writes on a conversation tree. Each runs in one transaction over chats and messages, so a
 * failure leaves the tree exactly as it was, and the chat's `currentId` always names a row.
 */

async function mustGet(db: ParleyDb, chatId: string, id: string): Promise<Message> {
  const m = await db.messages.get(id);
  if (!m || m.chatId !== chatId) throw new Error('This message no longer exists.');
  return m;
}

export interface ModelChoice {
  model: string;
  connectionId: string;
}

/** A new answer beside `assistantId` (same question), streaming; the view moves to it. */
export async function addAnswerSibling(db: ParleyDb, chatId: string, assistantId: string, choice: ModelChoice, now: number): Promise<string> {
  return db.transaction('rw', db.chats, db.messages, db.nodes, async () => {
    const old = await mustGet(db, chatId, assistantId);
    if (old.role !== 'assistant') throw new Error('Only an answer can be regenerated.');
    const id = newId();
    await addMessages(db, [
      {
        ...emptyMessage(chatId, old.parentId, 'assistant', now),
        id,
        model: choice.model,
        connectionId: choice.connectionId,
        modelIdx: old.modelIdx,
        status: 'streaming',
      },
    ]);
    await db.chats.update(chatId, { currentId: id, updatedAt: now });
    return id;
  });
}

/**
 * An edited question: a new user message beside `userId` with `content`, copies of its
 * images and its attached pages, and a streaming answer to it. The old question and everything under it stay, one
 * sibling away.
 */
export async function editQuestion(
  db: ParleyDb,
  chatId: string,
  userId: string,
  content: string,
  choice: ModelChoice,
  now: number,
): Promise<{ userId: string; assistantId: string }> {
  return db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
    const old = await mustGet(db, chatId, userId);
    if (old.role !== 'user') throw new Error('Only a question can be edited and sent again.');
    const base = emptyMessage(chatId, old.parentId, 'user', now);
    const images = await copyImages(db, old, base.id);
    // Attached pages and files stay with the question (the files' documents belong to the chat, not to one message row).
    const user: Message = {
      ...base,
      content,
      status: 'done',
      attachments: images.attachments,
      ...(old.context?.length ? { context: old.context } : {}),
      ...(old.files?.length ? { files: old.files } : {}),
    };
    const assistant: Message = {
      ...emptyMessage(chatId, user.id, 'assistant', now + 1),
      model: choice.model,
      connectionId: choice.connectionId,
      status: 'streaming',
    };
    await addMessages(db, [user, assistant]);
    if (images.blobs.length > 0) await db.blobs.bulkAdd(images.blobs);
    await db.chats.update(chatId, { currentId: assistant.id, updatedAt: now });
    return { userId: user.id, assistantId: assistant.id };
  });
}

/** Changes an answer's text in place (no request); a question's text too, without resending. */
export async function editInPlace(db: ParleyDb, chatId: string, id: string, content: string, now: number): Promise<void> {
  await db.transaction('rw', db.messages, async () => {
    const m = await mustGet(db, chatId, id);
    if (m.status === 'streaming') throw new Error('Wait for the answer to finish, or stop it, before editing it.');
    await db.messages.update(id, { content, updatedAt: now });
  });
}

/** Reopens a finished answer so the model continues the same message. */
export async function reopenForContinue(db: ParleyDb, chatId: string, id: string, choice: ModelChoice | null, now: number): Promise<void> {
  await db.transaction('rw', db.chats, db.messages, db.nodes, async () => {
    const m = await mustGet(db, chatId, id);
    if (m.role !== 'assistant') throw new Error('Only an answer can be continued.');
    if (m.status === 'streaming') throw new Error('This answer is still streaming.');
    await db.messages.update(id, { status: 'streaming', error: null, finishReason: null, updatedAt: now });
    if (choice && !m.connectionId) await updateMessageModel(db, chatId, id, choice.model, choice.connectionId);
    await db.chats.update(chatId, { currentId: newestLeaf(childrenByParent(await chatNodes(db, chatId)), id), updatedAt: now });
  });
}

/** Shows the branch through `id` (a sibling picked with ‹ ›), down to its newest leaf. */
export async function showBranch(db: ParleyDb, chatId: string, id: string): Promise<void> {
  await db.transaction('rw', db.chats, db.messages, db.nodes, async () => {
    await mustGet(db, chatId, id);
    await db.chats.update(chatId, { currentId: newestLeaf(childrenByParent(await chatNodes(db, chatId)), id) });
  });
}

/** What `deleteSubtree` removed, enough to put it back. */
export interface DeletedSubtree {
  chatId: string;
  rows: Message[];
  /** The images of those rows (Blobs held in memory until the Undo is gone). */
  blobs: StoredBlob[];
  previousCurrentId: string | null;
}

/** Deletes `id` and everything under it; the view moves to a sibling's branch or the parent. */
export async function deleteSubtree(db: ParleyDb, chatId: string, id: string, now: number): Promise<DeletedSubtree> {
  return db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
    const chat = await db.chats.get(chatId);
    const node: MessageNode = await mustGet(db, chatId, id);
    const tree = childrenByParent(await chatNodes(db, chatId));
    const ids = subtreeIds(tree, id);
    const gone = new Set(ids);
    const rows = (await db.messages.bulkGet(ids)).filter((m): m is Message => !!m);
    if (rows.some((m) => m.status === 'streaming')) throw new Error('Stop the answer that is streaming before deleting it.');
    const previousCurrentId = chat?.currentId ?? null;
    const current = previousCurrentId && !gone.has(previousCurrentId) ? previousCurrentId : leafAfterDelete(tree, node);
    const blobs = await db.blobs.where('messageId').anyOf(ids).toArray();
    await db.blobs.bulkDelete(blobs.map((b) => b.id));
    await deleteMessages(db, chatId, ids);
    await db.chats.update(chatId, { currentId: current, updatedAt: now });
    return { chatId, rows, blobs, previousCurrentId };
  });
}

/** Undo of `deleteSubtree`: the rows come back as they were, and so does the view. */
export async function restoreSubtree(db: ParleyDb, d: DeletedSubtree, now: number): Promise<void> {
  await db.transaction('rw', [db.chats, db.messages, db.nodes, db.blobs], async () => {
    if (!(await db.chats.get(d.chatId))) throw new Error('The chat itself was deleted meanwhile.');
    await putMessages(db, d.rows);
    await db.blobs.bulkPut(d.blobs);
    await db.chats.update(d.chatId, { currentId: d.previousCurrentId, updatedAt: now });
  });
}
