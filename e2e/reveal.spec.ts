import { test, expect, send, lastAssistant, setupOpenAI, openApp } from './fixtures';
import { seedLongChat } from './seed-chat';

/**
 * Records each message that gets the (2.5 s) 'revealed' flash, with the number of ranges in the
 * search highlight at that moment: on a busy machine a poll of the class itself can miss it.
 */
async function watchReveals(page: import('@playwright/test').Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { id: string; highlights: number }[] = [];
    Object.assign(window, { __reveals: seen });
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (el.classList?.contains('revealed') && !/\brevealed\b/.test(r.oldValue ?? '') && el.dataset.messageId) {
          const h = (CSS as unknown as { highlights: Map<string, { size: number }> }).highlights.get('parley-reveal');
          seen.push({ id: el.dataset.messageId, highlights: h?.size ?? 0 });
        }
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'], attributeOldValue: true });
  });
}
const reveals = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { __reveals: { id: string; highlights: number }[] }).__reveals);

/** What a search result does when clicked: open the chat, then ask for the message. */
async function reveal(page: import('@playwright/test').Page, chatId: string, messageId: string, query?: string): Promise<void> {
  await page.evaluate(({ chatId, messageId, query }) => {
    history.pushState(null, '', `/c/${chatId}`);
    dispatchEvent(new PopStateEvent('popstate'));
    dispatchEvent(new CustomEvent('parley:reveal-message', { detail: { chatId, messageId, query } }));
  }, { chatId, messageId, query });
}

test('a message far up a long chat is brought into view and marked', async ({ page }) => {
  await openApp(page);
  const chatId = await seedLongChat(page, 300, (i) => `Answer number ${i}: the ${i % 7 === 3 ? 'platypus' : 'otter'} swims.`);
  await watchReveals(page);
  await reveal(page, chatId, `${chatId}-a3`, 'platypus');
  const target = page.locator(`[data-testid="message"][data-message-id="${chatId}-a3"]`);
  await expect(target).toBeInViewport();
  // Flashed, and the searched word marked (CSS highlight, one range), without touching the message's DOM.
  await expect.poll(() => reveals(page)).toEqual([{ id: `${chatId}-a3`, highlights: 1 }]);
  await expect(target.getByTestId('message-content')).toContainText('Answer number 3: the platypus swims.');
  // The chat did not jump back to its end.
  await expect(page.locator(`[data-testid="message"][data-message-id="${chatId}-a299"]`)).not.toBeInViewport();
});

test('a message on another branch switches the chat to that branch', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'pick a branch');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const firstId = (await lastAssistant(page).getAttribute('data-message-id'))!;
  await lastAssistant(page).getByTestId('message-regenerate').click();
  await expect(page.getByTestId('branch-indicator')).toHaveText('2/2');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chatId = new URL(page.url()).pathname.split('/').pop()!;

  await page.getByTestId('new-chat').click();
  await reveal(page, chatId, firstId);
  await expect(page.getByTestId('branch-indicator')).toHaveText('1/2');
  await expect(page.locator(`[data-testid="message"][data-message-id="${firstId}"]`)).toBeInViewport();
});
