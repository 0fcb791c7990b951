import type { ParleyDb } from './db';
import type { Chat, Message } from './schema';
import { addMessages, deleteChatMessages } from './message-rows';
import { normalizeTag } from './library-ops';
import { stableId } from '../library/ids';
import { isSkipped, type ImportedChat, type SkippedChat } from '../library/imported';
import type { ParsedFile } from '../library/read-import';
import type { BackupExtras } from '../library/parley-backup';

/**
 * Writes one import file: either all of its valid chats are stored or none.
 *
 * A file whose messages fit in one batch (nearly every file) is written in ONE transaction.
 * A bigger one (a 200 MB export) cannot be held in memory until the end, so its messages are
 * written batch by batch as the file is read, but they stay invisible: nothing lists messages
 * whose chat row does not exist, and the chat rows are all added by the final transaction.
 * If reading or writing fails, `rollback` deletes the staged messages; if the tab dies
 * midway, the ids written so far are in the `STAGED_KEY` setting and `cleanupStagedImport`
 * removes them before the next import.
 *
 * Ids: a chat keeps its id unless another chat holds it. The same chat imported again (same id,
 * same creation time) is not added twice but counted as "already imported". A different chat
 * under a taken id gets an id derived from both, so importing that file again finds it too.
 * Message ids are global keys, so one already used elsewhere is remapped within its chat.
 */

export const STAGED_KEY = 'import.staged';
/** Messages held in memory before they are staged to the database. */
export const BATCH_MESSAGES = 20_000;

export interface ImportReport {
  format: ParsedFile['format'];
  chats: number;
  messages: number;
  already: number;
  skipped: SkippedChat[];
  /** Restored from a backup: folders, settings, connections, prompts added. */
  restored: { folders: number; settings: number; connections: number; prompts: number };
  notes: string[];
  /** Ids of the chats written. */
  chatIds: string[];
}

/** Nothing in the file could be imported; the database was not touched. */
export class NothingToImport extends Error {}

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

export class ImportWriter {
  private pending: ImportedChat[] = [];
  private pendingMessages = 0;
  /** Chats whose messages are written (staged); their rows wait for `commit`. */
  private staged: Chat[] = [];
  private skipped: SkippedChat[] = [];
  private already = 0;
  private messages = 0;
  private usedChats = new Set<string>();

  constructor(private readonly db: ParleyDb, private readonly batchMessages = BATCH_MESSAGES) {}

  async add(item: ImportedChat | SkippedChat): Promise<void> {
    if (isSkipped(item)) return void this.skipped.push(item);
    this.pending.push(item);
    this.pendingMessages += item.messages.length;
    if (this.pendingMessages >= this.batchMessages) await this.stage();
  }

  /** Gives each pending chat its final ids (reads the database; call inside a transaction). */
  private async plan(): Promise<{ chats: Chat[]; messages: Message[] }> {
    const db = this.db;
    const items = this.pending;
    this.pending = [];
    this.pendingMessages = 0;
    const existing = await db.chats.bulkGet(items.map((c) => c.chat.id));
    const alt = items.map((c) => stableId('c', c.chat.id, String(c.chat.createdAt)));
    const existingAlt = await db.chats.bulkGet(alt);
    const taken = new Set<string>();
    for (const m of await db.messages.bulkGet(items.flatMap((c) => c.messages.map((m) => m.id)))) if (m) taken.add(m.id);
    const chats: Chat[] = [];
    const messages: Message[] = [];
    items.forEach((item, i) => {
      let id = item.chat.id;
      const holder = existing[i];
      if (holder && holder.createdAt === item.chat.createdAt) return void this.already++;
      if (holder || this.usedChats.has(id)) {
        id = alt[i]!;
        if (existingAlt[i] || this.usedChats.has(id)) return void this.already++;
      }
      this.usedChats.add(id);
      const remap = new Map<string, string>();
      for (const m of item.messages) if (taken.has(m.id)) remap.set(m.id, stableId('m', id, m.id));
      const to = (x: string) => remap.get(x) ?? x;
      for (const m of item.messages) {
        const row = remap.size === 0 && id === item.chat.id ? m : { ...m, id: to(m.id), chatId: id, parentId: m.parentId === null ? null : to(m.parentId) };
        taken.add(row.id);
        messages.push(row);
      }
      chats.push({ ...item.chat, id, currentId: item.chat.currentId === null ? null : to(item.chat.currentId), tags: cleanTags(item.chat.tags) });
    });
    return { chats, messages };
  }

  /** Writes the pending chats' messages now; their chat rows wait for `commit`. */
  private async stage(): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.chats, db.messages, db.nodes, db.settings], async () => {
      const { chats, messages } = await this.plan();
      await addMessages(db, messages);
      this.staged.push(...chats);
      this.messages += messages.length;
      await db.settings.put({ key: STAGED_KEY, value: this.staged.map((c) => c.id) });
    });
  }

  /** The last transaction: the remaining chats, every chat row, and a backup's other tables. */
  async commit(format: ParsedFile['format'], x: BackupExtras | null): Promise<ImportReport> {
    const db = this.db;
    const hasExtras = !!x && x.folders.length + x.settings.length + x.connections.length + x.prompts.length > 0;
    if (this.pending.length === 0 && this.staged.length === 0 && this.already === 0 && !hasExtras) {
      const s = this.skipped;
      const why = s.slice(0, 3).map((k) => `${k.title}: ${k.reason}`).join('; ');
      throw new NothingToImport(s.length ? `Nothing was imported: no chat in the file is valid (${why}${s.length > 3 ? '; …' : ''}).` : 'Nothing was imported: the file holds no chats.');
    }
    const report: ImportReport = { format, chats: 0, messages: 0, already: 0, skipped: this.skipped, restored: { folders: 0, settings: 0, connections: 0, prompts: 0 }, notes: [...(x?.problems ?? [])], chatIds: [] };
    await db.transaction('rw', [db.chats, db.messages, db.nodes, db.folders, db.settings, db.connections, db.prompts], async () => {
      // Backup tables first, so chats can point to restored folders.
      if (x) report.restored = await restoreTables(db, x);
      const { chats, messages } = await this.plan();
      await addMessages(db, messages);
      const folderIds = new Set((await db.folders.toCollection().primaryKeys()) as string[]);
      const all = [...this.staged, ...chats].map((c) => (c.folderId !== null && !folderIds.has(c.folderId) ? { ...c, folderId: null } : c));
      await db.chats.bulkAdd(all);
      await db.settings.delete(STAGED_KEY);
      report.chats = all.length;
      report.messages = this.messages + messages.length;
      report.chatIds = all.map((c) => c.id);
    });
    report.already = this.already;
    this.staged = [];
    return report;
  }

  /** Removes what `stage` wrote (after a failure). */
  async rollback(): Promise<void> {
    this.pending = [];
    if (this.staged.length === 0) return;
    await cleanupStagedImport(this.db);
    this.staged = [];
  }
}

async function restoreTables(db: ParleyDb, x: BackupExtras): Promise<ImportReport['restored']> {
  const haveFolders = await db.folders.bulkGet(x.folders.map((f) => f.id));
  const folders = x.folders.filter((_, i) => !haveFolders[i]);
  await db.folders.bulkAdd(folders);
  // Sync's own rows ('sync.*': server, credentials, key, checkpoint) belong to the device that wrote them.
  await db.settings.bulkPut(x.settings.filter((s) => s.key !== STAGED_KEY && !s.key.startsWith('sync.')));
  const haveConn = await db.connections.bulkGet(x.connections.map((c) => c.id));
  const conns = x.connections.filter((_, i) => !haveConn[i]);
  await db.connections.bulkAdd(conns);
  const havePrompt = await db.prompts.bulkGet(x.prompts.map((p) => p.id));
  const commands = new Set((await db.prompts.toArray()).map((p) => p.command));
  const prompts = x.prompts.filter((p, i) => !havePrompt[i] && !commands.has(p.command) && commands.add(p.command));
  await db.prompts.bulkAdd(prompts);
  return { folders: folders.length, settings: x.settings.length, connections: conns.length, prompts: prompts.length };
}

/** Deletes the messages of a big import that never committed (the tab closed midway). */
export async function cleanupStagedImport(db: ParleyDb): Promise<number> {
  return db.transaction('rw', [db.chats, db.messages, db.nodes, db.settings], async () => {
    const marker = await db.settings.get(STAGED_KEY);
    if (!marker) return 0;
    const ids = Array.isArray(marker.value) ? marker.value.filter((v): v is string => typeof v === 'string') : [];
    const chats = await db.chats.bulkGet(ids);
    let removed = 0;
    for (const [i, id] of ids.entries()) {
      // A chat row under the id means the import did commit (or the id is someone else's): keep.
      if (chats[i]) continue;
      await deleteChatMessages(db, id);
      removed++;
    }
    await db.settings.delete(STAGED_KEY);
    return removed;
  });
}

/** One parsed file, written at once (tests, small files). */
export async function importParsed(db: ParleyDb, parsed: ParsedFile, batchMessages = BATCH_MESSAGES): Promise<ImportReport> {
  const writer = new ImportWriter(db, batchMessages);
  try {
    for (const c of parsed.chats) await writer.add(c);
    return await writer.commit(parsed.format, parsed.extras);
  } catch (e) {
    await writer.rollback();
    throw e;
  }
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
