import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect, openApp, addConnection, openaiUrl } from './fixtures';

const KEY = 'sk-test-transfer-4321';

/** Clicks Export in the open settings and returns the downloaded file's name and parsed JSON. */
async function exportFile(page: Page, includeKeys: boolean): Promise<{ name: string; text: string; json: { connections: Array<Record<string, unknown>> } }> {
  const box = page.getByTestId('connections-export-keys');
  await expect(box).not.toBeChecked();
  if (includeKeys) {
    await box.check();
    await expect(page.getByText('API keys in plain text')).toBeVisible();
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('connections-export').click()]);
  const path = await download.path();
  const text = await readFile(path, 'utf8');
  return { name: download.suggestedFilename(), text, json: JSON.parse(text) };
}

async function expectModelInPicker(page: Page, id: string): Promise<void> {
  await page.getByTestId('model-select').click();
  await expect(page.locator(`[data-testid="model-option"][data-model-id="${id}"]`).first()).toBeVisible();
  await page.keyboard.press('Escape');
}

test('export leaves the key out unless the box is ticked, and never logs it', async ({ page, fake }) => {
  const logged: string[] = [];
  page.on('console', (m) => logged.push(m.text()));
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: KEY });
  await page.getByTestId('settings-open').click();

  const without = await exportFile(page, false);
  expect(without.name).toMatch(/^parley-connections-\d{4}-\d{2}-\d{2}\.json$/);
  expect(without.json.connections).toHaveLength(1);
  expect(without.json.connections[0]).toMatchObject({ kind: 'openai', url: openaiUrl(fake) });
  expect(without.json.connections[0]).not.toHaveProperty('key');
  expect(without.text).not.toContain(KEY);

  const withKeys = await exportFile(page, true);
  expect(withKeys.json.connections[0]).toMatchObject({ url: openaiUrl(fake), key: KEY });
  expect(logged.join('\n')).not.toContain(KEY);
});

test('an exported file brings the connection and its models back in a fresh browser', async ({ page, fake, browser }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: KEY });
  await page.getByTestId('settings-open').click();
  const exported = await exportFile(page, true);

  // A new context has its own, empty IndexedDB: nothing is shared with the first page.
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin });
  try {
    const fresh = await context.newPage();
    await openApp(fresh);
    await fresh.getByTestId('settings-open').click();
    await expect(fresh.getByTestId('connection-item')).toHaveCount(0);
    await fresh.getByTestId('connections-import-file').setInputFiles({ name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.text) });
    const report = fresh.getByTestId('connections-import-report');
    await expect(report).toHaveAttribute('data-status', 'ok');
    await expect(report).toHaveText('Imported 1 connection.');
    await expect(fresh.getByTestId('connection-item')).toHaveCount(1);
    // The model list was refreshed after the import: the item shows the server's status without a click.
    await expect(fresh.getByTestId('connection-item')).toHaveAttribute('data-status', 'ok');
    await fresh.getByRole('button', { name: 'Close settings' }).click();
    await expectModelInPicker(fresh, 'gpt-4o-mini');
    // The imported key is the one the server sees.
    expect(fake.requests().filter((r) => r.path === '/v1/models').at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  } finally {
    await context.close();
  }
});

test('a malformed or hostile file is reported and changes nothing', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: KEY });
  await page.getByTestId('settings-open').click();
  const items = page.getByTestId('connection-item');
  const id = await items.first().getAttribute('data-connection-id');
  const report = page.getByTestId('connections-import-report');
  const input = page.getByTestId('connections-import-file');

  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "parley-connections", "conn') });
  await expect(report).toHaveAttribute('data-status', 'error');
  await expect(report).toContainText('broken.json is not a JSON file');

  await input.setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"users": [{"name": "a"}]}') });
  await expect(report).toContainText('not a connections file');
  await expect(report).toHaveAttribute('data-status', 'error');

  const hostile = { format: 'parley-connections', version: 1, connections: [{ id, kind: 'openai', url: 'javascript:alert(1)', name: '<img src=x onerror=alert(1)>' }] };
  await input.setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
  await expect(report).toHaveAttribute('data-status', 'error');
  await expect(report).toContainText('Nothing was imported. Skipped 1: connection 1 (<img src=x onerror=alert(1)>)');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAttribute('data-connection-id', id ?? '');
  await expect(items.first()).toContainText(openaiUrl(fake));
});

test("Open WebUI's config export imports its OpenAI and Ollama connections", async ({ page, fake }) => {
  await openApp(page);
  await page.getByTestId('settings-open').click();
  // Shaped like Open WebUI's Admin › Settings › Database › Export config file (hand-written).
  const config = {
    version: 0,
    ui: { default_models: 'gpt-4o-mini' },
    openai: {
      enable: true,
      api_base_urls: [openaiUrl(fake)],
      api_keys: ['sk-owui-1'],
      api_configs: { '0': { enable: true, tags: [{ name: 'fake' }], prefix_id: '', model_ids: [], connection_type: 'external', auth_type: 'bearer' } },
    },
    ollama: { enable: true, base_urls: [fake.url], api_configs: { '0': { enable: true, tags: [], prefix_id: '', model_ids: [], connection_type: 'local' } } },
  };
  await page.getByTestId('connections-import-file').setInputFiles({ name: 'config-1717000000000.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
  const report = page.getByTestId('connections-import-report');
  await expect(report).toHaveAttribute('data-status', 'ok');
  await expect(report).toHaveText('Imported 2 connections.');
  await expect(page.getByTestId('connection-item')).toHaveCount(2);
  for (const item of await page.getByTestId('connection-item').all()) await expect(item).toHaveAttribute('data-status', 'ok');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expectModelInPicker(page, 'gpt-4o-mini');
  await expectModelInPicker(page, 'llama3.2:latest');
});
