import type { ParleyDb } from './db';
import type { Chat, Message } from './schema';
import { addMessages } from './message-rows';
import { normalizeTag } from './library-ops';
import { stableId } from '../library/ids';
import { isSkipped, type ImportedChat, type SkippedChat } from '../library/imported';
import type { ParsedFile } from '../library/read-import';

/**
 * Writes one import file's valid chats, and a backup's other tables, in ONE transaction:
 * either all of it is stored or, on any failure, none of it.
 *
 * Ids: a chat keeps its id unless another chat holds it. The same chat imported again (same id,
 * same creation time) is not added twice but counted as "already imported". A different chat
 * under a taken id gets an id derived from both, so importing that file again finds it too.
 * Message ids are global keys, so one already used elsewhere is remapped within its chat.
 */

export interface ImportReport {
  format: ParsedFile['format'];
  chats: number;
  messages: number;
  already: number;
  skipped: SkippedChat[];
  /** Restored from a backup: folders, settings, connections, prompts added. */
  restored: { folders: number; settings: number; connections: number; prompts: number };
  notes: string[];
  /** Ids of the chats written (for tests and to open the first). */
  chatIds: string[];
}

/** Nothing in the file could be imported; the database was not touched. */
export class NothingToImport extends Error {}

function sameChat(a: Chat, b: Chat): boolean {
  return a.createdAt === b.createdAt;
}

function withIds(item: ImportedChat, chatId: string, takenMessage: (id: string) => boolean): { chat: Chat; messages: Message[] } {
  const remap = new Map<string, string>();
  for (const m of item.messages) if (takenMessage(m.id)) remap.set(m.id, stableId('m', chatId, m.id));
  if (remap.size === 0 && chatId === item.chat.id) return item;
  const id = (x: string) => remap.get(x) ?? x;
  return {
    chat: { ...item.chat, id: chatId, currentId: item.chat.currentId === null ? null : id(item.chat.currentId) },
    messages: item.messages.map((m) => ({ ...m, id: id(m.id), chatId, parentId: m.parentId === null ? null : id(m.parentId) })),
  };
}

function cleanTags(tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    try {
      out.add(normalizeTag(t));
    } catch {
      // An empty tag is dropped, not an error.
    }
  }
  return [...out];
}

export async function importParsed(db: ParleyDb, parsed: ParsedFile): Promise<ImportReport> {
  const valid = parsed.chats.filter((c): c is ImportedChat => !isSkipped(c));
  const skipped = parsed.chats.filter(isSkipped);
  const x = parsed.extras;
  const hasExtras = !!x && x.folders.length + x.settings.length + x.connections.length + x.prompts.length > 0;
  if (valid.length === 0 && !hasExtras) {
    const why = skipped.slice(0, 3).map((s) => `${s.title}: ${s.reason}`).join('; ');
    throw new NothingToImport(skipped.length ? `Nothing was imported: no chat in the file is valid (${why}${skipped.length > 3 ? '; …' : ''}).` : 'Nothing was imported: the file holds no chats.');
  }
  const report: ImportReport = { format: parsed.format, chats: 0, messages: 0, already: 0, skipped, restored: { folders: 0, settings: 0, connections: 0, prompts: 0 }, notes: [...(x?.problems ?? [])], chatIds: [] };
  await db.transaction('rw', [db.chats, db.messages, db.nodes, db.folders, db.settings, db.connections, db.prompts], async () => {
    // Backup tables first, so chats can point to restored folders.
    if (x) {
      const haveFolders = new Set(await db.folders.bulkGet(x.folders.map((f) => f.id)).then((r) => r.filter(Boolean).map((f) => f!.id)));
      const folders = x.folders.filter((f) => !haveFolders.has(f.id));
      await db.folders.bulkAdd(folders);
      report.restored.folders = folders.length;
      await db.settings.bulkPut(x.settings);
      report.restored.settings = x.settings.length;
      const haveConn = await db.connections.bulkGet(x.connections.map((c) => c.id));
      const conns = x.connections.filter((_, i) => !haveConn[i]);
      await db.connections.bulkAdd(conns);
      report.restored.connections = conns.length;
      const havePrompt = await db.prompts.bulkGet(x.prompts.map((p) => p.id));
      const commands = new Set((await db.prompts.toArray()).map((p) => p.command));
      const prompts = x.prompts.filter((p, i) => !havePrompt[i] && !commands.has(p.command) && commands.add(p.command));
      await db.prompts.bulkAdd(prompts);
      report.restored.prompts = prompts.length;
    }
    const existing = await db.chats.bulkGet(valid.map((c) => c.chat.id));
    const alt = valid.map((c) => stableId('c', c.chat.id, String(c.chat.createdAt)));
    const existingAlt = await db.chats.bulkGet(alt);
    const usedMessages = new Set<string>();
    const inDb = await db.messages.bulkGet(valid.flatMap((c) => c.messages.map((m) => m.id)));
    for (const m of inDb) if (m) usedMessages.add(m.id);
    const usedChats = new Set<string>();
    const folderIds = new Set((await db.folders.toCollection().primaryKeys()) as string[]);
    const rows: Message[] = [];
    const chats: Chat[] = [];
    valid.forEach((item, i) => {
      let id = item.chat.id;
      const holder = existing[i];
      if (holder && sameChat(holder, item.chat)) return void report.already++;
      if (holder || usedChats.has(id)) {
        id = alt[i]!;
        if (existingAlt[i] || usedChats.has(id)) return void report.already++;
      }
      usedChats.add(id);
      const { chat, messages } = withIds(item, id, (m) => usedMessages.has(m));
      for (const m of messages) usedMessages.add(m.id);
      chats.push({ ...chat, tags: cleanTags(chat.tags), folderId: chat.folderId !== null && folderIds.has(chat.folderId) ? chat.folderId : null });
      rows.push(...messages);
    });
    await db.chats.bulkAdd(chats);
    await addMessages(db, rows);
    report.chats = chats.length;
    report.messages = rows.length;
    report.chatIds = chats.map((c) => c.id);
  });
  return report;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "Imported 118 chats (2,340 messages); skipped 2: “x”: reason; …" */
export function describeImport(r: ImportReport): string {
  const parts: string[] = [];
  if (r.chats > 0 || r.already === 0) parts.push(`Imported ${plural(r.chats, 'chat')} (${plural(r.messages, 'message')})`);
  if (r.already > 0) parts.push(r.chats === 0 ? `${r.already === 1 ? 'This chat was' : `All ${plural(r.already, 'chat')} were`} already imported; nothing was added` : `${plural(r.already, 'chat')} already imported`);
  const { folders, settings, connections, prompts } = r.restored;
  if (folders + settings + connections + prompts > 0) parts.push(`restored ${plural(folders, 'folder')}, ${plural(settings, 'setting')}, ${plural(connections, 'connection')}, ${plural(prompts, 'prompt')}`);
  let text = parts.join('; ');
  if (r.skipped.length > 0) text += `; skipped ${r.skipped.length}: ${r.skipped.slice(0, 5).map((s) => `${s.title}: ${s.reason}`).join('; ')}${r.skipped.length > 5 ? '; …' : ''}`;
  if (r.notes.length > 0) text += `. Left out: ${r.notes.slice(0, 3).join('; ')}${r.notes.length > 3 ? '; …' : ''}`;
  return `${text}.`;
}
