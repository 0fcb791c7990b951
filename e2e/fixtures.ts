import { test as base, expect, type Page, type Locator } from '@playwright/test';
import { startFakeLlm, type FakeLlm } from './fake-llm/server';

/**
 * Every test gets a fresh browser context (so a fresh IndexedDB and service worker) and the
 * worker's fake model server, reset to its defaults.
 */
export const test = base.extend<{ fakeReset: void }, { fake: FakeLlm }>({
  fake: [
    async ({}, use) => {
      const fake = await startFakeLlm({ port: 0 });
      await use(fake);
      await fake.close();
    },
    { scope: 'worker' },
  ],
  fakeReset: [
    async ({ fake }, use) => {
      fake.reset();
      await use();
    },
    { auto: true },
  ],
});
export { expect };

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
}

export async function addConnection(page: Page, c: { kind: 'openai' | 'ollama'; url: string; key?: string }): Promise<Locator> {
  await page.getByTestId('settings-open').click();
  const before = await page.getByTestId('connection-item').count();
  await page.getByTestId('connection-add').click();
  await page.getByTestId('connection-kind').selectOption(c.kind);
  await page.getByTestId('connection-url').fill(c.url);
  if (c.key) await page.getByTestId('connection-key').fill(c.key);
  await page.getByTestId('connection-save').click();
  await expect(page.getByTestId('connection-item')).toHaveCount(before + 1);
  const item = page.getByTestId('connection-item').nth(before);
  await page.getByRole('button', { name: 'Close settings' }).click();
  return item;
}

export async function pickModel(page: Page, id: string): Promise<void> {
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill(id);
  await page.locator(`[data-testid="model-option"][data-model-id="${id}"]`).first().click();
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', id);
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
}

export function lastAssistant(page: Page): Locator {
  return page.locator('[data-testid="message"][data-role="assistant"]').last();
}

/** An OpenAI-kind connection through the fake server, optionally with a URL-prefix scenario. */
export function openaiUrl(fake: FakeLlm, scenario?: object): string {
  return scenario ? `${fake.url}/x/${encodeURIComponent(JSON.stringify(scenario))}/v1` : `${fake.url}/v1`;
}

export async function setupOpenAI(page: Page, fake: FakeLlm, model = 'gpt-4o-mini'): Promise<void> {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, model);
}
