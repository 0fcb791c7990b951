import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, send, lastAssistant, setupOpenAI } from './fixtures';
import { DEFAULT_FIXTURES_DIR } from './fake-llm/server';

/** Real captures of each wire form of reasoning, replayed byte for byte by the fake server. */
const CAPTURES = [
  'deepseek-reasoner-reasoning-content', // reasoning_content
  'ollama-v1-reasoning-include-usage', // reasoning (Ollama /v1)
  'mistral-magistral-content-array-thinking', // Mistral thinking content parts
  'together-deepseek-r1-think-tags', // inline <think> tags
  'alibaba-qwen-reasoning',
];

// One app for the five captures (a setup each cost ~5 s of the suite); each goes in a new chat.
test('reasoning from each capture is folded away, timed, and never sent back', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  for (const name of CAPTURES) {
    await test.step(name, async () => {
      const expected = (JSON.parse(readFileSync(path.join(DEFAULT_FIXTURES_DIR, 'streams', `${name}.json`), 'utf8')) as { expected: { text: string; reasoning?: string } }).expected;
      await page.getByTestId('new-chat').click();
      await expect(page.locator('[data-testid="message"]')).toHaveCount(0);
      fake.queue({ fixture: name });
      await send(page, 'think first');
      const answer = lastAssistant(page);
      await expect(answer).toHaveAttribute('data-status', 'done');
      const reasoning = answer.getByTestId('message-reasoning');
      await expect(reasoning).toHaveCount(1);
      await expect(reasoning.locator('summary')).toContainText(/Thought for|Reasoning/);
      const shown = (await answer.getByTestId('message-content').textContent()) ?? '';
      expect(shown).not.toContain('<think>');
      // The first words of the reasoning are in the block, not in the answer.
      expect(expected.reasoning || expected.text).toBeTruthy();
      const firstWords = (expected.reasoning || expected.text.replace(/^[\s\S]*?<think>\s*/, '')).trim().split(/\s+/).slice(0, 3).join(' ');
      await reasoning.locator('summary').click();
      await expect(reasoning).toContainText(firstWords);
      expect(shown).not.toContain(firstWords);

      await send(page, 'and then?');
      await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
      await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(2);
      const follow = fake.requests().filter((r) => r.method === 'POST').at(-1)!;
      const sent = JSON.stringify((follow.body as { messages: unknown[] }).messages);
      expect(sent).not.toContain(firstWords);
    });
  }
});
