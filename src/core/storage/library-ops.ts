import type { ParleyDb } from './db';
import type { Chat, Folder, Message, MessageNode, StoredBlob } from './schema';
import { newId } from '../id';
import { chatNodes, deleteChatMessages, putMessages } from './message-rows';
import { folderAndDescendants } from '../library-view/folder-tree';

/**
 * The sidebar's writes: rename, pin, archive, folders, tags, delete with undo. Each takes a
 * list of chat ids so one call serves a single chat and a multi-selection alike, in one
 * transaction. Pin, archive, move and tag leave `updatedAt` alone: it orders the list by the
 * last message, and filing a chat away must not bring it to the top. Renaming leaves it too.
 */

export const TITLE_MAX = 200;
export const FOLDER_NAME_MAX = 100;
export const TAG_MAX = 50;

/** Thrown for input the user can correct; the message is meant to be shown as is. */
export class LibraryInputError extends Error {}

function cleanName(s: string, max: number, what: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t === '') throw new LibraryInputError(`The ${what} cannot be empty.`);
  return t.length > max ? t.slice(0, max).trim() : t;
}

export function cleanTitle(title: string): string {
  return cleanName(title, TITLE_MAX, 'title');
}

/**
 * A tag as Open WebUI stores it (its tag id): trimmed, lower-case, spaces as underscores, so
 * "Machine Learning" and "machine learning " are one tag and exports match Open WebUI's.
 */
export function normalizeTag(tag: string): string {
  const t = tag.trim().toLowerCase().replace(/\s+/g, '_');
  if (t === '') throw new LibraryInputError('A tag cannot be empty.');
  return t.slice(0, TAG_MAX);
}

export async function renameChat(db: ParleyDb, chatId: string, title: string): Promise<string> {
  const t = cleanTitle(title);
  const n = await db.chats.update(chatId, { title: t });
  if (n === 0 && !(await db.chats.get(chatId))) throw new Error('This chat no longer exists.');
  return t;
}

/** Applies `change` to each chat that exists; returns the ids changed. */
async function modifyChats(db: ParleyDb, ids: readonly string[], change: (c: Chat) => Partial<Chat> | null): Promise<string[]> {
  return db.transaction('rw', db.chats, async () => {
    const rows = await db.chats.bulkGet([...ids]);
    const changed: string[] = [];
    for (const c of rows) {
      if (!c) continue;
      const patch = change(c);
      if (!patch) continue;
      await db.chats.update(c.id, patch);
      changed.push(c.id);
    }
    return changed;
  });
}

export function setPinned(db: ParleyDb, ids: readonly string[], pinned: boolean): Promise<string[]> {
  return modifyChats(db, ids, (c) => (!!c.pinned === pinned ? null : { pinned }));
}

export function setArchived(db: ParleyDb, ids: readonly string[], archived: boolean): Promise<string[]> {
  return modifyChats(db, ids, (c) => (!!c.archived === archived ? null : { archived }));
}

/** Archives every chat not archived yet (Open WebUI's "Archive all chats"); returns their ids for Undo. */
export async function archiveAll(db: ParleyDb): Promise<string[]> {
  return db.transaction('rw', db.chats, async () => {
    const ids = (await db.chats.toArray()).filter((c) => !c.archived).map((c) => c.id);
    return setArchived(db, ids, true);
  });
}

/** Brings every archived chat back to the list; returns their ids for Undo. */
export async function unarchiveAll(db: ParleyDb): Promise<string[]> {
  return db.transaction('rw', db.chats, async () => {
    const ids = (await db.chats.toArray()).filter((c) => c.archived).map((c) => c.id);
    return setArchived(db, ids, false);
  });
}

/** Files chats in `folderId`, or takes them out of any folder with null. */
export async function moveToFolder(db: ParleyDb, ids: readonly string[], folderId: string | null): Promise<string[]> {
  return db.transaction('rw', db.chats, db.folders, async () => {
    if (folderId !== null && !(await db.folders.get(folderId))) throw new Error('This folder no longer exists.');
    return modifyChats(db, ids, (c) => ((c.folderId ?? null) === folderId ? null : { folderId }));
  });
}

export async function addTag(db: ParleyDb, ids: readonly string[], tag: string): Promise<string[]> {
  const t = normalizeTag(tag);
  return modifyChats(db, ids, (c) => ((c.tags ?? []).includes(t) ? null : { tags: [...(c.tags ?? []), t] }));
}

export async function removeTag(db: ParleyDb, ids: readonly string[], tag: string): Promise<string[]> {
  const t = tag.trim().toLowerCase();
  return modifyChats(db, ids, (c) => ((c.tags ?? []).includes(t) ? { tags: (c.tags ?? []).filter((x) => x !== t) } : null));
}

// ---------------------------------------------------------------------------------------------
// Folders

/** Whether no other folder beside `parentId`'s children has this name (case aside). Folders are few: read them all. */
async function uniqueName(db: ParleyDb, parentId: string | null, name: string, exceptId: string | null): Promise<boolean> {
  const siblings = (await db.folders.toArray()).filter((f) => (f.parentId ?? null) === parentId && f.id !== exceptId);
  return !siblings.some((f) => f.name.toLowerCase() === name.toLowerCase());
}

/**
 * A new folder. Without a name it is "New folder" (or "New folder 2", … so siblings stay
 * distinct, as Open WebUI requires); a given name already used beside it is refused.
 */
export async function createFolder(db: ParleyDb, opts: { name?: string; parentId?: string | null; now: number }): Promise<Folder> {
  const parentId = opts.parentId ?? null;
  return db.transaction('rw', db.folders, async () => {
    if (parentId !== null && !(await db.folders.get(parentId))) throw new Error('The parent folder no longer exists.');
    let name: string;
    if (opts.name !== undefined) {
      name = cleanName(opts.name, FOLDER_NAME_MAX, 'folder name');
      if (!(await uniqueName(db, parentId, name, null))) throw new LibraryInputError(`A folder named “${name}” already exists here.`);
    } else {
      name = 'New folder';
      for (let i = 2; !(await uniqueName(db, parentId, name, null)); i++) name = `New folder ${i}`;
    }
    const folder: Folder = { id: newId(), name, parentId, expanded: true, createdAt: opts.now, updatedAt: opts.now };
    await db.folders.add(folder);
    return folder;
  });
}

export async function renameFolder(db: ParleyDb, id: string, name: string, now: number): Promise<string> {
  const n = cleanName(name, FOLDER_NAME_MAX, 'folder name');
  return db.transaction('rw', db.folders, async () => {
    const f = await db.folders.get(id);
    if (!f) throw new Error('This folder no longer exists.');
    if (!(await uniqueName(db, f.parentId, n, id))) throw new LibraryInputError(`A folder named “${n}” already exists here.`);
    await db.folders.update(id, { name: n, updatedAt: now });
    return n;
  });
}

/** Open or closed in the sidebar; kept, so a reload shows the folders as they were left. */
export async function setFolderExpanded(db: ParleyDb, id: string, expanded: boolean): Promise<void> {
  await db.folders.update(id, { expanded });
}

// ---------------------------------------------------------------------------------------------
// Delete with undo

/** Everything `deleteChats` removed, enough for `restoreChats` to put it back exactly. */
export interface DeletedChats {
  chats: Chat[];
  messages: Message[];
  /** The tree rows deleted (restore writes each message's node from the message, which is what they hold). */
  nodes: MessageNode[];
  /** Attached images, held in memory while Undo is offered. */
  blobs: StoredBlob[];
}

const CHAT_TABLES = (db: ParleyDb) => [db.chats, db.messages, db.nodes, db.blobs];

/** Deletes chats with their messages, tree rows and images, in one transaction. */
export async function deleteChats(db: ParleyDb, ids: readonly string[]): Promise<DeletedChats> {
  return db.transaction('rw', CHAT_TABLES(db), async () => {
    const chats = (await db.chats.bulkGet([...ids])).filter((c): c is Chat => !!c);
    const chatIds = chats.map((c) => c.id);
    if (chatIds.length === 0) return { chats, messages: [], nodes: [], blobs: [] };
    const messages = await db.messages.where('chatId').anyOf(chatIds).toArray();
    const nodes: MessageNode[] = [];
    for (const id of chatIds) nodes.push(...(await chatNodes(db, id)));
    const blobs = await db.blobs.where('chatId').anyOf(chatIds).toArray();
    await db.blobs.bulkDelete(blobs.map((b) => b.id));
    // The messages' rows and their nodes leave together (see message-rows.ts).
    for (const id of chatIds) await deleteChatMessages(db, id);
    await db.chats.bulkDelete(chatIds);
    return { chats, messages, nodes, blobs };
  });
}

/**
 * Undo of `deleteChats`: the same rows, as they were. A chat written again meanwhile under the
 * same id (another tab's sync, say) is not overwritten.
 */
export async function restoreChats(db: ParleyDb, d: DeletedChats): Promise<number> {
  return db.transaction('rw', CHAT_TABLES(db), async () => {
    const present = new Set((await db.chats.bulkGet(d.chats.map((c) => c.id))).filter((c): c is Chat => !!c).map((c) => c.id));
    const chats = d.chats.filter((c) => !present.has(c.id));
    const back = new Set(chats.map((c) => c.id));
    await db.chats.bulkAdd(chats);
    await putMessages(db, d.messages.filter((m) => back.has(m.chatId)));
    await db.blobs.bulkPut(d.blobs.filter((b) => back.has(b.chatId)));
    return chats.length;
  });
}

/** Everything `deleteFolder` changed, for Undo. */
export interface DeletedFolder {
  folders: Folder[];
  /** Chats taken out of the deleted folders, and the folder each was in. */
  moved: Array<{ id: string; folderId: string }>;
  /** The chats deleted with the folder (only when asked). */
  deleted: DeletedChats | null;
}

/**
 * Deletes a folder and its subfolders. Their chats go back to the top level of the list, or,
 * with `withChats`, are deleted too (with their messages). Undo with `restoreFolder`.
 */
export async function deleteFolder(db: ParleyDb, id: string, opts: { withChats?: boolean } = {}): Promise<DeletedFolder> {
  return db.transaction('rw', [...CHAT_TABLES(db), db.folders], async () => {
    const all = await db.folders.toArray();
    if (!all.some((f) => f.id === id)) throw new Error('This folder no longer exists.');
    const ids = folderAndDescendants(all, id);
    const folders = all.filter((f) => ids.includes(f.id));
    const chats = await db.chats.where('folderId').anyOf(ids).toArray();
    let moved: DeletedFolder['moved'] = [];
    let deleted: DeletedChats | null = null;
    if (opts.withChats) deleted = await deleteChats(db, chats.map((c) => c.id));
    else {
      moved = chats.map((c) => ({ id: c.id, folderId: c.folderId! }));
      for (const c of chats) await db.chats.update(c.id, { folderId: null });
    }
    await db.folders.bulkDelete(ids);
    return { folders, moved, deleted };
  });
}

export async function restoreFolder(db: ParleyDb, d: DeletedFolder): Promise<void> {
  await db.transaction('rw', [...CHAT_TABLES(db), db.folders], async () => {
    await db.folders.bulkPut(d.folders);
    for (const m of d.moved) {
      // Only chats still loose: one filed elsewhere since then stays where the user put it.
      const c = await db.chats.get(m.id);
      if (c && (c.folderId ?? null) === null) await db.chats.update(m.id, { folderId: m.folderId });
    }
    if (d.deleted) await restoreChats(db, d.deleted);
  });
}
