import { test, expect, openApp, addConnection, pickModel, send, lastAssistant, setupOpenAI } from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** "123 → 456 tokens · 38.2 tok/s · 0.41 s to first token", with no estimate marks. */
const FULL_LINE = /^(\d+) → (\d+) tokens · (\d+\.\d) tok\/s · (\d+\.\d+) s to first token$/;

async function usageLine(msg: Locator): Promise<RegExpMatchArray> {
  const usage = msg.getByTestId('message-usage');
  await expect(usage).toHaveText(FULL_LINE);
  const m = (await usage.innerText()).trim().match(FULL_LINE);
  if (!m) throw new Error('no usage line');
  return m;
}

/** After a reload the same chat shows the same line: it was stored, not only kept in memory. */
async function sameAfterReload(page: Page, testId: string, text: string): Promise<void> {
  await page.reload();
  const again = lastAssistant(page);
  await expect(again).toHaveAttribute('data-status', 'done');
  await expect(again.getByTestId(testId)).toHaveText(text);
}

test('an OpenAI answer shows the server’s token counts, a speed and the time to first token', async ({ page, fake }) => {
  // A real capture (usage 14 prompt / 30 completion tokens), its events 60 a second, 300 ms before the headers.
  fake.queue({ fixture: 'openai-text-include-usage', tokensPerSecond: 60, delayMs: 300 });
  await setupOpenAI(page, fake);
  await send(page, 'count for me');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'done');
  const [line, prompt, completion, rate, ttft] = await usageLine(msg);
  expect([prompt, completion]).toEqual(['14', '30']);
  // OpenAI gives no speed: 30 tokens over the measured first-token-to-end time, paced at 60/s.
  expect(Number(rate)).toBeGreaterThan(20);
  expect(Number(rate)).toBeLessThan(200);
  expect(Number(ttft)).toBeGreaterThanOrEqual(0.3);
  await expect(msg.getByTestId('message-usage')).toHaveAttribute('data-source', 'server');
  await sameAfterReload(page, 'message-usage', line!);
});

test('an Ollama answer shows tokens per second from eval_count / eval_duration', async ({ page, fake }) => {
  // A real capture: eval_count 22 in eval_duration 105,611,917 ns → 208.3 tok/s, whatever the
  // wall clock says; load + prompt eval = 66 ms to the first token.
  fake.queue({ fixture: 'ollama-chat-text' });
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await pickModel(page, 'llama3.2:latest');
  await send(page, 'hello ollama');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'done');
  const line = '16 → 22 tokens · 208.3 tok/s · 0.07 s to first token';
  await expect(msg.getByTestId('message-usage')).toHaveText(line);
  await sameAfterReload(page, 'message-usage', line);
});

test('a reasoning answer says “Thinking…” while it thinks and “Thought for N s” once done', async ({ page, fake }) => {
  fake.queue({
    reasoning: 'First I add the two numbers together, then I check the sum twice over to be sure of it.',
    reply: 'The answer is 4.',
    tokensPerSecond: 12,
  });
  await setupOpenAI(page, fake);
  await send(page, '2+2?');
  const msg = lastAssistant(page);
  const summary = msg.getByTestId('message-reasoning').locator('summary');
  await expect(summary).toHaveText('Thinking…');
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(summary).toHaveText(/^Thought for \d+\.\d s$/);
  const seconds = Number((await summary.innerText()).match(/(\d+\.\d)/)![1]);
  // About 20 reasoning tokens at 12 a second.
  expect(seconds).toBeGreaterThanOrEqual(0.5);
  expect(seconds).toBeLessThan(10);
  await expect(msg.getByTestId('message-usage')).toBeVisible();
  const text = await summary.innerText();
  await page.reload();
  await expect(lastAssistant(page).getByTestId('message-reasoning').locator('summary')).toHaveText(text);
});
