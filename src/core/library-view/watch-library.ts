import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import type { ParleyDb } from '../storage/db';
import type { Chat, Folder } from '../storage/schema';
import { SETTINGS } from '../storage/settings-keys';
import { compareChats, summarize, type ChatSummary } from './build-rows';

/** What the sidebar shows, read from storage. */
export interface LibrarySnapshot {
  /** False for the first, quick read (newest chats, pinned ones, open folders); true once all are read. */
  complete: boolean;
  /** Chats in the list, newest first. */
  chats: ChatSummary[];
  /** Chats in the Archived view, newest first. */
  archived: ChatSummary[];
  folders: Folder[];
}

/** More changed chats than this at once (an import, archive all) are read again in full. */
const PATCH_MAX = 500;
/** Newest chats read first, enough to fill the first screen of the list before the full read. */
const HEAD = 50;
/** At most this many chats of each open folder are read first (the rest come with the full read). */
const HEAD_IN_FOLDERS = 1000;
/** Rows per step of the full read: a step of 10,000 would hold the main thread for a long task. */
const PAGE = 2000;

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
 * The sidebar's data, kept up to date incrementally. The first screen is read first (see
 * `readHead`), then all chats once; after that a
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

  let complete = false;
  const emit = () => {
    if (closed) return;
    const list: ChatSummary[] = [];
    const archived: ChatSummary[] = [];
    for (const c of chats.values()) (c.archived ? archived : list).push(c);
    onChange({ complete, chats: list.sort(compareChats), archived: archived.sort(compareChats), folders });
  };
  /**
   * What the first screen shows, in a few small indexed reads: the newest chats, the chats of
   * open folders, and the pinned chats the last full read found (pinned is a boolean, which
   * IndexedDB cannot index, so only a full read can find them all).
   */
  const readHead = async () => {
    const [newest, fs, hint] = await db.transaction('r', db.chats, db.folders, db.settings, () =>
      Promise.all([db.chats.orderBy('updatedAt').reverse().limit(HEAD).toArray(), db.folders.toArray(), db.settings.get(SETTINGS.sidebarPinnedHint)]),
    );
    const hinted = Array.isArray(hint?.value) ? hint.value.filter((x): x is string => typeof x === 'string') : [];
    const open = fs.filter((f) => f.expanded).map((f) => f.id);
    // One equals() per folder: a single getAll each, where anyOf() would walk a cursor row by row.
    const [pinned, ...inFolders] = await Promise.all([
      db.chats.bulkGet(hinted),
      ...open.map((id) => db.chats.where('folderId').equals(id).limit(HEAD_IN_FOLDERS).toArray()),
    ]);
    for (const c of [...newest, ...inFolders.flat(), ...pinned]) if (c) chats.set(c.id, summarize(c));
    folders = fs;
    pinnedIds = hinted;
  };
  let pinnedIds: string[] = [];
  /** Every chat, in pages by id; the map is swapped at the end so a deleted chat leaves it. */
  const readAll = async () => {
    const all = new Map<string, ChatSummary>();
    let after: string | null = null;
    for (;;) {
      const page: Chat[] = await (after === null ? db.chats.orderBy(':id') : db.chats.where(':id').above(after)).limit(PAGE).toArray();
      for (const c of page) all.set(c.id, summarize(c));
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    folders = await db.folders.toArray();
    chats.clear();
    for (const [id, c] of all) chats.set(id, c);
    complete = true;
    // The hint for the next start, written only when it changed.
    const pinned = [...chats.values()].filter((c) => c.pinned && !c.archived).map((c) => c.id).sort();
    if (pinned.join() !== [...pinnedIds].sort().join()) {
      pinnedIds = pinned;
      await db.settings.put({ key: SETTINGS.sidebarPinnedHint, value: pinned });
    }
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
  run(readHead);
  run(readAll);
  return {
    close() {
      closed = true;
      Dexie.on.storagemutated.unsubscribe(onMutated);
    },
  };
}
