import { test, expect, send, lastAssistant, setupOpenAI, storedCounts as stored } from './fixtures';

test('a temporary chat answers, is marked, is never written to IndexedDB, and is gone on reload', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const toggle = page.getByTestId('temporary-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('temporary-banner')).toBeVisible();

  await send(page, 'keep this between us');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: keep this between us');
  // Regenerate works on the in-memory tree too.
  await lastAssistant(page).getByTestId('message-regenerate').click();
  await expect(page.getByTestId('branch-indicator')).toHaveText('2/2');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  // Still temporary after its first message, and not in the sidebar.
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);

  const s = await stored(page);
  expect(s.databases).toEqual(['parley']);
  expect(s).toMatchObject({ chats: 0, messages: 0, nodes: 0 });

  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await expect(page.getByTestId('message')).toHaveCount(0);
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('temporary-banner')).toHaveCount(0);
});

test('turning temporary off discards the chat; the next chat is stored as usual', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('temporary-toggle').click();
  await send(page, 'throwaway');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await page.getByTestId('temporary-toggle').click();
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('message')).toHaveCount(0);

  await send(page, 'keep this one');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
  await expect(page.getByTestId('temporary-toggle')).toHaveCount(0);
  expect(await stored(page)).toMatchObject({ chats: 1, messages: 2 });
});

test('leaving a temporary chat for a stored one discards it', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'stored chat');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await page.getByTestId('new-chat').click();
  await page.getByTestId('temporary-toggle').click();
  await send(page, 'temporary words');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: temporary words');
  await page.getByTestId('chat-list-item').first().locator('a').first().click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: stored chat');
  await expect(page.getByTestId('temporary-banner')).toHaveCount(0);
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('message')).toHaveCount(0);
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'false');
  expect(await stored(page)).toMatchObject({ chats: 1, messages: 2 });
});

test("Open WebUI's ?temporary-chat=true opens a temporary chat", async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.goto('/?temporary-chat=true');
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('temporary-banner')).toBeVisible();
  // Applied, then dropped from the address (a reload starts a stored chat again).
  await expect(page).toHaveURL(/\/$/);
  await send(page, 'from the sidebar');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  expect(await stored(page)).toMatchObject({ chats: 0, messages: 0 });
});
