import { test as base, expect, send, lastAssistant, setupOpenAI, openaiUrl, pickModel } from './fixtures';
import { startCouchServer, type CouchServer } from './couch-server/server';
import { closeSettings, expectSynced, openSync, PASSPHRASE, secondDevice, serverDocs, stored, syncedSecondDevice, syncNow, turnOnSync } from './sync-helpers';

/**
 * Issue 9: two browser contexts are two devices syncing through a real CouchDB-protocol server
 * (express-pouchdb in memory, e2e/couch-server/) on another origin than the app, so CORS is real.
 */
const test = base.extend<{ couch: CouchServer }>({
  couch: async ({}, use) => {
    const server = await startCouchServer({ ttlMs: 5 * 60_000 });
    await use(server);
    await server.close();
  },
});

const item = (page: import('@playwright/test').Page, title: string) => page.getByTestId('chat-list-item').filter({ hasText: title });

/** Device A: a connection, one chat per question (each answered), then sync turned on and done. */
async function chatsThenSync(page: import('@playwright/test').Page, fake: import('./fake-llm/server').FakeLlm, couch: CouchServer, ...questions: string[]): Promise<void> {
  await setupOpenAI(page, fake);
  for (const [i, q] of questions.entries()) {
    if (i > 0) await page.getByTestId('new-chat').click();
    await send(page, q);
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  }
  await turnOnSync(page, couch);
  await expectSynced(page);
}

test('two devices converge; the server holds ciphertext only; API keys stay home unless opted in', async ({ page, browser, fake, couch }) => {
  await chatsThenSync(page, fake, couch, 'Plan a trip to Lisbon in spring');
  await expect(page.getByTestId('sync-status')).toContainText('nothing waiting');

  const b = await syncedSecondDevice(browser, page, couch);
  try {
    await closeSettings(b.page);
    await item(b.page, 'Plan a trip to Lisbon').locator('a').click();
    await expect(lastAssistant(b.page).getByTestId('message-content')).toHaveText('You said: Plan a trip to Lisbon in spring');
    const onB = await stored(b.page);
    expect(onB.messages).toHaveLength(2);
    expect(onB.nodes).toBe(2);
    // The connection came over, its key did not (not opted in).
    expect(onB.connections).toEqual([expect.objectContaining({ url: openaiUrl(fake), key: '' })]);

    const docs = await serverDocs(couch);
    const raw = JSON.stringify(docs);
    for (const secret of ['Lisbon', 'You said', 'gpt-4o-mini', 'sk-test-123', '127.0.0.1', 'assistant']) expect(raw, secret).not.toContain(secret);
    for (const d of docs) {
      if (d._id === 'parley:meta') continue;
      expect(Object.keys(d).sort()).toEqual(['_id', '_rev', 'ct', 'e', 'iv']);
      expect(d._id).toMatch(/^(chat|msg|conn|setting|folder|prompt):[\w.-]+$/);
    }
    expect(docs.filter((d) => String(d._id).startsWith('msg:'))).toHaveLength(2);
  } finally {
    await b.context.close();
  }
});

test('a wrong passphrase on the second device is refused in words; nothing is written there or on the server', async ({ page, browser, fake, couch }) => {
  await chatsThenSync(page, fake, couch, 'secret plans');
  const before = await serverDocs(couch);

  const b = await secondDevice(browser, page);
  try {
    const mine = await stored(b.page);
    await turnOnSync(b.page, couch, { passphrase: 'not the passphrase' });
    await expect(b.page.getByTestId('sync-error')).toContainText(/passphrase/i);
    await expect(b.page.getByTestId('sync-form')).toBeVisible();
    const after = await stored(b.page);
    expect(after.chats).toEqual(mine.chats);
    expect(after.messages).toEqual(mine.messages);
    expect(after.settings.filter((s) => s.key.startsWith('sync.') && s.key !== 'sync.status')).toEqual([]);
    expect(await serverDocs(couch)).toEqual(before);

    // The right one then works.
    await b.page.getByTestId('sync-passphrase').fill(PASSPHRASE);
    await b.page.getByTestId('sync-save').click();
    await expectSynced(b.page);
    expect((await stored(b.page)).chats.map((c) => c.title)).toEqual((await stored(page)).chats.map((c) => c.title));
  } finally {
    await b.context.close();
  }
});

test('both edit the same chat while the server is down, then sync: nothing lost', async ({ page, browser, fake, couch }) => {
  await chatsThenSync(page, fake, couch, 'Shared question');
  const b = await syncedSecondDevice(browser, page, couch);
  try {
    await closeSettings(b.page);
    await closeSettings(page);

    await couch.stop();
    // A: a follow-up and a new title. B: its own follow-up and a pin.
    await send(page, 'Follow-up from A');
    await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: Follow-up from A');
    await item(page, 'Shared question').hover();
    await item(page, 'Shared question').getByTestId('chat-menu').click();
    await page.getByTestId('chat-menu-panel').getByTestId('chat-rename').click();
    await page.getByTestId('chat-rename-input').fill('Renamed on A');
    await page.getByTestId('chat-rename-input').press('Enter');

    await item(b.page, 'Shared question').locator('a').click();
    await expect(lastAssistant(b.page).getByTestId('message-content')).toHaveText('You said: Shared question');
    await send(b.page, 'Follow-up from B');
    await expect(lastAssistant(b.page).getByTestId('message-content')).toHaveText('You said: Follow-up from B');
    await item(b.page, 'Shared question').hover();
    await item(b.page, 'Shared question').getByTestId('chat-menu').click();
    await b.page.getByTestId('chat-menu-panel').getByTestId('chat-pin').click();

    // The server is down: Sync now says so in words, the changes wait.
    await syncNow(page, 'error');
    await expect(page.getByTestId('sync-status')).toContainText(/waiting/);
    await expect(page.getByTestId('sync-status')).toContainText(/127\.0\.0\.1/);

    await couch.restart();
    await syncNow(page);
    await syncNow(b.page);
    await syncNow(page);

    for (const p of [page, b.page]) {
      const s = await stored(p);
      expect(s.chats).toHaveLength(1);
      expect(s.chats[0]).toMatchObject({ title: 'Renamed on A', pinned: true });
      expect(s.messages.map((m) => m.content).sort()).toEqual(
        ['Follow-up from A', 'Follow-up from B', 'Shared question', 'You said: Follow-up from A', 'You said: Follow-up from B', 'You said: Shared question'].sort(),
      );
      expect(s.nodes).toBe(6);
      // Both follow-ups hang under the first answer: two branches, none lost.
      const firstAnswer = s.messages.find((m) => m.content === 'You said: Shared question')!;
      expect(s.messages.filter((m) => m.parentId === firstAnswer.id).map((m) => m.content).sort()).toEqual(['Follow-up from A', 'Follow-up from B']);
    }
    // On screen too: B's sidebar shows A's title, pinned; the chat offers both branches.
    await closeSettings(b.page);
    await expect(item(b.page, 'Renamed on A')).toHaveAttribute('data-pinned', 'true');
    expect((await serverDocs(couch)).filter((d) => d._conflicts)).toEqual([]);
  } finally {
    await b.context.close();
  }
});

test('a delete reaches the other device and stays deleted after both sync again', async ({ page, browser, fake, couch }) => {
  await chatsThenSync(page, fake, couch, 'Keep this one', 'Delete this one');
  const b = await syncedSecondDevice(browser, page, couch);
  try {
    expect((await stored(b.page)).chats).toHaveLength(2);

    await closeSettings(page);
    await item(page, 'Delete this one').getByTestId('chat-delete').click();
    await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
    await syncNow(page);
    await syncNow(b.page);
    await syncNow(page);
    await syncNow(b.page);
    for (const p of [page, b.page]) {
      const s = await stored(p);
      expect(s.chats.map((c) => c.title)).toEqual([expect.stringContaining('Keep this one')]);
      expect(s.messages.map((m) => m.content).sort()).toEqual(['Keep this one', 'You said: Keep this one']);
    }
    await closeSettings(b.page);
    await expect(b.page.getByTestId('chat-list-item')).toHaveCount(1);
    await b.page.reload();
    await expect(b.page.getByTestId('chat-list-item')).toHaveCount(1);
  } finally {
    await b.context.close();
  }
});

/** Writes chats straight into IndexedDB (as an import from before sync would have): the first sync must find them all. */
async function seedChats(page: import('@playwright/test').Page, chats: number, perChat: number): Promise<void> {
  await page.evaluate(
    async ({ chats, perChat }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('parley');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction(['chats', 'messages', 'nodes'], 'readwrite');
      const t0 = Date.now() - chats * 1000;
      for (let c = 0; c < chats; c++) {
        const chatId = `seed-${c}`;
        let parent: string | null = null;
        for (let i = 0; i < perChat; i++) {
          const id = `${chatId}-m${i}`;
          const role = i % 2 === 0 ? 'user' : 'assistant';
          tx.objectStore('messages').put({ id, chatId, parentId: parent, role, content: `Seeded ${c}.${i}`, reasoning: '', refusal: '', model: 'gpt-4o-mini', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: 'stop', usage: null, metrics: null, attachments: [], createdAt: t0 + c * 1000 + i, updatedAt: t0 + c * 1000 + i });
          tx.objectStore('nodes').put({ id, chatId, parentId: parent, role, modelIdx: 0, model: 'gpt-4o-mini', connectionId: '', createdAt: t0 + c * 1000 + i });
          parent = id;
        }
        tx.objectStore('chats').put({ id: chatId, title: `Seeded chat ${c}`, createdAt: t0 + c * 1000, updatedAt: t0 + c * 1000 + perChat, pinned: false, archived: false, folderId: null, tags: [], currentId: parent, models: ['gpt-4o-mini'], system: '', params: {} });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { chats, perChat },
  );
}

test('the server drops the connection in the middle of a sync: sync resumes from where it was, nothing sent or applied twice', async ({ page, browser, couch }) => {
  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await seedChats(page, 300, 4);
  // The connection drops at the third batch of the first push (100 records a batch); live sync
  // (on by default) tries again after its back-off and sends only what is left.
  let bulk = 0;
  couch.failNext(1, 0, (r) => r.method === 'POST' && r.path.includes('_bulk_docs') && ++bulk === 3);
  await turnOnSync(page, couch);
  await expect(page.getByTestId('sync-status')).toContainText('nothing waiting', { timeout: 60_000 });
  await expectSynced(page);
  expect(bulk).toBe(3); // the cut happened
  // 1,500 records in batches of 100, one batch twice (the cut one), and the meta document.
  expect(couch.requests.filter((r) => r.method === 'POST' && r.path.includes('_bulk_docs')).length).toBe(17);
  const docs = await serverDocs(couch);
  expect(docs.filter((d) => String(d._id).startsWith('chat:'))).toHaveLength(300);
  expect(docs.filter((d) => String(d._id).startsWith('msg:'))).toHaveLength(1200);
  // Every document written once: a record sent twice would be at revision 2.
  expect(docs.filter((d) => !String(d._rev).startsWith('1-'))).toEqual([]);

  // The other device's pull is cut at its second page of changes; it resumes from its checkpoint.
  const b = await secondDevice(browser, page);
  try {
    let changes = 0;
    couch.failNext(1, 0, (r) => r.path.includes('/_changes') && ++changes === 2);
    const from = couch.requests.length;
    await turnOnSync(b.page, couch);
    await expect.poll(async () => (await stored(b.page)).messages.length, { timeout: 60_000 }).toBe(1200);
    await expectSynced(b.page);
    const since = couch.requests
      .slice(from)
      .filter((r) => r.path.includes('/_changes'))
      .map((r) => new URL(r.path, couch.url).searchParams.get('since'));
    // 1st page from 0, the 2nd cut, then again from where the 1st ended (not from 0).
    expect(since[0]).toBe('0');
    expect(since[1]).not.toBe('0');
    expect(since[2]).toBe(since[1]);
    const s = await stored(b.page);
    expect(s.chats).toHaveLength(300);
    expect(new Set(s.messages.map((m) => m.id)).size).toBe(1200);
    expect(s.nodes).toBe(1200);
    expect((await serverDocs(couch)).filter((d) => !String(d._rev).startsWith('1-'))).toEqual([]);
  } finally {
    await b.context.close();
  }
});

test('live sync: a new chat on one device shows up on the other without pressing anything', async ({ page, browser, fake, couch }) => {
  await setupOpenAI(page, fake);
  await turnOnSync(page, couch);
  await expectSynced(page);
  await expect(page.getByTestId('sync-live')).toBeChecked();
  const b = await syncedSecondDevice(browser, page, couch);
  try {
    await closeSettings(b.page);
    await closeSettings(page);
    await send(page, 'Arrives by itself');
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
    await expect(item(b.page, 'Arrives by itself')).toBeVisible({ timeout: 30_000 });
    await item(b.page, 'Arrives by itself').locator('a').click();
    await expect(lastAssistant(b.page).getByTestId('message-content')).toHaveText('You said: Arrives by itself', { timeout: 30_000 });
    // Turned off: local data stays.
    await openSync(b.page);
    await b.page.getByTestId('sync-off').click();
    await expect(b.page.getByTestId('sync-form')).toBeVisible();
    expect((await stored(b.page)).chats.map((c) => c.title)).toEqual([expect.stringContaining('Arrives by itself')]);
  } finally {
    await b.context.close();
  }
});

test('two tabs of one browser: one long-polls (Web Locks); when it closes, the other takes over', async ({ page, context, browser, fake, couch }) => {
  await setupOpenAI(page, fake);
  await turnOnSync(page, couch);
  await expectSynced(page);
  // A second tab: sync is set up, so its worker starts too, and waits for the live lock.
  const tab2 = await context.newPage();
  await tab2.goto('/');
  await expect(tab2.getByTestId('composer-input')).toBeVisible();
  const waiting = () => couch.requests.filter((r) => r.path.includes('feed=longpoll') && !r.done).length;
  await expect.poll(waiting).toBe(1);
  await tab2.waitForTimeout(1000);
  expect(waiting()).toBe(1);

  const b = await syncedSecondDevice(browser, page, couch);
  try {
    await expect.poll(waiting).toBe(2); // tab 1's and B's
    await page.close();
    // Tab 1's long-poll ends with it; tab 2's worker takes the lock and long-polls.
    await expect.poll(waiting, { timeout: 15_000 }).toBe(2); // tab 2's and B's
    await closeSettings(b.page);
    await pickModel(b.page, 'gpt-4o-mini');
    await send(b.page, 'From B while tab 1 is closed');
    await expect(lastAssistant(b.page)).toHaveAttribute('data-status', 'done');
    await expect(item(tab2, 'From B while tab 1')).toBeVisible({ timeout: 30_000 });
  } finally {
    await b.context.close();
  }
});
