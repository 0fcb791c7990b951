import { describe, expect, it } from 'vitest';
import { buildRows, compareChats, reuseRows, tagCounts, type ChatSummary, type LibraryRow } from './build-rows';
import { folderAndDescendants, foldersByParent, wouldCycle } from './folder-tree';
import type { Folder } from '../storage/schema';

const NOW = new Date(2026, 10, 22, 12).getTime();
const DAY = 86_400_000;
const chat = (id: string, ago: number, more: Partial<ChatSummary> = {}): ChatSummary => ({
  id, title: id, updatedAt: NOW - ago, pinned: false, archived: false, folderId: null, tags: [], ...more,
});
const folder = (id: string, name: string, more: Partial<Folder> = {}): Folder => ({ id, name, parentId: null, expanded: true, createdAt: 0, updatedAt: 0, ...more });
/** Rows as short strings: `# Heading`, `[folder] (n)`, `  chat` (indented by depth). */
const show = (rows: LibraryRow[]) =>
  rows.map((r) => (r.kind === 'heading' ? `# ${r.label}` : r.kind === 'folder' ? `${'  '.repeat(r.depth)}[${r.folder.name}] (${r.count})` : `${'  '.repeat(r.depth)}${r.chat.id}`));
const sorted = (cs: ChatSummary[]) => [...cs].sort(compareChats);

describe('buildRows', () => {
  it('groups loose chats by time, pinned on top, folders between', () => {
    const chats = sorted([
      chat('a', 1000), chat('b', DAY), chat('c', 3 * DAY, { pinned: true }), chat('d', 40 * DAY),
      chat('e', 2 * DAY, { folderId: 'f1' }), chat('f', 5 * DAY, { folderId: 'gone' }),
    ]);
    expect(show(buildRows({ chats, folders: [folder('f1', 'Work')], tag: null, now: NOW }))).toEqual([
      '# Pinned', 'c',
      '# Folders', '[Work] (1)', '  e',
      '# Today', 'a', '# Yesterday', 'b', '# Previous 7 days', 'f', '# October', 'd',
    ]);
  });

  it('nests folders, sorted by name; a collapsed folder hides what is inside', () => {
    const folders = [folder('p', 'b-projects'), folder('k', 'kids', { parentId: 'p' }), folder('a', 'A-archive', { expanded: false })];
    const chats = sorted([chat('x', 10, { folderId: 'k' }), chat('y', 20, { folderId: 'p' }), chat('z', 30, { folderId: 'a' })]);
    expect(show(buildRows({ chats, folders, tag: null, now: NOW }))).toEqual([
      '# Folders', '[A-archive] (1)', '[b-projects] (1)', '  [kids] (1)', '    x', '  y',
    ]);
  });

  it('a folder cycle (damaged import) shows each folder once', () => {
    const folders = [folder('a', 'A', { parentId: 'b' }), folder('b', 'B', { parentId: 'a' }), folder('c', 'C', { parentId: 'c' })];
    const rows = buildRows({ chats: [], folders, tag: null, now: NOW });
    // a and b point at each other, c at itself: each is put at the top level, none is lost.
    expect(show(rows)).toEqual(['# Folders', '[A] (0)', '[B] (0)', '[C] (0)']);
  });

  it('a tag filter keeps matching chats, folders flattened into the time groups', () => {
    const chats = sorted([
      chat('a', 10, { tags: ['work'], folderId: 'f1' }), chat('b', 20, { tags: ['home'] }), chat('c', 30, { tags: ['work'], pinned: true }),
    ]);
    expect(show(buildRows({ chats, folders: [folder('f1', 'F')], tag: 'work', now: NOW }))).toEqual(['# Pinned', 'c', '# Today', 'a']);
    expect(buildRows({ chats, folders: [], tag: 'none', now: NOW })).toEqual([]);
  });

  it('orders equal times by id', () => {
    expect(sorted([chat('b', 5), chat('a', 5), chat('c', 1)]).map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('reuseRows', () => {
  it('keeps the objects of unchanged lines and replaces changed ones', () => {
    const a = chat('a', 10);
    const b = chat('b', 20);
    const prev = buildRows({ chats: [a, b], folders: [folder('f', 'F')], tag: null, now: NOW });
    const b2 = { ...b, title: 'renamed' };
    const next = reuseRows(buildRows({ chats: [a, b2], folders: [folder('f', 'F')], tag: null, now: NOW }), prev);
    expect(next[0]).toBe(prev[0]); // Folders heading
    expect(next[1]).toBe(prev[1]); // folder, same fields though a new object
    expect(next[3]).toBe(prev[3]); // chat a
    expect(next[4]).not.toBe(prev[4]);
    expect(next[4]).toMatchObject({ chat: { title: 'renamed' } });
  });
});

describe('tagCounts and folder helpers', () => {
  it('counts tags', () => {
    expect(tagCounts([chat('a', 0, { tags: ['x', 'y'] }), chat('b', 0, { tags: ['x'] })])).toEqual([{ tag: 'x', count: 2 }, { tag: 'y', count: 1 }]);
  });
  it('finds descendants, cycle-safe, and refuses a move into itself', () => {
    const fs = [folder('a', 'A'), folder('b', 'B', { parentId: 'a' }), folder('c', 'C', { parentId: 'b' }), folder('d', 'D')];
    expect(folderAndDescendants(fs, 'a')).toEqual(['a', 'b', 'c']);
    expect(folderAndDescendants([folder('x', 'X', { parentId: 'y' }), folder('y', 'Y', { parentId: 'x' })], 'x')).toEqual(['x', 'y']);
    expect(wouldCycle(fs, 'a', 'c')).toBe(true);
    expect(wouldCycle(fs, 'c', 'd')).toBe(false);
    expect(foldersByParent(fs).get(null)!.map((f) => f.id)).toEqual(['a', 'd']);
  });
});
