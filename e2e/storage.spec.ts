import type { Page } from '@playwright/test';
import { test, expect, send, lastAssistant, setupOpenAI, openApp } from './fixtures';

/**
 * A full disk on the page's main thread: while `window.__full` is true, every IndexedDB
 * `put`/`add` throws QuotaExceededError, as the browser does when the quota is reached.
 */
function fillDiskOnDemand(page: Page) {
  return page.addInitScript(() => {
    const w = window as unknown as { __full?: boolean };
    for (const name of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[name];
      IDBObjectStore.prototype[name] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (w.__full === true) throw new DOMException('quota', 'QuotaExceededError');
        return original.apply(this, args);
      };
    }
  });
}

const setFull = (page: Page, full: boolean) => page.evaluate((f) => ((window as unknown as { __full: boolean }).__full = f), full);

/** What the browser's real IndexedDB holds, read without the app's code. */
async function stored(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T,>(name: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    const chats = await all<{ id: string; currentId: string | null }>('chats');
    const messages = await all<{ id: string; role: string; content: string; parentId: string | null }>('messages');
    const nodes = await all<{ id: string }>('nodes');
    const folders = await all<{ id: string }>('folders');
    db.close();
    return {
      chats: chats.map((c) => ({ id: c.id, currentId: c.currentId })),
      messages: messages.map((m) => ({ id: m.id, role: m.role, content: m.content, parentId: m.parentId })).sort((a, b) => a.id.localeCompare(b.id)),
      nodes: nodes.map((n) => n.id).sort(),
      folders: folders.length,
    };
  });
}

const FULL = /Storage is full: .*Free space \(delete old chats or images, or export and clear\) and try again\. Nothing was saved from this action\./;

test('a full disk: sending says so, keeps the text, writes nothing; a folder is not created; with space again it sends', async ({ page, fake }) => {
  await fillDiskOnDemand(page);
  await setupOpenAI(page, fake);
  await send(page, 'first');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: first');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const before = await stored(page);
  expect(before.messages.map((m) => [m.role, m.content])).toEqual(expect.arrayContaining([['user', 'first'], ['assistant', 'You said: first']]));
  expect(before.messages).toHaveLength(2);

  await setFull(page, true);
  await send(page, 'second');
  const error = page.locator('[data-testid="toast"][data-kind="error"]');
  await expect(error).toHaveCount(1);
  await expect(error).toHaveText(FULL);
  await expect(page.getByTestId('composer-input')).toHaveValue('second');
  await expect(page.locator('[data-testid="message"][data-role="user"]')).toHaveCount(1);
  // Exactly the first turn: no orphan question, no empty answer, the chat still ends where it did.
  expect(await stored(page)).toEqual(before);

  // Another main-thread write: a new folder.
  await page.getByTestId('folder-create').click();
  await expect(error.filter({ hasText: 'Could not create the folder' })).toHaveText(FULL);
  await expect(page.getByTestId('folder-item')).toHaveCount(0);
  expect(await stored(page)).toEqual(before);

  // Space again: the text still in the composer goes out as usual. The notices sit over the
  // send button (bottom right) until they time out, so they are dismissed first, as a user would.
  await setFull(page, false);
  for (let i = await error.count(); i > 0; i--) await error.first().getByRole('button', { name: 'Dismiss' }).click();
  await expect(error).toHaveCount(0);
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: second');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('composer-input')).toHaveValue('');
  const after = await stored(page);
  expect(after.messages).toHaveLength(4);
  expect(after.messages.filter((m) => m.role === 'user').map((m) => m.content).sort()).toEqual(['first', 'second']);
  expect(after.nodes).toHaveLength(4);
});

async function openStorage(page: Page) {
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('storage-section');
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByTestId('storage-persist')).toBeVisible();
  return section;
}

test('Settings › Storage shows what the browser holds before and after "Keep my data", and usage; fits 360 px', async ({ page }) => {
  await openApp(page);
  const section = await openStorage(page);
  const persisted = () => page.evaluate(() => navigator.storage.persisted());
  await expect(section.getByTestId('storage-persist')).toHaveAttribute('data-granted', String(await persisted()));
  await expect(section.getByTestId('storage-usage')).toHaveText(/^\d+(\.\d)? (bytes|KB|MB|GB|TB) of \d+(\.\d)? (KB|MB|GB|TB) used$/);

  // Headless Chromium may grant or refuse: the page must show whichever the browser now holds.
  const request = section.getByTestId('storage-persist-request');
  if (await request.isVisible()) {
    await request.click();
    await expect(section.getByTestId('storage-persist-request').or(section.getByText(/^Kept:/))).toBeVisible();
    await expect(section.getByTestId('storage-persist')).toHaveAttribute('data-granted', String(await persisted()));
  }

  await page.setViewportSize({ width: 360, height: 740 });
  await section.scrollIntoViewIfNeeded();
  const overflow = await section.evaluate((el) => {
    const vw = document.documentElement.clientWidth;
    const wide = [el, ...el.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > vw + 0.5 || e.scrollWidth > e.clientWidth + 1);
    return wide.map((e) => e.outerHTML.slice(0, 80));
  });
  expect(overflow).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('storage-360.png') });
});

test('"Keep my data": a refusal says what it means, a grant says kept; no navigator.storage says so', async ({ page, context }) => {
  // The browser's answer comes from sessionStorage, so one page can be refused, then granted.
  await page.addInitScript(() => {
    let granted = false;
    navigator.storage.persisted = async () => granted;
    navigator.storage.persist = async () => (granted = sessionStorage.getItem('grant') === 'yes');
  });
  await openApp(page);
  const section = await openStorage(page);
  const status = section.getByTestId('storage-persist');
  await expect(status).toHaveAttribute('data-granted', 'false');
  await expect(status).toContainText('may clear Parley’s data');

  await section.getByTestId('storage-persist-request').click();
  await expect(status).toContainText('The browser said no. Chromium grants this by itself to sites that are installed');
  await expect(status).toHaveAttribute('data-granted', 'false');

  await page.evaluate(() => sessionStorage.setItem('grant', 'yes'));
  await section.getByTestId('storage-persist-request').click();
  await expect(status).toHaveAttribute('data-granted', 'true');
  await expect(status).toContainText('Kept: the browser will not clear Parley’s data');
  await expect(section.getByTestId('storage-persist-request')).toHaveCount(0);

  // An insecure context has no navigator.storage at all.
  const bare = await context.newPage();
  await bare.addInitScript(() => Object.defineProperty(Navigator.prototype, 'storage', { get: () => undefined }));
  await openApp(bare);
  const s2 = await openStorage(bare);
  await expect(s2.getByTestId('storage-persist')).toHaveAttribute('data-granted', 'false');
  await expect(s2.getByTestId('storage-persist')).toContainText('not in a secure context');
  await expect(s2.getByTestId('storage-persist-request')).toHaveCount(0);
  await expect(s2.getByTestId('storage-usage')).toHaveText('This browser does not say how much space Parley uses here.');
});
