import type { Page } from '@playwright/test';

/**
 * Writes a chat of `pairs` question/answer pairs (one branch) straight into the app's
 * IndexedDB, for tests that need a long chat without sending hundreds of messages.
 * Returns the chat id. The app must have opened its database once (openApp) first.
 * `nodes: false` leaves out the tree rows the app keeps beside its messages (as a version
 * before them, or another writer, would), so the app has to rebuild them.
 */
export async function seedLongChat(page: Page, pairs: number, answer: (i: number) => string, opts: { nodes?: boolean } = {}): Promise<string> {
  const texts = Array.from({ length: pairs }, (_, i) => answer(i));
  return page.evaluate(async ({ texts, withNodes }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const chatId = `seeded${Date.now()}`;
    const base = { reasoning: '', refusal: '', model: 'gpt-4o-mini', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: 'stop', usage: null };
    const tx = db.transaction(['chats', 'messages', 'nodes'], 'readwrite');
    const put = (m: Record<string, unknown>) => {
      tx.objectStore('messages').put(m);
      if (withNodes) tx.objectStore('nodes').put({ id: m['id'], chatId, parentId: m['parentId'], role: m['role'], modelIdx: 0, model: m['model'], connectionId: '', createdAt: m['createdAt'] });
    };
    let parent: string | null = null;
    let t = 1_000_000;
    texts.forEach((text, i) => {
      const q = `${chatId}-q${i}`;
      const a = `${chatId}-a${i}`;
      put({ ...base, id: q, chatId, parentId: parent, role: 'user', content: `Question ${i}`, createdAt: t, updatedAt: t });
      put({ ...base, id: a, chatId, parentId: q, role: 'assistant', content: text, createdAt: t + 1, updatedAt: t + 1 });
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
  }, { texts, withNodes: opts.nodes ?? true });
}
