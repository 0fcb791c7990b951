import { test, expect, send, lastAssistant, setupOpenAI, openApp } from './fixtures';
import { seedLongChat } from './seed-chat';

test('a word only in a message body is found, marked, and the result jumps to that message', async ({ page }) => {
  await openApp(page);
  const chatId = await seedLongChat(page, 40, (i) => (i === 12 ? 'Deep in here: the <b>platypus</b> swims at night.' : `Answer ${i} about otters.`));
  const search = page.getByTestId('chat-search');
  await search.fill('platyp');
  const hit = page.locator(`[data-testid="search-result"][data-message-id="${chatId}-a12"]`);
  await expect(hit).toBeVisible();
  await expect(hit.locator('mark')).toHaveText(['platypus']);
  // Markup in a message is shown as text, never rendered.
  await expect(hit).toContainText('<b>platypus</b>');
  await expect(page.getByTestId('search-status')).toHaveText('1 message in 1 chat');
  // The title ("A long chat") has no match: only the message result is marked.
  await expect(page.locator(`[data-testid="search-result"][data-chat-id="${chatId}"]:not([data-message-id]) mark`)).toHaveCount(0);
  await hit.click();
  const target = page.locator(`[data-testid="message"][data-message-id="${chatId}-a12"]`);
  await expect(target).toBeInViewport();
  await expect(page.locator(`[data-testid="message"][data-message-id="${chatId}-a39"]`)).not.toBeInViewport();
});

test('keyboard: ↓ then Enter opens the first result; title matches come first', async ({ page }) => {
  await openApp(page);
  const chatId = await seedLongChat(page, 3, (i) => `Answer ${i}: a long chat indeed.`);
  const search = page.getByTestId('chat-search');
  await search.fill('long chat');
  const first = page.getByTestId('search-result').first();
  await expect(first).toHaveAttribute('data-chat-id', chatId);
  await expect(first).not.toHaveAttribute('data-message-id');
  await expect(first.locator('mark')).toHaveText(['long', 'chat']);
  await search.press('ArrowDown');
  await expect(first).toHaveClass(/active/);
  await search.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/c/${chatId}$`));
});

test('a chat sent after the index was built is found; a deleted chat disappears; "No results"', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const search = page.getByTestId('chat-search');
  // Build the index first (the search worker starts when the field is focused).
  await search.fill('wombat');
  await expect(page.getByTestId('search-status')).toHaveText('No results');
  await search.fill('');

  await send(page, 'tell me about wombats please');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chatId = new URL(page.url()).pathname.split('/').pop()!;
  const answerId = (await lastAssistant(page).getAttribute('data-message-id'))!;

  await search.fill('wombats');
  // The question and the finished answer ("You said: …") are both found.
  await expect(page.locator(`[data-testid="search-result"][data-message-id="${answerId}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="search-result"][data-message-id="${answerId}"] mark`)).toHaveText(['wombats']);
  await expect(page.getByTestId('search-status')).toHaveText('2 messages in 1 chat');

  await search.fill('');
  const item = page.getByTestId('chat-list-item').filter({ hasText: 'wombats' });
  await item.hover();
  await item.getByTestId('chat-delete').click();
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  await search.fill('wombats');
  await expect(page.getByTestId('search-status')).toHaveText('No results');
  await expect(page.locator(`[data-testid="search-result"][data-chat-id="${chatId}"]`)).toHaveCount(0);
});
