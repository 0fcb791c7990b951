import { test, expect, openApp, addConnection, openaiUrl } from './fixtures';

const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;

test('each server’s models appear as soon as it answers: a hanging one delays nobody', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake, { hang: true }), name: 'Hanging', timeoutS: 20 });
  await addConnection(page, { kind: 'ollama', url: fake.url, name: 'Quick' });
  await page.reload();
  await page.getByTestId('model-select').click();
  // Well inside the hanging server's 20 s timeout.
  await expect(page.locator(option('llama3.2:latest'))).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId('model-group')).toHaveText([/Quick/]);
  await expect(page.locator('[data-testid="model-connection-error"]')).toHaveCount(0);
});

test('offline, the last known list is used and marked as such', async ({ page, context, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url, name: 'Box' });
  await page.getByTestId('model-select').click();
  await expect(page.locator(option('qwen3:0.6b'))).toBeVisible();
  await page.getByTestId('model-select').click();
  // The server goes away (every request to it fails, workers' requests included).
  await context.route(`${fake.url}/**`, (route) => route.abort('connectionrefused'));
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-refresh').click();
  await expect(page.getByTestId('model-group').filter({ hasText: 'Box' })).toContainText('offline · last known list');
  await expect(page.locator(option('qwen3:0.6b'))).toBeVisible();
  await page.reload();
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-refresh').click();
  await expect(page.getByTestId('model-group').filter({ hasText: 'Box' })).toContainText('offline');
  await expect(page.locator(option('llama3.2:latest'))).toBeVisible();
});

test('favourites go to the top and stay there after a reload; tags filter', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), name: 'Cloud', tags: ['paid'] });
  await addConnection(page, { kind: 'ollama', url: fake.url, name: 'Local', tags: ['free'] });
  await page.getByTestId('model-select').click();
  await expect(page.getByTestId('model-option')).toHaveCount(4);
  await page.locator(option('qwen3:0.6b')).getByTestId('model-favorite').click();
  await expect(page.getByTestId('model-group').first()).toHaveText(/Favourites/);
  await expect(page.getByTestId('model-option').first()).toHaveAttribute('data-model-id', 'qwen3:0.6b');
  await page.locator('[data-testid="model-tag"][data-tag="paid"]').click();
  await expect(page.getByTestId('model-option')).toHaveCount(2);
  await page.locator('[data-testid="model-tag"][data-tag="paid"]').click();
  await page.getByTestId('model-search').fill('#free llama');
  await expect(page.getByTestId('model-option')).toHaveCount(1);
  await page.reload();
  await page.getByTestId('model-select').click();
  await expect(page.getByTestId('model-option').first()).toHaveAttribute('data-model-id', 'qwen3:0.6b');
  await expect(page.locator(option('qwen3:0.6b')).getByTestId('model-favorite')).toHaveAttribute('aria-pressed', 'true');
});

test('keyboard: type, arrows and Enter pick a model; the default model setting starts new chats with it', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill('l');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'llama3.2:latest');
  await page.getByTestId('settings-open').click();
  await page.getByTestId('default-model-select').click();
  await page.getByTestId('model-search').fill('qwen');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('default-model-select')).toHaveAttribute('data-model-id', 'qwen3:0.6b');
  // The choice is written in the background: a reload before it is stored would lose it (the
  // write also records the change for sync, in the same transaction), so wait for it first.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<unknown>((resolve, reject) => {
            const r = indexedDB.open('parley');
            r.onerror = () => reject(r.error);
            r.onsuccess = () => {
              const q = r.result.transaction('settings').objectStore('settings').get('defaultModel');
              q.onsuccess = () => (resolve((q.result as { value?: { id?: string } } | undefined)?.value?.id), r.result.close());
              q.onerror = () => reject(q.error);
            };
          }),
      ),
    )
    .toBe('qwen3:0.6b');
  await page.reload();
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'qwen3:0.6b');
});

