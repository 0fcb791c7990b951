import { test, expect, send, lastAssistant, setupOpenAI } from './fixtures';

test('killing the tab mid-stream leaves the message interrupted with its text', async ({ page, context, fake }) => {
  fake.queue({ tokens: 2000, tokensPerSecond: 30 });
  await setupOpenAI(page, fake);
  await send(page, 'then close the tab');
  const msg = lastAssistant(page);
  await expect.poll(async () => (await msg.getByTestId('message-content').innerText()).length).toBeGreaterThan(60);
  const url = page.url();
  await page.waitForTimeout(400);
  await page.close();

  const again = await context.newPage();
  await again.goto(url);
  const after = lastAssistant(again);
  await expect(after).toHaveAttribute('data-status', 'interrupted');
  expect((await after.getByTestId('message-content').innerText()).length).toBeGreaterThan(60);
});

test('a second tab does not mark a stream that the first tab is still running as interrupted', async ({ page, context, fake }) => {
  fake.queue({ tokens: 120, tokensPerSecond: 40 });
  await setupOpenAI(page, fake);
  await send(page, 'two tabs');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'streaming');

  const other = await context.newPage();
  await other.goto(page.url());
  const mirror = lastAssistant(other);
  await expect(mirror).toHaveAttribute('data-status', 'streaming');
  // The other tab follows the stream from IndexedDB, and sees it finish.
  await expect(msg).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(mirror).toHaveAttribute('data-status', 'done');
  expect(await mirror.getByTestId('message-content').innerText()).toBe(await msg.getByTestId('message-content').innerText());
});
