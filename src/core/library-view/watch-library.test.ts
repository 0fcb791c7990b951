import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { sendTurn } from '../storage/chats';
import { createFolder, deleteChats, moveToFolder, setArchived, setPinned } from '../storage/library-ops';
import { watchLibrary, type LibrarySnapshot } from './watch-library';

let db: ParleyDb;
let n = 0;
let snaps: LibrarySnapshot[];
let close: () => void;
beforeEach(async () => {
  db = openDb(`test-watch-library-${n++}`);
  await db.open();
  snaps = [];
});
afterEach(async () => {
  close();
  await db.delete();
});

const start = () => {
  close = watchLibrary(db, (s) => snaps.push(s), (e) => { throw e; }).close;
};
const last = () => snaps[snaps.length - 1]!;
const until = (f: (s: LibrarySnapshot) => boolean) => vi.waitFor(() => expect(snaps.length > 0 && f(last())).toBe(true));
const turn = (chatId: string | null, content: string, now: number) => sendTurn(db, { chatId, content, model: 'm', connectionId: 'c', now });
const ids = (s: LibrarySnapshot) => s.chats.map((c) => c.title);

it('reads the library, then follows each write: new chat, newer message, pin, archive, folder, delete', async () => {
  const a = await turn(null, 'a', 1000);
  await turn(null, 'b', 2000);
  start();
  await until((s) => ids(s).join() === 'b,a');

  await turn(a.chatId, 'again', 3000);
  await until((s) => ids(s).join() === 'a,b');
  await setPinned(db, [a.chatId], true);
  await until((s) => s.chats[0]!.pinned);
  await setArchived(db, [a.chatId], true);
  await until((s) => ids(s).join() === 'b' && s.archived.length === 1);
  const f = await createFolder(db, { name: 'F', now: 1 });
  await until((s) => s.folders.length === 1);
  await moveToFolder(db, [last().chats[0]!.id], f.id);
  await until((s) => s.chats[0]!.folderId === f.id);
  await deleteChats(db, [a.chatId]);
  await until((s) => s.archived.length === 0);
});

it('re-reads only the changed chats: an untouched chat keeps its object', async () => {
  const a = await turn(null, 'a', 1000);
  const b = await turn(null, 'b', 2000);
  start();
  await until((s) => s.chats.length === 2);
  const before = last().chats.find((c) => c.id === b.chatId);
  await turn(a.chatId, 'more', 3000);
  await until((s) => s.chats[0]!.id === a.chatId);
  expect(last().chats.find((c) => c.id === b.chatId)).toBe(before);
});

it('a range delete (a whole table cleared) reads everything again', async () => {
  await turn(null, 'a', 1000);
  start();
  await until((s) => s.chats.length === 1);
  await db.chats.clear();
  await until((s) => s.chats.length === 0);
});

it('first a quick read (newest chats, the pinned ones the last full read found, open folders), then all; the pinned hint is kept', async () => {
  const row = (i: number, more: Record<string, unknown> = {}) => ({
    id: `c${String(i).padStart(3, '0')}`, title: `t${i}`, createdAt: 0, updatedAt: 1000 + i, pinned: false, archived: false, folderId: null, tags: [],
    currentId: null, models: [], system: '', params: {}, ...more,
  });
  await db.folders.bulkAdd([
    { id: 'open', name: 'Open', parentId: null, expanded: true, createdAt: 0, updatedAt: 0 },
    { id: 'shut', name: 'Shut', parentId: null, expanded: false, createdAt: 0, updatedAt: 0 },
  ]);
  await db.chats.bulkAdd([
    ...Array.from({ length: 300 }, (_, i) => row(i + 10)),
    row(1, { pinned: true }), row(2, { pinned: true }), row(3, { folderId: 'open' }), row(4, { folderId: 'shut' }),
  ]);
  await db.settings.put({ key: 'sidebarPinnedHint', value: ['c001'] });
  start();
  await until((s) => s.complete);
  const first = snaps[0]!;
  expect(first.complete).toBe(false);
  const ids = new Set(first.chats.map((c) => c.id));
  expect(ids.has('c309')).toBe(true); // newest
  expect(ids.has('c001')).toBe(true); // hinted pinned
  expect(ids.has('c002')).toBe(false); // pinned, not hinted: comes with the full read
  expect(ids.has('c003')).toBe(true); // in an open folder
  expect(ids.has('c004')).toBe(false); // in a closed folder
  expect(ids.has('c010')).toBe(false); // old
  expect(last().chats).toHaveLength(304);
  await vi.waitFor(async () => expect((await db.settings.get('sidebarPinnedHint'))?.value).toEqual(['c001', 'c002']));
});
