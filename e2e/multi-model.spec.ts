import { test, expect, openApp, addConnection, openaiUrl, send, lastAssistant } from './fixtures';

test('two models answer side by side; the chat continues with the one chosen', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), name: 'Cloud' });
  await addConnection(page, { kind: 'ollama', url: fake.url, name: 'Local' });
  await page.getByTestId('model-select').click();
  await page.locator('[data-testid="model-option"][data-model-id="gpt-4o-mini"]').click();
  await page.getByTestId('model-select').click();
  await page.locator('[data-testid="model-option"][data-model-id="llama3.2:latest"]').getByTestId('model-add').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'gpt-4o-mini,llama3.2:latest');

  fake.setScenario('llama3.2:latest', { reply: 'Local says hi.' });
  await send(page, 'compare');
  const columns = page.getByTestId('answer-columns');
  await expect(columns.getByTestId('message')).toHaveCount(2);
  await expect(columns.locator('[data-testid="message"][data-model-id="gpt-4o-mini"]')).toHaveAttribute('data-status', 'done');
  await expect(columns.locator('[data-testid="message"][data-model-id="llama3.2:latest"]')).toHaveAttribute('data-status', 'done');
  const posts = fake.requests().filter((r) => r.method === 'POST');
  expect(posts.map((r) => r.path).sort()).toEqual(['/api/chat', '/v1/chat/completions']);

  // Continue with the second model's answer; the next question goes to both again, after it.
  await columns.getByTestId('answer-choose').click();
  await expect(page.locator('.answer-column[data-chosen="true"] [data-testid="message"]')).toHaveAttribute('data-model-id', 'llama3.2:latest');
  await send(page, 'next');
  await expect(page.getByTestId('answer-columns')).toHaveCount(2);
  await expect(page.getByTestId('answer-columns').last().getByTestId('message')).toHaveCount(2);
  await expect(page.getByTestId('answer-columns').last().locator('[data-status="done"]')).toHaveCount(2);
  const last = fake.requests().filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions').at(-1)!;
  const msgs = (last.body as { messages: Array<{ role: string; content: string }> }).messages;
  expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(msgs[1]!.content).toBe('Local says hi.');
  // Survives a reload.
  await page.reload();
  await expect(page.getByTestId('answer-columns')).toHaveCount(2);
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'gpt-4o-mini,llama3.2:latest');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
});
