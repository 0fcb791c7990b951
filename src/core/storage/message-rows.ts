import Dexie from 'dexie';
import type { ParleyDb } from './db';
import type { Message } from './schema';
import { nodeOf, type MessageNode } from './message-node';

/**
 * Every write that adds or removes messages goes through here, so each message row and its
 * node (its place in the tree, see `MessageNode`) are written together. Call these inside a
 * transaction that includes both `messages` and `nodes`.
 */

export async function addMessages(db: ParleyDb, rows: readonly Message[]): Promise<void> {
  await db.messages.bulkAdd(rows as Message[]);
  await db.nodes.bulkAdd(rows.map(nodeOf));
}

export async function putMessages(db: ParleyDb, rows: readonly Message[]): Promise<void> {
  await db.messages.bulkPut(rows as Message[]);
  await db.nodes.bulkPut(rows.map(nodeOf));
}

export async function deleteMessages(db: ParleyDb, chatId: string, ids: readonly string[]): Promise<void> {
  await db.messages.bulkDelete(ids as string[]);
  await db.nodes.bulkDelete(ids.map((id): [string, string] => [chatId, id]));
}

/** A change to the fields a node copies (model, connection) made on both rows. */
export async function updateMessageModel(db: ParleyDb, chatId: string, id: string, model: string, connectionId: string): Promise<void> {
  await db.messages.update(id, { model, connectionId });
  await db.nodes.update([chatId, id], { model, connectionId });
}

/** Every node key of one chat: [chatId, any id]. */
const inChat = (db: ParleyDb, chatId: string) => db.nodes.where('[chatId+id]').between([chatId, Dexie.minKey], [chatId, Dexie.maxKey]);

export async function deleteChatMessages(db: ParleyDb, chatId: string): Promise<void> {
  await db.messages.where('chatId').equals(chatId).delete();
  await inChat(db, chatId).delete();
}

/** A chat's tree: every message's node, oldest first. */
export async function chatNodes(db: ParleyDb, chatId: string): Promise<MessageNode[]> {
  const nodes = await inChat(db, chatId).toArray();
  return nodes.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Rebuilds a chat's nodes from its messages when the two disagree (rows written by something
 * that bypassed this module). The ids are compared first, which reads keys only, not rows;
 * returns whether anything was rebuilt.
 */
export async function repairNodes(db: ParleyDb, chatId: string): Promise<boolean> {
  const [nodes, messages] = await db.transaction('r', db.messages, db.nodes, () =>
    Promise.all([inChat(db, chatId).primaryKeys(), db.messages.where('chatId').equals(chatId).primaryKeys()]),
  );
  const have = new Set(nodes.map((k) => k[1]));
  if (nodes.length === messages.length && messages.every((id) => have.has(id))) return false;
  await db.transaction('rw', db.messages, db.nodes, async () => {
    const rows = await db.messages.where('chatId').equals(chatId).toArray();
    await inChat(db, chatId).delete();
    await db.nodes.bulkAdd(rows.map(nodeOf));
  });
  return true;
}
