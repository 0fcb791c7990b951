import type { Chat, Folder } from '../storage/schema';
import { createTimeGrouper } from './time-groups';
import { foldersByParent } from './folder-tree';

/** What the sidebar keeps of a chat: small, so 10,000 of them stay cheap to hold and sort. */
export type ChatSummary = Pick<Chat, 'id' | 'title' | 'updatedAt' | 'pinned' | 'archived' | 'folderId' | 'tags'>;

export function summarize(c: ChatSummary): ChatSummary {
  return { id: c.id, title: c.title, updatedAt: c.updatedAt, pinned: !!c.pinned, archived: !!c.archived, folderId: c.folderId ?? null, tags: c.tags ?? [] };
}

/** One line of the sidebar list; all lines have one height, so the list can be virtual. */
export type LibraryRow =
  | { kind: 'heading'; key: string; label: string }
  | { kind: 'folder'; key: string; folder: Folder; depth: number; count: number }
  | { kind: 'chat'; key: string; chat: ChatSummary; depth: number };

export interface RowsInput {
  /** Chats not archived, newest `updatedAt` first. */
  chats: readonly ChatSummary[];
  folders: readonly Folder[];
  /** Only chats carrying this tag (folders are then flattened away), or null for all. */
  tag: string | null;
  now: number;
}

/** Newest first; equal times by id, so the order never flickers. */
export function compareChats(a: ChatSummary, b: ChatSummary): number {
  return b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The sidebar as a flat list of lines: pinned chats on top, then folders (a collapsed one hides
 * what is inside), then the other chats under time headings. Each chat appears once: a pinned
 * chat shows under Pinned even when it is in a folder; a chat whose folder is gone shows loose.
 * With a tag filter, the matching chats show under Pinned and the time headings, folders aside.
 */
export function buildRows(input: RowsInput): LibraryRow[] {
  const rows: LibraryRow[] = [];
  const chats = input.tag === null ? input.chats : input.chats.filter((c) => c.tags.includes(input.tag!));
  const pinned = chats.filter((c) => c.pinned);
  if (pinned.length > 0) {
    rows.push({ kind: 'heading', key: 'h:pinned', label: 'Pinned' });
    for (const chat of pinned) rows.push({ kind: 'chat', key: `c:${chat.id}`, chat, depth: 0 });
  }

  const folderIds = new Set(input.tag === null ? input.folders.map((f) => f.id) : []);
  const inFolder = new Map<string, ChatSummary[]>();
  const loose: ChatSummary[] = [];
  for (const c of chats) {
    if (c.pinned) continue;
    if (c.folderId !== null && folderIds.has(c.folderId)) {
      const list = inFolder.get(c.folderId);
      if (list) list.push(c);
      else inFolder.set(c.folderId, [c]);
    } else loose.push(c);
  }

  if (input.tag === null && input.folders.length > 0) {
    rows.push({ kind: 'heading', key: 'h:folders', label: 'Folders' });
    const tree = foldersByParent(input.folders);
    const seen = new Set<string>();
    const walk = (parent: string | null, depth: number) => {
      for (const folder of tree.get(parent) ?? []) {
        if (seen.has(folder.id)) continue;
        seen.add(folder.id);
        const inside = inFolder.get(folder.id) ?? [];
        rows.push({ kind: 'folder', key: `f:${folder.id}`, folder, depth, count: inside.length });
        if (!folder.expanded) continue;
        walk(folder.id, depth + 1);
        for (const chat of inside) rows.push({ kind: 'chat', key: `c:${chat.id}`, chat, depth: depth + 1 });
      }
    };
    walk(null, 0);
  }

  const group = createTimeGrouper(input.now);
  let current = '';
  for (const chat of loose) {
    const g = group(chat.updatedAt);
    if (g.key !== current) {
      current = g.key;
      rows.push({ kind: 'heading', key: `h:${g.key}`, label: g.label });
    }
    rows.push({ kind: 'chat', key: `c:${chat.id}`, chat, depth: 0 });
  }
  return rows;
}

function sameRow(a: LibraryRow, b: LibraryRow): boolean {
  if (a.kind === 'heading' && b.kind === 'heading') return a.label === b.label;
  if (a.kind === 'chat' && b.kind === 'chat') return a.chat === b.chat && a.depth === b.depth;
  if (a.kind === 'folder' && b.kind === 'folder') {
    const [f, g] = [a.folder, b.folder];
    return a.depth === b.depth && a.count === b.count && f.name === g.name && f.expanded === g.expanded && f.parentId === g.parentId;
  }
  return false;
}

/**
 * `next` with every line that did not change replaced by the same object from `prev`, so a
 * keyed list keeps its DOM (and an open rename field keeps focus) when another chat changes.
 */
export function reuseRows(next: LibraryRow[], prev: readonly LibraryRow[]): LibraryRow[] {
  if (prev.length === 0) return next;
  const old = new Map(prev.map((r) => [r.key, r]));
  return next.map((r) => {
    const o = old.get(r.key);
    return o && sameRow(o, r) ? o : r;
  });
}

/** Every tag in use and how many chats carry it, by name. */
export function tagCounts(chats: readonly ChatSummary[]): Array<{ tag: string; count: number }> {
  const counts = new Map<string, number>();
  for (const c of chats) for (const t of c.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => (a.tag < b.tag ? -1 : 1));
}
