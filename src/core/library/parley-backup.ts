import * as z from 'zod/mini';
import { chatSchema, connectionSchema, folderSchema, messageSchema, type Chat, type Connection, type Folder, type Message, type Setting } from '../storage/schema';
import { promptSchema, type Prompt } from '../prompts/schema';
import { treeProblem } from './check-tree';
import { titleFor, type ImportedChat, type SkippedChat } from './imported';
import { firstIssue } from './zod-issue';

/**
 * Parley's full backup: every table as rows, versioned so a later Parley can migrate an older
 * file. Attached images are not included (their bytes would make a backup many times larger;
 * `imagesOmitted` counts them so the user is told). API keys are blanked unless asked for.
 */
export const BACKUP_FORMAT = 'parley-backup';
export const BACKUP_VERSION = 1;

export interface ParleyBackup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  exportedAt: string;
  includesKeys: boolean;
  imagesOmitted: number;
  tables: {
    chats: Chat[];
    messages: Message[];
    folders: Folder[];
    settings: Setting[];
    connections: Connection[];
    prompts: Prompt[];
  };
}

export interface BackupExtras {
  folders: Folder[];
  settings: Setting[];
  connections: Connection[];
  prompts: Prompt[];
  /** Rows of these tables that failed validation, by table. */
  problems: string[];
}

export function isBackupHeader(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { format?: unknown }).format === BACKUP_FORMAT;
}

const header = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number(),
  tables: z.object({
    chats: z._default(z.array(z.unknown()), []),
    messages: z._default(z.array(z.unknown()), []),
    folders: z._default(z.array(z.unknown()), []),
    settings: z._default(z.array(z.unknown()), []),
    connections: z._default(z.array(z.unknown()), []),
    prompts: z._default(z.array(z.unknown()), []),
  }),
});
const settingSchema = z.object({ key: z.string().check(z.minLength(1)), value: z.unknown() });

/** Validates rows one by one: a bad row is reported and left out, never guessed at. */
function rows<T>(schema: z.ZodMiniType<T>, list: unknown[], table: string, problems: string[]): T[] {
  const out: T[] = [];
  list.forEach((r, i) => {
    const p = schema.safeParse(r);
    if (p.success) out.push(p.data);
    else problems.push(`${table} #${i + 1}: ${firstIssue(p.error)}`);
  });
  return out;
}

/** Reads a backup: chats with their messages (each chat checked as a tree), and the other tables. */
export function readBackup(value: unknown): { chats: Array<ImportedChat | SkippedChat>; extras: BackupExtras } {
  const h = header.safeParse(value);
  if (!h.success) throw new Error(`This Parley backup is damaged (${firstIssue(h.error)}).`);
  if (h.data.version > BACKUP_VERSION) throw new Error(`This backup was made by a newer Parley (format version ${h.data.version}); update Parley to import it.`);
  const t = h.data.tables;
  const problems: string[] = [];
  const byChat = new Map<string, Message[]>();
  const badMessages = new Map<string, string>();
  t.messages.forEach((r, i) => {
    const p = messageSchema.safeParse(r);
    const chatId = typeof (r as { chatId?: unknown })?.chatId === 'string' ? (r as { chatId: string }).chatId : '';
    if (!p.success) {
      if (!badMessages.has(chatId)) badMessages.set(chatId, `message #${i + 1}: ${firstIssue(p.error)}`);
      return;
    }
    byChat.set(p.data.chatId, [...(byChat.get(p.data.chatId) ?? []), p.data]);
  });
  const chats = t.chats.map((r, i): ImportedChat | SkippedChat => {
    const p = chatSchema.safeParse(r);
    if (!p.success) return { title: titleFor((r as { title?: unknown })?.title, i), reason: firstIssue(p.error) };
    const title = titleFor(p.data.title, i);
    const bad = badMessages.get(p.data.id);
    if (bad) return { title, reason: bad };
    const messages = (byChat.get(p.data.id) ?? []).map((m) => (m.status === 'streaming' ? { ...m, status: 'interrupted' as const } : m));
    const problem = treeProblem(messages);
    if (problem) return { title, reason: problem };
    return { chat: p.data, messages, source: 'parley-backup' };
  });
  return {
    chats,
    extras: {
      folders: rows(folderSchema, t.folders, 'folder', problems),
      settings: rows(settingSchema, t.settings, 'setting', problems) as Setting[],
      connections: rows(connectionSchema, t.connections, 'connection', problems),
      prompts: rows(promptSchema, t.prompts, 'prompt', problems),
      problems,
    },
  };
}
