import { test as base, expect, type Page, type Locator } from '@playwright/test';
import { startFakeLlm, type FakeLlm } from './fake-llm/server';

/**
 * Every test gets a fresh browser context (so a fresh IndexedDB and service worker) and the
 * worker's fake model server, reset to its defaults.
 */
export const test = base.extend<{ fakeReset: void; cspGuard: void }, { fake: FakeLlm }>({
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
  // The built app carries a strict Content-Security-Policy: every test also checks that nothing
  // it did was refused by it (Chromium reports each refusal on the console).
  cspGuard: [
    async ({ context }, use) => {
      const refused: string[] = [];
      context.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
      });
      await use();
      expect(refused, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
}

export interface ConnectionFields {
  kind: 'openai' | 'ollama';
  url: string;
  key?: string;
  name?: string;
  azure?: boolean;
  apiVersion?: string;
  authType?: 'bearer' | 'none';
  modelIds?: string[];
  prefixId?: string;
  tags?: string[];
  headers?: string;
  timeoutS?: number;
}

/** Fills the connection form (add or edit) with whatever fields are given. */
export async function fillConnectionForm(page: Page, c: Partial<ConnectionFields>): Promise<void> {
  const form = page.getByTestId('connection-form');
  if (c.kind) await form.getByTestId('connection-kind').selectOption(c.kind);
  if (c.name !== undefined) await form.getByTestId('connection-name').fill(c.name);
  if (c.url !== undefined) await form.getByTestId('connection-url').fill(c.url);
  if (c.azure !== undefined) await form.getByTestId('connection-azure').setChecked(c.azure);
  if (c.apiVersion !== undefined) await form.getByTestId('connection-api-version').fill(c.apiVersion);
  if (c.key !== undefined) await form.getByTestId('connection-key').fill(c.key);
  if (c.authType) await form.getByTestId('connection-auth').selectOption(c.authType);
  if (c.modelIds) await form.getByTestId('connection-model-ids').fill(c.modelIds.join('\n'));
  if (c.prefixId !== undefined) await form.getByTestId('connection-prefix').fill(c.prefixId);
  if (c.tags) await form.getByTestId('connection-tags').fill(c.tags.join(', '));
  if (c.headers !== undefined) await form.getByTestId('connection-headers').fill(c.headers);
  if (c.timeoutS !== undefined) await form.getByTestId('connection-timeout').fill(String(c.timeoutS));
}

export async function addConnection(page: Page, c: ConnectionFields): Promise<Locator> {
  await page.getByTestId('settings-open').click();
  const before = await page.getByTestId('connection-item').count();
  await page.getByTestId('connection-add').click();
  await fillConnectionForm(page, c);
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

/** What the browser's real IndexedDB holds: every database's name, and Parley's chats and messages. */
export async function storedCounts(page: Page): Promise<{ databases: string[]; chats: number; messages: number; nodes: number }> {
  return page.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((d) => d.name ?? '');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const count = (name: string) =>
      new Promise<number>((resolve, reject) => {
        const r = db.transaction(name).objectStore(name).count();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out = { databases, chats: await count('chats'), messages: await count('messages'), nodes: await count('nodes') };
    db.close();
    return out;
  });
}
