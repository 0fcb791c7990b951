import { test, expect, send, lastAssistant, setupOpenAI } from './fixtures';

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

test('offline: the app shell and all chats load from the service worker and IndexedDB', async ({ page, context, fake }) => {
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
  await context.setOffline(false);
});
