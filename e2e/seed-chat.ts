import type { Page } from '@playwright/test';

/**
 * Writes a chat of `pairs` question/answer pairs (one branch) straight into the app's
 * IndexedDB, for tests that need a long chat without sending hundreds of messages.
 * Returns the chat id. The app must have opened its database once (openApp) first.
 */
export async function seedLongChat(page: Page, pairs: number, answer: (i: number) => string): Promise<string> {
  const texts = Array.from({ length: pairs }, (_, i) => answer(i));
  return page.evaluate(async (texts) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const chatId = `seeded${Date.now()}`;
    const base = { reasoning: '', refusal: '', model: 'gpt-4o-mini', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: 'stop', usage: null };
    const tx = db.transaction(['chats', 'messages'], 'readwrite');
    let parent: string | null = null;
    let t = 1_000_000;
    texts.forEach((text, i) => {
      const q = `${chatId}-q${i}`;
      const a = `${chatId}-a${i}`;
      tx.objectStore('messages').put({ ...base, id: q, chatId, parentId: parent, role: 'user', content: `Question ${i}`, createdAt: t, updatedAt: t });
      tx.objectStore('messages').put({ ...base, id: a, chatId, parentId: q, role: 'assistant', content: text, createdAt: t + 1, updatedAt: t + 1 });
      parent = a;
      t += 2;
    });
    tx.objectStore('chats').put({
      id: chatId, title: 'A long chat', createdAt: 1_000_000, updatedAt: t, pinned: false, archived: false, folderId: null, tags: [],
      currentId: parent, models: ['gpt-4o-mini'], system: '', params: {},
    });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return chatId;
  }, texts);
}
