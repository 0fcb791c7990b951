import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import type { ParleyDb } from '../storage/db';
import type { Folder } from '../storage/schema';
import { compareChats, summarize, type ChatSummary } from './build-rows';

/** What the sidebar shows, read from storage. */
export interface LibrarySnapshot {
  /** Chats in the list, newest first. */
  chats: ChatSummary[];
  /** Chats in the Archived view, newest first. */
  archived: ChatSummary[];
  folders: Folder[];
}

/** More changed chats than this at once (an import, archive all) are read again in full. */
const PATCH_MAX = 500;

/** The single keys of a changed-key set, or null when it holds a range (a `where().delete()`). */
function singleKeys(tree: IntervalTree, out: string[]): string[] | null {
  if (!('from' in tree)) return out;
  if (tree.from !== tree.to || typeof tree.from !== 'string') return null;
  out.push(tree.from);
  if (tree.l && singleKeys(tree.l, out) === null) return null;
  if (tree.r && singleKeys(tree.r, out) === null) return null;
  return out.length > PATCH_MAX ? null : out;
}

/**
 * The sidebar's data, kept up to date incrementally. All chats are read once; after that a
 * write to some chats (a stream ending bumps one chat's `updatedAt`) re-reads only those rows,
 * using the keys Dexie reports for each committed write ('storagemutated', which also carries
 * other tabs' writes), instead of re-reading 10,000 rows as a live query over the table would.
 * Folders are few and are re-read whole. `onChange` gets a fresh snapshot after each change.
 */
export function watchLibrary(db: ParleyDb, onChange: (s: LibrarySnapshot) => void, onError: (e: unknown) => void): { close(): void } {
  const chats = new Map<string, ChatSummary>();
  let folders: Folder[] = [];
  let closed = false;
  let queue: Promise<void> = Promise.resolve();
  const prefix = `idb://${db.name}/`;

  const emit = () => {
    if (closed) return;
    const list: ChatSummary[] = [];
    const archived: ChatSummary[] = [];
    for (const c of chats.values()) (c.archived ? archived : list).push(c);
    onChange({ chats: list.sort(compareChats), archived: archived.sort(compareChats), folders });
  };
  const readAll = async () => {
    const [rows, fs] = await db.transaction('r', db.chats, db.folders, () => Promise.all([db.chats.toArray(), db.folders.toArray()]));
    chats.clear();
    for (const c of rows) chats.set(c.id, summarize(c));
    folders = fs;
  };
  const patch = async (ids: string[] | null, foldersChanged: boolean) => {
    if (ids === null) return readAll();
    const [rows, fs] = await Promise.all([db.chats.bulkGet(ids), foldersChanged ? db.folders.toArray() : null]);
    ids.forEach((id, i) => {
      const c = rows[i];
      if (c) chats.set(id, summarize(c));
      else chats.delete(id);
    });
    if (fs) folders = fs;
  };
  const run = (step: () => Promise<void>) => {
    queue = queue.then(step).then(emit, (e: unknown) => {
      if (!closed) onError(e);
    });
  };

  const onMutated = (parts: ObservabilitySet) => {
    const chatKeys = parts[`${prefix}chats/`];
    const folderKeys = parts[`${prefix}folders/`];
    if (!chatKeys && !folderKeys) return;
    const ids = chatKeys ? singleKeys(chatKeys, []) : [];
    run(() => patch(ids, !!folderKeys));
  };
  Dexie.on.storagemutated.subscribe(onMutated);
  run(readAll);
  return {
    close() {
      closed = true;
      Dexie.on.storagemutated.unsubscribe(onMutated);
    },
  };
}
