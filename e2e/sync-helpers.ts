import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { CouchServer } from './couch-server/server';

/** Two browsers (devices) in one test: each its own context, so its own IndexedDB, service worker and tabs. */
export async function secondDevice(browser: Browser, page: Page): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByTestId('composer-input')).toBeVisible();
  return { context, page: other };
}

export const PASSPHRASE = 'correct horse battery staple';

/** Settings › Sync: fills the form and turns sync on; leaves Settings open. */
export async function turnOnSync(page: Page, server: CouchServer, opts: { passphrase?: string; keys?: boolean; user?: string; password?: string } = {}): Promise<void> {
  await openSync(page);
  const s = page.getByTestId('sync-section');
  await s.getByTestId('sync-url').fill(server.url);
  if (opts.user !== undefined) await s.getByTestId('sync-user').fill(opts.user);
  if (opts.password !== undefined) await s.getByTestId('sync-password').fill(opts.password);
  await s.getByTestId('sync-passphrase').fill(opts.passphrase ?? PASSPHRASE);
  if (opts.keys) await s.getByTestId('sync-keys').check();
  await s.getByTestId('sync-save').click();
}

export async function openSync(page: Page): Promise<void> {
  if (!(await page.getByTestId('sync-section').isVisible())) await page.getByTestId('settings-open').click();
  await page.getByTestId('sync-section').scrollIntoViewIfNeeded();
}

export async function closeSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Close settings' }).click();
}

/** Waits until sync is on and its last round ended well. */
export async function expectSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
}

/** Sync now, and wait for that round (the button is disabled while it runs). */
export async function syncNow(page: Page, expectState: 'ok' | 'error' = 'ok'): Promise<void> {
  await openSync(page);
  const button = page.getByTestId('sync-now');
  await button.click();
  await expect(button).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', expectState);
}

/** Every document on the server as stored, `_local` ones aside. */
export async function serverDocs(server: CouchServer, db = 'parley'): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${server.url}/${db}/_all_docs?include_docs=true&conflicts=true`);
  const body = (await res.json()) as { rows: Array<{ doc: Record<string, unknown> }> };
  return body.rows.map((r) => r.doc);
}

export interface Stored {
  chats: Array<{ id: string; title: string; pinned: boolean; currentId: string | null }>;
  messages: Array<{ id: string; chatId: string; parentId: string | null; role: string; content: string; status: string }>;
  nodes: number;
  connections: Array<{ id: string; url: string; key: string }>;
  settings: Array<{ key: string; value: unknown }>;
}

/** What the device's IndexedDB holds (read directly, not through the app). */
export function stored(page: Page): Promise<Stored> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T>(name: string) =>
      new Promise<T[]>((resolve, reject) => {
        const q = db.transaction(name).objectStore(name).getAll();
        q.onsuccess = () => resolve(q.result as T[]);
        q.onerror = () => reject(q.error);
      });
    const out = {
      chats: await all<Stored['chats'][number]>('chats'),
      messages: await all<Stored['messages'][number]>('messages'),
      nodes: (await all('nodes')).length,
      connections: await all<Stored['connections'][number]>('connections'),
      settings: await all<Stored['settings'][number]>('settings'),
    };
    db.close();
    return out;
  });
}

/** A second device with sync turned on (same server and passphrase) and its first round done. */
export async function syncedSecondDevice(browser: Browser, page: Page, server: CouchServer): Promise<{ context: BrowserContext; page: Page }> {
  const b = await secondDevice(browser, page);
  await turnOnSync(b.page, server);
  await expectSynced(b.page);
  return b;
}
