import type { ParleyDb } from './db';
import { nodeOf, type Message, type MessageNode } from './schema';

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

export async function deleteMessages(db: ParleyDb, ids: readonly string[]): Promise<void> {
  await db.messages.bulkDelete(ids as string[]);
  await db.nodes.bulkDelete(ids as string[]);
}

/** A change to the fields a node copies (model, connection) made on both rows. */
export async function updateMessageModel(db: ParleyDb, id: string, model: string, connectionId: string): Promise<void> {
  await db.messages.update(id, { model, connectionId });
  await db.nodes.update(id, { model, connectionId });
}

const inChat = (chatId: string): [unknown[], unknown[]] => [
  [chatId, -Infinity],
  [chatId, Infinity],
];

export async function deleteChatMessages(db: ParleyDb, chatId: string): Promise<void> {
  await db.messages.where('chatId').equals(chatId).delete();
  await db.nodes.where('[chatId+createdAt]').between(...inChat(chatId)).delete();
}

/** A chat's tree: every message's node, oldest first. */
export function chatNodes(db: ParleyDb, chatId: string): Promise<MessageNode[]> {
  return db.nodes.where('[chatId+createdAt]').between(...inChat(chatId)).toArray();
}

/**
 * Rebuilds a chat's nodes from its messages when the two disagree (rows written by something
 * that bypassed this module). The ids are compared first, which reads keys only, not rows;
 * returns whether anything was rebuilt.
 */
export async function repairNodes(db: ParleyDb, chatId: string): Promise<boolean> {
  const [nodes, messages] = await db.transaction('r', db.messages, db.nodes, () =>
    Promise.all([db.nodes.where('[chatId+createdAt]').between(...inChat(chatId)).primaryKeys(), db.messages.where('chatId').equals(chatId).primaryKeys()]),
  );
  const have = new Set(nodes);
  if (nodes.length === messages.length && messages.every((id) => have.has(id))) return false;
  await db.transaction('rw', db.messages, db.nodes, async () => {
    const rows = await db.messages.where('chatId').equals(chatId).toArray();
    await db.nodes.where('[chatId+createdAt]').between(...inChat(chatId)).delete();
    await db.nodes.bulkAdd(rows.map(nodeOf));
  });
  return true;
}
