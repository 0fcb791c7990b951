import { test, expect, send, lastAssistant, setupOpenAI } from './fixtures';
import type { Page } from '@playwright/test';

const answers = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]');
const questions = (page: Page) => page.locator('[data-testid="message"][data-role="user"]');

async function sendAndWait(page: Page, text: string): Promise<void> {
  const before = await answers(page).count();
  await send(page, text);
  await expect(answers(page)).toHaveCount(before + 1);
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
}

test('regenerate keeps the old answer one ‹ › away, also after a reload', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  fake.queue({ reply: 'First answer.' });
  await sendAndWait(page, 'hello');
  fake.queue({ reply: 'Second answer.' });
  await lastAssistant(page).getByTestId('message-regenerate').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('Second answer.');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('branch-indicator')).toHaveText('2/2');
  await lastAssistant(page).getByTestId('branch-prev').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('First answer.');
  await expect(lastAssistant(page).getByTestId('branch-indicator')).toHaveText('1/2');
  await page.reload();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('First answer.');
  await lastAssistant(page).getByTestId('branch-next').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('Second answer.');
  // Both requests carried the same question only.
  const bodies = fake.requests().filter((r) => r.method === 'POST').map((r) => (r.body as { messages: unknown[] }).messages);
  expect(bodies).toHaveLength(2);
  expect(bodies[1]).toEqual(bodies[0]);
});

test('editing a question sends a new branch; the old branch stays whole', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await sendAndWait(page, 'one');
  await sendAndWait(page, 'two');
  await questions(page).first().hover();
  await questions(page).first().getByTestId('message-edit').click();
  await page.getByTestId('message-edit-input').fill('uno');
  await page.getByTestId('message-edit-save').click();
  await expect(answers(page)).toHaveCount(1);
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said: uno');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(questions(page).first().getByTestId('branch-indicator')).toHaveText('2/2');
  await questions(page).first().getByTestId('branch-prev').click();
  await expect(questions(page)).toHaveCount(2);
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said: two');
  const last = fake.requests().filter((r) => r.method === 'POST').at(-1)!;
  expect((last.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'uno' }]);
});

test('an answer is corrected in place without a request; a cut-off one continues in the same message', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  fake.queue({ reply: 'The list: one, two', finishReason: 'length' });
  await sendAndWait(page, 'count');
  await expect(lastAssistant(page)).toHaveAttribute('data-finish-reason', 'length');
  fake.queue({ reply: ', three.' });
  await lastAssistant(page).getByTestId('message-continue').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('The list: one, two, three.');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(answers(page)).toHaveCount(1);
  const cont = fake.requests().filter((r) => r.method === 'POST').at(-1)!;
  expect((cont.body as { messages: Array<{ role: string; content: string }> }).messages.at(-1)).toEqual({ role: 'assistant', content: 'The list: one, two' });

  const posts = fake.requests().filter((r) => r.method === 'POST').length;
  await lastAssistant(page).getByTestId('message-edit').click();
  await page.getByTestId('message-edit-input').fill('Corrected by hand.');
  await page.getByTestId('message-edit-save').click();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Corrected by hand.');
  await page.reload();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('Corrected by hand.');
  expect(fake.requests().filter((r) => r.method === 'POST')).toHaveLength(posts);
});

test('delete removes a message and what follows; Undo brings it all back', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await sendAndWait(page, 'keep');
  await sendAndWait(page, 'drop');
  await questions(page).nth(1).getByTestId('message-delete').click();
  await expect(page.getByTestId('message')).toHaveCount(2);
  await page.getByTestId('toast-action').click();
  await expect(page.getByTestId('message')).toHaveCount(4);
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said: drop');
  await questions(page).nth(1).getByTestId('message-delete').click();
  await expect(page.getByTestId('message')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('message')).toHaveCount(2);
});

test('the regenerate-last shortcut event regenerates the last answer', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await sendAndWait(page, 'hi');
  await page.evaluate(() => window.dispatchEvent(new CustomEvent('parley:regenerate-last')));
  await expect(lastAssistant(page).getByTestId('branch-indicator')).toHaveText('2/2');
});

test('each chat has its own address /c/<id> that opens it directly (old #/c/ links too)', async ({ page, context, fake }) => {
  await setupOpenAI(page, fake);
  await sendAndWait(page, 'remember me');
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+$/);
  const url = page.url();
  const id = url.split('/c/')[1]!;
  const other = await context.newPage();
  await other.goto(url);
  await expect(lastAssistant(other).getByTestId('message-content')).toContainText('You said: remember me');
  await other.goto(`/#/c/${id}`);
  await expect(lastAssistant(other).getByTestId('message-content')).toContainText('You said: remember me');
  await page.getByTestId('new-chat').click();
  await expect(page).toHaveURL(/\/$/);
  await page.goBack();
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said: remember me');
});
