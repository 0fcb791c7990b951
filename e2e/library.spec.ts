import { test, expect, send, lastAssistant, setupOpenAI, openApp } from './fixtures';
import type { Page } from '@playwright/test';

test('new chat, switch between chats (newest first), delete a chat', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'first chat');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('message')).toHaveCount(0);
  await send(page, 'second chat');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');

  const items = page.getByTestId('chat-list-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('second chat');
  await expect(items.nth(1)).toContainText('first chat');

  await items.nth(1).locator('a').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: first chat');
  await items.nth(0).locator('a').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: second chat');

  // Deleted at once, no confirm dialog; Undo brings it back; deleted again, it stays gone.
  await items.nth(0).getByTestId('chat-delete').click();
  await expect(items).toHaveCount(1);
  await expect(items.nth(0)).toContainText('first chat');
  await page.getByTestId('toast-action').click();
  await expect(items).toHaveCount(2);
  await items.nth(0).locator('a').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: second chat');
  await items.nth(0).getByTestId('chat-delete').click();
  await expect(items).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
});

test('offline: the app shell and all chats load from the service worker and IndexedDB; search and settings work', async ({ page, context, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'remember me offline');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active;
  });
  // The first load is not controlled yet; a reload puts the page under the service worker.
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await page.getByTestId('chat-list-item').first().locator('a').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: remember me offline');

  // Search works offline (it reads IndexedDB only) and opens the chat it finds.
  await page.getByTestId('new-chat').click();
  await page.getByTestId('chat-search').fill('offline');
  await page.getByTestId('search-result').first().click();
  await expect(page.getByTestId('message').first()).toContainText('remember me offline');

  // A setting changed offline is kept, and a second offline reload brings it back.
  await page.getByTestId('settings-open').click();
  await page.getByTestId('theme-select').selectOption('light');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.evaluate(() => localStorage.clear()); // not the first-paint mirror: IndexedDB
  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await context.setOffline(false);
});

// ---------------------------------------------------------------------------------------------
// Organizing (seeded chats: the list needs chat rows only, not messages)

interface SeedChat { id: string; title: string; updatedAt: number; pinned?: boolean; archived?: boolean; folderId?: string | null; tags?: string[] }
interface SeedFolder { id: string; name: string; parentId?: string | null; expanded?: boolean }

/** Writes chats and folders straight into the app's IndexedDB (the app must have opened it), then reloads. */
async function seed(page: Page, chats: SeedChat[], folders: SeedFolder[] = []): Promise<void> {
  await page.evaluate(async ({ chats, folders }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction(['chats', 'folders'], 'readwrite');
    for (const c of chats) {
      tx.objectStore('chats').put({
        pinned: false, archived: false, folderId: null, tags: [], createdAt: c.updatedAt, currentId: null, models: [], system: '', params: {}, ...c,
      });
    }
    for (const f of folders) tx.objectStore('folders').put({ parentId: null, expanded: true, createdAt: 1, updatedAt: 1, ...f });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, { chats, folders });
  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
}

const HOUR = 3_600_000;
const item = (page: Page, title: string) => page.getByTestId('chat-list-item').filter({ hasText: title });
const titles = (page: Page) => page.getByTestId('chat-list-item').locator('a');
async function menu(page: Page, title: string, action: string): Promise<void> {
  await item(page, title).hover();
  await item(page, title).getByTestId('chat-menu').click();
  await page.getByTestId('chat-menu-panel').getByTestId(action).click();
}
const undo = (page: Page) => page.getByTestId('toast-action').last().click();

test('pin moves a chat to the top and survives a reload; rename; archive, the Archived view, unarchive', async ({ page }) => {
  await openApp(page);
  const now = Date.now();
  await seed(page, [
    { id: 'alpha', title: 'Alpha', updatedAt: now - 1 * HOUR },
    { id: 'beta', title: 'Beta', updatedAt: now - 2 * HOUR },
    { id: 'gamma', title: 'Gamma', updatedAt: now - 3 * HOUR },
  ]);
  await expect(titles(page)).toHaveText(['Alpha', 'Beta', 'Gamma']);

  // The menu works from the keyboard: arrows move, Enter picks.
  await item(page, 'Gamma').hover();
  await item(page, 'Gamma').getByTestId('chat-menu').click();
  await expect(page.getByTestId('chat-rename')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('chat-pin')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta']);
  await expect(item(page, 'Gamma')).toHaveAttribute('data-pinned', 'true');
  await expect(page.locator('.lib-heading').first()).toHaveText('Pinned');
  await page.reload();
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta']);

  await menu(page, 'Beta', 'chat-rename');
  await page.getByTestId('chat-rename-input').fill('  Beta   renamed ');
  await page.getByTestId('chat-rename-input').press('Enter');
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta renamed']);
  // Escape leaves the title as it was.
  await menu(page, 'Alpha', 'chat-rename');
  await page.getByTestId('chat-rename-input').fill('nope');
  await page.getByTestId('chat-rename-input').press('Escape');
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta renamed']);
  await page.reload();
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta renamed']);
  // Double-click on a title renames too; an empty title is refused with a notice and nothing changes.
  await item(page, 'Gamma').locator('a').dblclick();
  await page.getByTestId('chat-rename-input').fill('   ');
  await page.getByTestId('chat-rename-input').press('Enter');
  await expect(page.getByTestId('toast').filter({ hasText: 'cannot be empty' })).toBeVisible();
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta renamed']);

  await menu(page, 'Alpha', 'chat-archive');
  await expect(titles(page)).toHaveText(['Gamma', 'Beta renamed']);
  await page.getByTestId('archived-open').click();
  const dialog = page.getByTestId('archived-dialog');
  await expect(dialog.getByTestId('archived-item')).toHaveCount(1);
  await expect(dialog.getByTestId('archived-item')).toHaveAttribute('data-chat-id', 'alpha');
  await dialog.getByTestId('archived-unarchive').click();
  await expect(dialog.getByTestId('archived-empty')).toBeVisible();
  await dialog.getByTestId('archived-close').click();
  await expect(titles(page)).toHaveText(['Gamma', 'Alpha', 'Beta renamed']);

  // Archive all, then unarchive all from the Archived view.
  await page.getByTestId('archived-open').click();
  await dialog.getByTestId('archive-all').click();
  await expect(dialog.getByTestId('archived-item')).toHaveCount(3);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  await dialog.getByTestId('archived-unarchive-all').click();
  await expect(dialog.getByTestId('archived-empty')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(3);
});

test('folders: create, rename, drag a chat in, collapse, reload, move out by menu, delete with Undo', async ({ page }) => {
  await openApp(page);
  const now = Date.now();
  await seed(page, [
    { id: 'alpha', title: 'Alpha', updatedAt: now - 1 * HOUR },
    { id: 'beta', title: 'Beta', updatedAt: now - 2 * HOUR },
  ]);
  await page.getByTestId('folder-create').click();
  const input = page.getByTestId('folder-rename-input');
  await expect(input).toBeFocused();
  await input.fill('Work');
  await input.press('Enter');
  const folder = page.getByTestId('folder-item');
  await expect(folder).toContainText('Work');

  await item(page, 'Beta').dragTo(folder);
  await expect(folder.locator('.lib-count')).toHaveText('1');
  // The chat now shows inside the folder (indented, right under it).
  await expect(titles(page)).toHaveText(['Beta', 'Alpha']);
  // Dragged back onto the list outside any folder, it leaves the folder; and in again.
  await item(page, 'Beta').dragTo(page.locator('.lib-heading', { hasText: 'Today' }));
  await expect(folder.locator('.lib-count')).toHaveText('0');
  await expect(titles(page)).toHaveText(['Alpha', 'Beta']);
  await item(page, 'Beta').dragTo(folder);
  await expect(titles(page)).toHaveText(['Beta', 'Alpha']);

  // Rename from the folder's menu.
  await folder.hover();
  await folder.getByTestId('folder-menu').click();
  await page.getByTestId('folder-rename').click();
  await page.getByTestId('folder-rename-input').fill('Projects');
  await page.getByTestId('folder-rename-input').press('Enter');
  await expect(folder).toContainText('Projects');

  await folder.getByTestId('folder-toggle').click();
  await expect(folder).toHaveAttribute('aria-expanded', 'false');
  await expect(titles(page)).toHaveText(['Alpha']);
  await page.reload();
  await expect(page.getByTestId('folder-item')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('folder-item')).toContainText('Projects');
  await expect(titles(page)).toHaveText(['Alpha']);
  await page.getByTestId('folder-item').getByTestId('folder-toggle').click();
  await expect(titles(page)).toHaveText(['Beta', 'Alpha']);

  // Move to… (the way without dragging): Alpha into the folder, Beta out of it.
  await menu(page, 'Alpha', 'chat-move');
  await page.locator(`[data-testid="chat-move-target"][data-folder-id]:not([data-folder-id=""])`).click();
  await expect(folder.locator('.lib-count')).toHaveText('2');
  await menu(page, 'Beta', 'chat-move');
  await page.locator(`[data-testid="chat-move-target"][data-folder-id=""]`).click();
  await expect(folder.locator('.lib-count')).toHaveText('1');

  // Deleting the folder keeps its chats (at the top level); Undo puts the folder and its chat back.
  await folder.hover();
  await folder.getByTestId('folder-menu').click();
  await page.getByTestId('folder-delete').click();
  await expect(page.getByTestId('folder-item')).toHaveCount(0);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(2);
  await undo(page);
  await expect(page.getByTestId('folder-item').locator('.lib-count')).toHaveText('1');
});

test('tags: add, filter by tag, remove', async ({ page }) => {
  await openApp(page);
  const now = Date.now();
  await seed(page, [
    { id: 'alpha', title: 'Alpha', updatedAt: now - 1 * HOUR },
    { id: 'beta', title: 'Beta', updatedAt: now - 2 * HOUR },
  ]);
  await menu(page, 'Beta', 'chat-tags');
  const panel = page.getByTestId('chat-menu-panel');
  await panel.getByTestId('tag-input').fill('  Machine Learning ');
  await panel.getByTestId('tag-input').press('Enter');
  await expect(panel.getByTestId('chat-tag')).toHaveAttribute('data-tag', 'machine_learning');
  await panel.getByTestId('tag-input').fill('machine learning');
  await panel.getByTestId('tag-input').press('Enter');
  await expect(panel.getByTestId('chat-tag')).toHaveCount(1);
  await page.keyboard.press('Escape');

  await page.getByTestId('tag-filter').selectOption('machine_learning');
  await expect(titles(page)).toHaveText(['Beta']);
  await page.getByTestId('tag-filter').selectOption('');
  await expect(titles(page)).toHaveText(['Alpha', 'Beta']);

  await page.getByTestId('tag-filter').selectOption('machine_learning');
  await menu(page, 'Beta', 'chat-tags');
  await panel.getByTestId('tag-remove').click();
  await expect(panel.getByTestId('chat-tag')).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The filter's tag is gone from every chat: the filter lets go and the whole list shows.
  await expect(titles(page)).toHaveText(['Alpha', 'Beta']);
  await expect(page.getByTestId('tag-filter')).toBeDisabled();
});

test('select several: bulk delete with Undo, bulk archive, bulk move; Ctrl- and Shift-click', async ({ page }) => {
  await openApp(page);
  const now = Date.now();
  await seed(page, ['A', 'B', 'C', 'D', 'E'].map((t, i) => ({ id: `c${t}`, title: `Chat ${t}`, updatedAt: now - (i + 1) * HOUR })), [{ id: 'f1', name: 'Box' }]);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(5);

  await page.getByTestId('select-mode').click();
  await item(page, 'Chat A').getByTestId('chat-select').check();
  await item(page, 'Chat B').getByTestId('chat-select').check();
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await page.getByTestId('bulk-delete').click();
  await expect(titles(page)).toHaveText(['Chat C', 'Chat D', 'Chat E']);
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
  await undo(page);
  await expect(titles(page)).toHaveText(['Chat A', 'Chat B', 'Chat C', 'Chat D', 'Chat E']);
  await page.reload();
  await expect(titles(page)).toHaveText(['Chat A', 'Chat B', 'Chat C', 'Chat D', 'Chat E']);

  // Ctrl-click picks one, Shift-click the run up to another.
  await item(page, 'Chat B').locator('a').click({ modifiers: ['ControlOrMeta'] });
  await item(page, 'Chat D').locator('a').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.getByTestId('bulk-archive').click();
  await expect(titles(page)).toHaveText(['Chat A', 'Chat E']);

  await page.getByTestId('select-mode').click();
  await item(page, 'Chat A').getByTestId('chat-select').check();
  await item(page, 'Chat E').getByTestId('chat-select').check();
  await page.getByTestId('bulk-move').click();
  await page.locator('[data-testid="chat-move-target"][data-folder-id="f1"]').click();
  await expect(page.getByTestId('folder-item').locator('.lib-count')).toHaveText('2');
  await page.getByTestId('archived-open').click();
  await expect(page.getByTestId('archived-item')).toHaveCount(3);
});

test('time groups: Today, Yesterday, Previous 7 and 30 days, then months', async ({ page }) => {
  // A fixed clock (local time of this machine, as the browser's), so the headings are known.
  const now = new Date(2026, 10, 22, 12, 0).getTime();
  await page.clock.setFixedTime(now);
  await openApp(page);
  const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime();
  await seed(page, [
    { id: 't1', title: 'This morning', updatedAt: at(2026, 11, 22, 8) },
    { id: 't2', title: 'Last night', updatedAt: at(2026, 11, 21, 23) },
    { id: 't3', title: 'Monday', updatedAt: at(2026, 11, 17) },
    { id: 't4', title: 'Early November', updatedAt: at(2026, 11, 2) },
    { id: 't5', title: 'In September', updatedAt: at(2026, 9, 10) },
    { id: 't6', title: 'Last Christmas', updatedAt: at(2025, 12, 25) },
    { id: 't7', title: 'Pinned old', updatedAt: at(2024, 1, 1), pinned: true },
  ]);
  const rows = page.locator('.lib-row');
  await expect(rows).toHaveText([
    'Pinned', 'Pinned old',
    'Today', 'This morning', 'Yesterday', 'Last night', 'Previous 7 days', 'Monday', 'Previous 30 days', 'Early November',
    'September', 'In September', 'December 2025', 'Last Christmas',
  ]);
});

test('at 350 px the drawer holds the list, the menu fits on screen and works', async ({ page }) => {
  await page.setViewportSize({ width: 350, height: 700 });
  await openApp(page);
  await seed(page, [{ id: 'alpha', title: 'A chat with a rather long title that does not fit', updatedAt: Date.now() }]);
  await page.getByRole('button', { name: 'Open sidebar' }).click();
  const row = page.getByTestId('chat-list-item');
  await expect(row).toBeVisible();
  await row.hover();
  await row.getByTestId('chat-menu').click();
  const panel = page.getByTestId('chat-menu-panel');
  const box = (await panel.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(350);
  await panel.getByTestId('chat-pin').click();
  await expect(row).toHaveAttribute('data-pinned', 'true');
});

test('the search field shows search results in place of the list while it holds text; Escape clears it', async ({ page }) => {
  await openApp(page);
  await seed(page, [{ id: 'alpha', title: 'Alpha', updatedAt: Date.now() }]);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
  await page.getByTestId('chat-search').fill('alp');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  await expect(page.getByTestId('folder-create')).toHaveCount(0);
  await page.getByTestId('chat-search').press('Escape');
  await expect(page.getByTestId('chat-search')).toHaveValue('');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
});
