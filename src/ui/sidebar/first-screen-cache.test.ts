import { afterEach, beforeEach, expect, it } from 'vitest';
import { readFirstScreen, writeFirstScreen } from './first-screen-cache';
import type { ChatSummary } from '../../core/library-view/build-rows';

/** A Map-backed localStorage for node. */
let store: Map<string, string>;
beforeEach(() => {
  store = new Map();
  (globalThis as { localStorage?: Pick<Storage, 'getItem' | 'setItem'> }).localStorage = {
    getItem: (k) => store.get(k) ?? null,
    setItem: (k, v) => void store.set(k, v),
  };
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

const chat = (i: number, more: Partial<ChatSummary> = {}): ChatSummary => ({ id: `c${i}`, title: `t${i}`, updatedAt: 1000 - i, pinned: false, archived: false, folderId: null, tags: [], ...more });

it('keeps the chats of the first 60 lines and the folders, read back as an incomplete snapshot', () => {
  const chats = Array.from({ length: 100 }, (_, i) => chat(i));
  const folders = [{ id: 'f', name: 'F', parentId: null, expanded: false, createdAt: 0, updatedAt: 0 }];
  const saved = writeFirstScreen({ complete: true, chats, archived: [], folders }, 2000, '');
  const back = readFirstScreen()!;
  expect(back.complete).toBe(false);
  // 60 lines: "Folders", the folder, "Today", then 57 chats.
  expect(back.chats.map((c) => c.id)).toEqual(chats.slice(0, 57).map((c) => c.id));
  expect(back.folders).toEqual(folders);
  // The same again is not written.
  store.clear();
  expect(writeFirstScreen({ complete: true, chats, archived: [], folders }, 2000, saved)).toBe(saved);
  expect(store.size).toBe(0);
});

it('writes nothing from an incomplete snapshot, and reads nothing from a damaged entry', () => {
  writeFirstScreen({ complete: false, chats: [chat(1)], archived: [], folders: [] }, 2000, '');
  expect(store.size).toBe(0);
  expect(readFirstScreen()).toBeNull();
  store.set('parley:sidebar-first-screen:v1', '{"chats":[{"id":1}],"folders":[]}');
  expect(readFirstScreen()).toBeNull();
  store.set('parley:sidebar-first-screen:v1', 'not json');
  expect(readFirstScreen()).toBeNull();
});
