import { test, expect, openApp, setupOpenAI, pickModel, send, lastAssistant } from './fixtures';
import { seedLongChat } from './seed-chat';

const answer = (i: number) => `Answer ${i}\n\n${'A line of prose. '.repeat(8)}\n\n\`\`\`js\nconst x${i} = ${i};\n\`\`\``;

test('a long chat opens with its latest messages and brings older ones in as you scroll up, keeping your place', async ({ page }) => {
  await openApp(page);
  const id = await seedLongChat(page, 60, answer);
  await page.goto(`/c/${id}`);
  const messages = page.getByTestId('message');
  const slots = page.locator('.msg-slot');
  await expect(messages.last().getByTestId('message-content')).toContainText('Answer 59');
  await expect(messages.last().getByTestId('message-content')).toBeInViewport();
  await expect(page.getByTestId('messages-older')).toContainText(/\d+ earlier messages/);
  const hidden = Number((await page.getByTestId('messages-older').textContent())!.match(/\d+/)![0]);
  expect(hidden).toBeGreaterThan(0);
  expect(hidden + (await slots.count())).toBe(120);
  // Reading upwards: each step keeps the message the reader was looking at in view.
  const scroller = page.locator('.messages');
  for (let i = 0; i < 60 && (await page.getByTestId('messages-older').count()) > 0; i++) {
    const before = await slots.count();
    const topId = (await slots.first().getAttribute('data-slot'))!;
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    await expect.poll(async () => slots.count()).toBeGreaterThan(before);
    // The message that was at the top is still on screen, not thrown off by what came in above it.
    const place = await page.locator(`[data-slot="${topId}"]`).evaluate((el) => {
      const box = el.getBoundingClientRect();
      const view = el.closest('.messages')!.getBoundingClientRect();
      return { top: box.top - view.top, height: view.height };
    });
    expect(place.top).toBeGreaterThanOrEqual(-1);
    expect(place.top).toBeLessThan(place.height);
  }
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await expect(slots).toHaveCount(120);
  await expect(messages.first().getByTestId('message-content')).toHaveText('Question 0');
  await expect(page.getByTestId('messages-older')).toHaveCount(0);
});

test('messages far from the screen give up their content and keep their height; coming back renders them again', async ({ page }) => {
  await openApp(page);
  const id = await seedLongChat(page, 60, answer);
  await page.goto(`/c/${id}`);
  const scroller = page.locator('.messages');
  const slots = page.locator('.msg-slot');
  await expect(page.getByTestId('message').last()).toContainText('Answer 59');
  // Load everything by going to the top (block by block; slow when the machine is busy).
  await expect.poll(async () => {
    await scroller.evaluate((el) => { el.scrollTop = 0; });
    return slots.count();
  }, { timeout: 30_000 }).toBe(120);
  // The last block of older messages may join after the poll's scroll and keep the reader's
  // place (scrollTop grows by its height): go to the top once more, now that all are there.
  await scroller.evaluate((el) => { el.scrollTop = 0; });
  await expect(page.getByTestId('message').first()).toContainText('Question 0');
  const last = page.locator(`[data-slot="${id}-a59"]`);
  // At the top, the end of the chat is an empty box as tall as the answer was.
  await expect(last.getByTestId('message')).toHaveCount(0);
  expect(await page.getByTestId('message').count()).toBeLessThan(120);
  expect(await last.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThan(50);
  const height = await scroller.evaluate((el) => el.scrollHeight);
  // Back at the bottom: the answer is there again, and the chat is as tall as before.
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(last.getByTestId('message-content')).toContainText('Answer 59');
  await expect(last.getByTestId('message-content')).toBeInViewport();
  expect(Math.abs((await scroller.evaluate((el) => el.scrollHeight)) - height)).toBeLessThan(4);
  await expect(page.locator(`[data-slot="${id}-q0"]`).getByTestId('message')).toHaveCount(0);
});

test('a chat stored without its tree rows (an older version, another writer) still opens, whole', async ({ page }) => {
  await openApp(page);
  const id = await seedLongChat(page, 5, (i) => `Plain answer ${i}`, { nodes: false });
  await page.goto(`/c/${id}`);
  const messages = page.getByTestId('message');
  await expect(messages).toHaveCount(10);
  await expect(messages.first()).toContainText('Question 0');
  await expect(messages.last()).toContainText('Plain answer 4');
});

test('a new turn in a long chat streams at its end and nothing drops off the top', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const id = await seedLongChat(page, 60, answer);
  await page.goto(`/c/${id}`);
  const slots = page.locator('.msg-slot');
  await expect(page.getByTestId('message').last()).toContainText('Answer 59');
  await expect(page.getByTestId('messages-older')).toBeVisible();
  // The window may still grow for a moment after the last message shows (seen in CI once traces
  // stopped slowing every step: 106 earlier messages, then 100): read it once it holds still.
  const view = async () => `${await page.getByTestId('messages-older').textContent()}|${await slots.count()}|${await slots.first().getAttribute('data-slot')}`;
  let settled = '';
  await expect
    .poll(async () => {
      const before = await view();
      await page.waitForTimeout(400);
      settled = await view();
      return settled === before;
    })
    .toBe(true);
  const [older, shownText, top] = settled.split('|');
  const shown = Number(shownText);
  await pickModel(page, 'gpt-4o-mini');
  fake.queue({ reply: 'A fresh answer at the end.', tokensPerSecond: 40 });
  await send(page, 'One more question');
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('A fresh answer at the end.');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page)).toBeInViewport();
  await expect(slots).toHaveCount(shown + 2);
  await expect(slots.first()).toHaveAttribute('data-slot', top!);
  await expect(page.getByTestId('messages-older')).toHaveText(older!);
  // The request carried the whole branch: 120 seeded messages and the new question.
  const body = fake.requests().filter((r) => r.method === 'POST').at(-1)!.body as { messages: unknown[] };
  expect(body.messages).toHaveLength(121);
});
