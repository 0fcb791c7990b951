import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { sendTurn } from './chats';
import { nodeOf, type Chat } from './schema';
import {
  addTag, archiveAll, createFolder, deleteChats, deleteFolder, LibraryInputError, moveToFolder, normalizeTag, removeTag,
  renameChat, renameFolder, restoreChats, restoreFolder, setArchived, setFolderExpanded, setPinned, unarchiveAll, TITLE_MAX,
} from './library-ops';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-library-ops-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

/** A chat of one question and its answer (with an image on the question when asked), at time `now`. */
async function chat(title: string, now: number, opts: { image?: boolean } = {}): Promise<string> {
  const images = opts.image ? [{ blob: new Blob(['png']), mime: 'image/png', name: 'a.png', bytes: 3 }] : [];
  const t = await sendTurn(db, { chatId: null, content: title, model: 'm', connectionId: 'c', now, images });
  return t.chatId;
}
/** Everything stored, sorted, to compare before and after. */
async function snapshot() {
  const by = <T extends { id: string }>(xs: T[]) => xs.sort((a, b) => (a.id < b.id ? -1 : 1));
  const blobs = await db.blobs.toArray();
  return {
    chats: by(await db.chats.toArray()),
    messages: by(await db.messages.toArray()),
    nodes: by(await db.nodes.toArray()),
    folders: by(await db.folders.toArray()),
    blobs: by(blobs.map((b) => ({ ...b, blob: b.blob.size }))),
  };
}
const get = async (id: string) => (await db.chats.get(id))!;

describe('rename, pin, archive, tags', () => {
  it('renames trimmed, collapses spaces, caps the length, refuses empty', async () => {
    const id = await chat('hello', 1000);
    expect(await renameChat(db, id, '  Trip   to  Rome ')).toBe('Trip to Rome');
    expect((await get(id)).title).toBe('Trip to Rome');
    expect((await renameChat(db, id, 'x'.repeat(500))).length).toBe(TITLE_MAX);
    await expect(renameChat(db, id, '   ')).rejects.toBeInstanceOf(LibraryInputError);
    await expect(renameChat(db, 'nope', 'a')).rejects.toThrow('no longer exists');
  });

  it('pins, archives and tags without touching updatedAt (the list order)', async () => {
    const a = await chat('a', 1000);
    const b = await chat('b', 2000);
    expect(await setPinned(db, [a, b, 'missing'], true)).toEqual([a, b]);
    expect(await setPinned(db, [a], true)).toEqual([]); // already pinned: nothing written
    await setArchived(db, [b], true);
    await addTag(db, [a, b], '  Machine   Learning ');
    await addTag(db, [a], 'machine learning');
    await addTag(db, [a], 'Work');
    expect(await get(a)).toMatchObject({ pinned: true, archived: false, tags: ['machine_learning', 'work'], updatedAt: 1000 });
    expect(await get(b)).toMatchObject({ pinned: true, archived: true, tags: ['machine_learning'], updatedAt: 2000 });
    await removeTag(db, [a, b], 'machine_learning');
    expect((await get(a)).tags).toEqual(['work']);
    expect((await get(b)).tags).toEqual([]);
    await expect(addTag(db, [a], '  ')).rejects.toBeInstanceOf(LibraryInputError);
  });

  it('normalizes tags as Open WebUI ids', () => {
    expect(normalizeTag(' Foo Bar ')).toBe('foo_bar');
    expect(normalizeTag('x'.repeat(80)).length).toBe(50);
  });

  it('archives all and unarchives all, returning the ids changed', async () => {
    const a = await chat('a', 1000);
    const b = await chat('b', 2000);
    await setArchived(db, [a], true);
    expect(await archiveAll(db)).toEqual([b]);
    expect((await db.chats.toArray()).every((c) => c.archived)).toBe(true);
    expect((await unarchiveAll(db)).sort()).toEqual([a, b].sort());
    expect((await db.chats.toArray()).some((c) => c.archived)).toBe(false);
  });
});

describe('folders', () => {
  it('creates with distinct default names, renames, refuses a duplicate beside it', async () => {
    const f1 = await createFolder(db, { now: 1 });
    const f2 = await createFolder(db, { now: 2 });
    expect([f1.name, f2.name]).toEqual(['New folder', 'New folder 2']);
    await renameFolder(db, f1.id, ' Work ', 3);
    expect((await db.folders.get(f1.id))!.name).toBe('Work');
    await expect(renameFolder(db, f2.id, 'work', 4)).rejects.toThrow('already exists');
    await expect(createFolder(db, { name: 'WORK', now: 5 })).rejects.toBeInstanceOf(LibraryInputError);
    // The same name inside another folder is fine.
    const sub = await createFolder(db, { name: 'Work', parentId: f1.id, now: 6 });
    expect(sub.parentId).toBe(f1.id);
    await expect(createFolder(db, { name: 'x', parentId: 'gone', now: 7 })).rejects.toThrow('no longer exists');
  });

  it('moves chats in and out, keeps expanded state', async () => {
    const a = await chat('a', 1000);
    const f = await createFolder(db, { name: 'F', now: 1 });
    expect(await moveToFolder(db, [a], f.id)).toEqual([a]);
    expect(await get(a)).toMatchObject({ folderId: f.id, updatedAt: 1000 });
    await moveToFolder(db, [a], null);
    expect((await get(a)).folderId).toBeNull();
    await expect(moveToFolder(db, [a], 'gone')).rejects.toThrow('no longer exists');
    await setFolderExpanded(db, f.id, false);
    expect((await db.folders.get(f.id))!.expanded).toBe(false);
  });

  it('deleting a folder puts its chats (and its subfolders’ chats) at the top level; Undo puts all back', async () => {
    const a = await chat('a', 1000);
    const b = await chat('b', 2000);
    const f = await createFolder(db, { name: 'F', now: 1 });
    const sub = await createFolder(db, { name: 'S', parentId: f.id, now: 2 });
    await moveToFolder(db, [a], f.id);
    await moveToFolder(db, [b], sub.id);
    const before = await snapshot();
    const gone = await deleteFolder(db, f.id);
    expect(await db.folders.count()).toBe(0);
    expect((await get(a)).folderId).toBeNull();
    expect((await get(b)).folderId).toBeNull();
    expect(await db.messages.count()).toBe(4);
    await restoreFolder(db, gone);
    expect(await snapshot()).toEqual(before);
  });

  it('deleting a folder with its chats deletes their messages too; Undo restores exactly', async () => {
    const a = await chat('a', 1000, { image: true });
    const keep = await chat('keep', 2000);
    const f = await createFolder(db, { name: 'F', now: 1 });
    await moveToFolder(db, [a], f.id);
    const before = await snapshot();
    const gone = await deleteFolder(db, f.id, { withChats: true });
    expect((await db.chats.toArray()).map((c) => c.id)).toEqual([keep]);
    expect(await db.messages.where('chatId').equals(a).count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    await restoreFolder(db, gone);
    expect(await snapshot()).toEqual(before);
  });
});

describe('delete with undo', () => {
  it('deletes chats with messages, nodes and images in one go; restore gives back exactly the same rows', async () => {
    const a = await chat('a', 1000, { image: true });
    const b = await chat('b', 2000);
    const c = await chat('c', 3000);
    await setPinned(db, [a], true);
    await addTag(db, [a], 'x');
    const before = await snapshot();
    const gone = await deleteChats(db, [a, b, 'missing']);
    expect(gone.chats.map((x: Chat) => x.id).sort()).toEqual([a, b].sort());
    expect(gone.messages).toHaveLength(4);
    expect(gone.blobs).toHaveLength(1);
    expect((await db.chats.toArray()).map((x) => x.id)).toEqual([c]);
    expect(await db.messages.count()).toBe(2);
    expect(await db.nodes.count()).toBe(2);
    expect(await db.blobs.count()).toBe(0);
    expect(await restoreChats(db, gone)).toBe(2);
    expect(await snapshot()).toEqual(before);
    expect((await db.blobs.toArray())[0]!.blob.size).toBe(3);
    // Nodes match messages after the round trip.
    expect((await db.nodes.toArray()).length).toBe((await db.messages.toArray()).map(nodeOf).length);
  });

  it('a failing delete changes nothing (one transaction)', async () => {
    const a = await chat('a', 1000);
    const before = await snapshot();
    const spy = vi.spyOn(db.chats, 'bulkDelete').mockImplementation(() => {
      throw new Error('disk full');
    });
    await expect(deleteChats(db, [a])).rejects.toThrow('disk full');
    spy.mockRestore();
    expect(await snapshot()).toEqual(before);
  });

  it('restore skips a chat written again meanwhile under the same id', async () => {
    const a = await chat('a', 1000);
    const gone = await deleteChats(db, [a]);
    await db.chats.add({ ...gone.chats[0]!, title: 'newer' });
    expect(await restoreChats(db, gone)).toBe(0);
    expect((await get(a)).title).toBe('newer');
    expect(await db.messages.count()).toBe(0);
  });
});
