import type { ParleyDb } from './db';
import type { Chat, Message } from './schema';
import { toOpenWebUIRow } from '../library/openwebui-export';
import { BACKUP_FORMAT, BACKUP_VERSION, type ParleyBackup } from '../library/parley-backup';
import { chatToMarkdown } from '../library/markdown-export';
import { isCredentialHeader } from './connections-file';

/**
 * Exports read from the database. The all-chats export is built as a list of text pieces, one
 * chat each, so a Blob can be made from them without one giant string.
 */

export async function readChat(db: ParleyDb, chatId: string): Promise<{ chat: Chat; messages: Message[] }> {
  return db.transaction('r', db.chats, db.messages, async () => {
    const chat = await db.chats.get(chatId);
    if (!chat) throw new Error('This chat no longer exists.');
    return { chat, messages: await db.messages.where('chatId').equals(chatId).toArray() };
  });
}

export async function chatAsOpenWebUI(db: ParleyDb, chatId: string): Promise<string> {
  const { chat, messages } = await readChat(db, chatId);
  return JSON.stringify([toOpenWebUIRow(chat, messages)], null, 2);
}

export async function chatAsMarkdown(db: ParleyDb, chatId: string): Promise<string> {
  const { chat, messages } = await readChat(db, chatId);
  return chatToMarkdown(chat, messages);
}

/** Every chat (newest first, archived included) as Open WebUI's export: `[row, row, …]` in pieces. */
export async function allChatsAsOpenWebUI(db: ParleyDb, onProgress?: (done: number, total: number) => void): Promise<{ parts: string[]; chats: number }> {
  const chats = await db.chats.orderBy('updatedAt').reverse().toArray();
  const parts: string[] = ['['];
  for (let i = 0; i < chats.length; i++) {
    const c = chats[i]!;
    const messages = await db.messages.where('chatId').equals(c.id).toArray();
    parts.push((i ? ',\n' : '\n') + JSON.stringify(toOpenWebUIRow(c, messages)));
    onProgress?.(i + 1, chats.length);
  }
  parts.push('\n]\n');
  return { parts, chats: chats.length };
}

/** Every table as a backup; API keys and credential headers blanked unless `includeKeys`. */
export async function backupOf(db: ParleyDb, opts: { includeKeys: boolean; now: number }): Promise<ParleyBackup> {
  return db.transaction('r', [db.chats, db.messages, db.folders, db.settings, db.connections, db.prompts], async () => {
    const [chats, messages, folders, settings, connections, prompts] = await Promise.all([
      db.chats.toArray(),
      db.messages.toArray(),
      db.folders.toArray(),
      db.settings.toArray(),
      db.connections.toArray(),
      db.prompts.toArray(),
    ]);
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: new Date(opts.now).toISOString(),
      includesKeys: opts.includeKeys,
      imagesOmitted: messages.reduce((n, m) => n + (m.attachments?.length ?? 0), 0),
      tables: {
        chats,
        // Images are not in the backup, so their metadata would point at nothing.
        messages: messages.map((m) => (m.attachments?.length ? { ...m, attachments: [] } : m)),
        folders,
        // Sync's own rows stay on this device: its server password and key are not for a backup file.
        settings: settings.filter((s) => !s.key.startsWith('sync.')),
        connections: opts.includeKeys ? connections : connections.map((c) => ({ ...c, key: '', headers: Object.fromEntries(Object.entries(c.headers ?? {}).filter(([n]) => !isCredentialHeader(n))) })),
        prompts,
      },
    };
  });
}
