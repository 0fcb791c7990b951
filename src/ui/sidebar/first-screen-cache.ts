import { buildRows, type ChatSummary } from '../../core/library-view/build-rows';
import type { LibrarySnapshot } from '../../core/library-view/watch-library';
import type { Folder } from '../../core/storage/schema';

/**
 * The chats and folders of the list's first screen, kept in localStorage so the next start
 * paints the list in its first frame, before IndexedDB has answered (reading even the first
 * screen from it takes 50–250 ms at start-up, next to everything else the app opens). Only a
 * head start: the reads from IndexedDB replace it within a few hundred milliseconds, so a stale
 * cache (another tab's change) shows for that long at most. Never the source of truth.
 */

const KEY = 'parley:sidebar-first-screen:v1';
/** Lines of the list worth keeping: more than a tall screen shows. */
const LINES = 60;

interface Cached {
  chats: ChatSummary[];
  folders: Folder[];
}

const isStr = (x: unknown): x is string => typeof x === 'string';
function validChat(c: unknown): c is ChatSummary {
  const o = c as Record<string, unknown>;
  return typeof c === 'object' && c !== null && isStr(o['id']) && isStr(o['title']) && typeof o['updatedAt'] === 'number' &&
    typeof o['pinned'] === 'boolean' && (o['folderId'] === null || isStr(o['folderId'])) && Array.isArray(o['tags']) && o['tags'].every(isStr);
}
function validFolder(f: unknown): f is Folder {
  const o = f as Record<string, unknown>;
  return typeof f === 'object' && f !== null && isStr(o['id']) && isStr(o['name']) && (o['parentId'] === null || isStr(o['parentId'])) && typeof o['expanded'] === 'boolean';
}

/** The cached first screen as a snapshot marked incomplete, or null (none, or not readable). */
export function readFirstScreen(): LibrarySnapshot | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Cached> | null;
    if (!v || !Array.isArray(v.chats) || !Array.isArray(v.folders) || !v.chats.every(validChat) || !v.folders.every(validFolder)) return null;
    return { complete: false, chats: v.chats.map((c) => ({ ...c, archived: false })), archived: [], folders: v.folders };
  } catch {
    return null;
  }
}

/** Keeps the first screen of a complete snapshot, unless it is `previous`; returns what is stored. */
export function writeFirstScreen(s: LibrarySnapshot, now: number, previous: string): string {
  if (!s.complete) return previous;
  const rows = buildRows({ chats: s.chats, folders: s.folders, tag: null, now }).slice(0, LINES);
  const chats = rows.flatMap((r) => (r.kind === 'chat' ? [r.chat] : []));
  const json = JSON.stringify({ chats, folders: s.folders } satisfies Cached);
  if (json === previous) return previous;
  try {
    localStorage.setItem(KEY, json);
  } catch {
    // Storage full or refused: the list just starts from IndexedDB.
  }
  return json;
}
