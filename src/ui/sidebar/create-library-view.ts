import { createMemo, createSignal, onCleanup } from 'solid-js';
import type { ParleyDb } from '../../core/storage/db';
import { watchLibrary, type LibrarySnapshot } from '../../core/library-view/watch-library';
import { buildRows, reuseRows, tagCounts, type LibraryRow } from '../../core/library-view/build-rows';
import { readFirstScreen, writeFirstScreen } from './first-screen-cache';

/** Quiet time before the first screen is cached again (a burst of writes saves once). */
const SAVE_MS = 200;
/** How often the time headings are re-placed, so "Today" becomes "Yesterday" after midnight. */
const CLOCK_MS = 60_000;

/**
 * The sidebar's state: the library as watched in storage (painted first from the cached first
 * screen, see first-screen-cache.ts), the tag filter, and the rows they make. `loaded` turns
 * true with the first read, so the list can tell "no chats" from "not read yet".
 */
export function createLibraryView(db: ParleyDb, onError: (e: unknown) => void) {
  // For bench/measure-sidebar.ts: the list's own cost is from here to its first paint.
  performance.mark('parley:sidebar-start');
  const cached = readFirstScreen();
  const [snap, setSnap] = createSignal<LibrarySnapshot>(cached ?? { complete: false, chats: [], archived: [], folders: [] });
  const [loaded, setLoaded] = createSignal(false);
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saved = '';
  const [tag, setTag] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
  const watch = watchLibrary(db, (s) => {
    if (!loaded()) performance.mark('parley:sidebar-head');
    if (s.complete && !snap().complete) performance.mark('parley:sidebar-read');
    setSnap(s);
    setLoaded(true);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => (saved = writeFirstScreen(s, Date.now(), saved)), SAVE_MS);
  }, onError);
  onCleanup(() => { clearInterval(timer); clearTimeout(saveTimer); watch.close(); });

  const tags = createMemo(() => tagCounts(snap().chats));
  // A filter on a tag no chat carries any more (its last one was untagged) lets go by itself.
  const activeTag = () => { const t = tag(); return t !== null && tags().some((x) => x.tag === t) ? t : null; };
  let prev: LibraryRow[] = [];
  const rows = createMemo(() => {
    const s = snap();
    prev = reuseRows(buildRows({ chats: s.chats, folders: s.folders, tag: activeTag(), now: now() }), prev);
    return prev;
  });

  return {
    rows,
    loaded,
    /** Every chat read (until then the list holds the first screen's worth). */
    complete: () => snap().complete,
    chats: () => snap().chats,
    archived: () => snap().archived,
    folders: () => snap().folders,
    tags,
    tag: activeTag,
    setTag,
  };
}
export type LibraryView = ReturnType<typeof createLibraryView>;
