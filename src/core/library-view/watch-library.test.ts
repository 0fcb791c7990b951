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
