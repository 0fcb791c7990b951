import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { openDb, type ParleyDb } from './db';
import { deleteChat, sendTurn } from './chats';
import { deleteSubtree, editQuestion, restoreSubtree } from './tree-ops';
import { readImages } from './message-images';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-message-images-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const img = (bytes: number[], name: string) => ({ blob: new Blob([new Uint8Array(bytes)], { type: 'image/png' }), mime: 'image/png', name, width: 2, height: 3 });
const text = async (b: Blob) => [...new Uint8Array(await b.arrayBuffer())];

/** A chat whose first question carries two images; a plain second question under it. */
async function chatWithImages() {
  const t1 = await sendTurn(db, { chatId: null, content: 'Look', model: 'm', connectionId: 'c', now: 1000, images: [img([1, 2], 'a.png'), img([3], 'b.png')] });
  await db.messages.update(t1.assistantId, { status: 'done', content: 'Seen' });
  const t2 = await sendTurn(db, { chatId: t1.chatId, content: 'More', model: 'm', connectionId: 'c', now: 2000, images: [img([9], 'c.png')] });
  await db.messages.update(t2.assistantId, { status: 'done', content: 'Ok' });
  return { chatId: t1.chatId, t1, t2 };
}

describe('images of messages', () => {
  it('sendTurn stores metadata on the message and the bytes as Blobs, in order', async () => {
    const { t1 } = await chatWithImages();
    const user = await db.messages.get(t1.userId);
    expect(user?.content).toBe('Look');
    expect(user?.attachments.map((a) => ({ kind: a.kind, name: a.name, bytes: a.bytes, width: a.width, height: a.height }))).toEqual([
      { kind: 'image', name: 'a.png', bytes: 2, width: 2, height: 3 },
      { kind: 'image', name: 'b.png', bytes: 1, width: 2, height: 3 },
    ]);
    const rows = await readImages(db, user!);
    expect(rows.map((r) => r.messageId)).toEqual([t1.userId, t1.userId]);
    expect(await Promise.all(rows.map((r) => text(r.blob)))).toEqual([[1, 2], [3]]);
    expect(await db.blobs.count()).toBe(3);
  });

  it('a turn that fails writes no blob', async () => {
    await expect(sendTurn(db, { chatId: 'gone', content: 'x', model: 'm', connectionId: 'c', now: 1, images: [img([1], 'a.png')] })).rejects.toThrow();
    expect(await db.blobs.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
  });

  it('deleteChat removes the chat’s blobs and no one else’s', async () => {
    const a = await chatWithImages();
    const b = await chatWithImages();
    await deleteChat(db, a.chatId);
    expect(await db.blobs.where('chatId').equals(a.chatId).count()).toBe(0);
    expect(await db.blobs.where('chatId').equals(b.chatId).count()).toBe(3);
  });

  it('deleteSubtree takes the subtree’s blobs, restoreSubtree brings them back', async () => {
    const { chatId, t2 } = await chatWithImages();
    const gone = await deleteSubtree(db, chatId, t2.userId, 3000);
    expect(gone.blobs).toHaveLength(1);
    expect(await db.blobs.count()).toBe(2);
    await restoreSubtree(db, gone, 4000);
    const back = await readImages(db, (await db.messages.get(t2.userId))!);
    expect(await Promise.all(back.map((r) => text(r.blob)))).toEqual([[9]]);
  });

  it('an edited question keeps its images as copies of its own', async () => {
    const { chatId, t1 } = await chatWithImages();
    const r = await editQuestion(db, chatId, t1.userId, 'Look again', { model: 'm', connectionId: 'c' }, 5000);
    const edited = (await db.messages.get(r.userId))!;
    const old = (await db.messages.get(t1.userId))!;
    expect(edited.attachments.map((a) => a.name)).toEqual(['a.png', 'b.png']);
    expect(edited.attachments.map((a) => a.id)).not.toEqual(old.attachments.map((a) => a.id));
    // Deleting the old branch leaves the edited question's images whole.
    await deleteSubtree(db, chatId, t1.userId, 6000);
    const rows = await readImages(db, edited);
    expect(await Promise.all(rows.map((x) => text(x.blob)))).toEqual([[1, 2], [3]]);
    expect(rows.every((x) => x.messageId === r.userId)).toBe(true);
  });

  it('a row from before attachments existed reads as none', async () => {
    expect(await readImages(db, {} as { attachments: never[] })).toEqual([]);
  });
});

describe('upgrade to version 4', () => {
  it('keeps version 3 messages (read as having no images) and adds an empty blobs table', async () => {
    const name = 'blobs-upgrade';
    const v3 = new Dexie(name);
    v3.version(1).stores({ connections: 'id, kind, createdAt', chats: 'id, updatedAt, pinned, archived, folderId', messages: 'id, chatId, [chatId+createdAt], parentId, status', settings: 'key' });
    v3.version(2).stores({ modelCache: 'connectionId' });
    v3.version(3).stores({ prompts: 'id, &command, updatedAt' });
    await v3.table('messages').put({ id: 'm1', chatId: 'c1', parentId: null, role: 'user', content: 'old', status: 'done', createdAt: 1, updatedAt: 1 });
    v3.close();
    const up = openDb(name);
    const m = (await up.messages.get('m1'))!;
    expect(m.content).toBe('old');
    expect(await readImages(up, m)).toEqual([]);
    expect(await up.blobs.count()).toBe(0);
    expect(up.verno).toBeGreaterThanOrEqual(4);
    await up.delete();
  });
});
