import { test, expect, openApp } from './fixtures';
import { seedLongChat } from './seed-chat';

test('a long chat opens with its latest messages and brings older ones in as you scroll up, keeping your place', async ({ page }) => {
  await openApp(page);
  const id = await seedLongChat(page, 60, (i) => `Answer ${i}\n\n${'A line of prose. '.repeat(8)}\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\``);
  await page.goto(`/c/${id}`);
  const messages = page.getByTestId('message');
  await expect(messages.last().getByTestId('message-content')).toContainText('Answer 59');
  // The last few first, then the rest of the first window right after.
  await expect(messages).toHaveCount(48);
  await expect(page.getByTestId('messages-older')).toContainText('72 earlier messages');
  await expect(messages.last().getByTestId('message-content')).toBeInViewport();
  // Reading upwards: each step keeps the message the reader was looking at in view.
  const scroller = page.locator('.messages');
  for (let i = 0; i < 10 && (await messages.count()) < 120; i++) {
    const before = await messages.count();
    const topId = (await messages.first().getAttribute('data-message-id'))!;
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(async () => messages.count()).toBeGreaterThan(before);
    // The message that was at the top is still on screen, not thrown off by what came in above it.
    const place = await page.locator(`[data-message-id="${topId}"]`).evaluate((el) => {
      const box = el.getBoundingClientRect();
      const view = el.closest('.messages')!.getBoundingClientRect();
      return { top: box.top - view.top, height: view.height };
    });
    expect(place.top).toBeGreaterThanOrEqual(-1);
    expect(place.top).toBeLessThan(place.height);
  }
  await expect(messages).toHaveCount(120);
  await expect(messages.first().getByTestId('message-content')).toHaveText('Question 0');
  await expect(page.getByTestId('messages-older')).toHaveCount(0);
});
