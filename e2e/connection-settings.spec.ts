import { test, expect, openApp, addConnection, fillConnectionForm, pickModel, send, lastAssistant, openaiUrl, type ConnectionFields } from './fixtures';
import type { Page } from '@playwright/test';

/** Adds a connection, opens Settings, presses Verify and returns the status text. */
async function verifyText(page: Page, c: ConnectionFields): Promise<string> {
  const item = await addConnection(page, c);
  await page.getByTestId('settings-open').click();
  await item.getByTestId('connection-verify').click();
  await expect(item).toHaveAttribute('data-status', 'error');
  const text = (await item.getByTestId('connection-status').textContent()) ?? '';
  await page.getByRole('button', { name: 'Close settings' }).click();
  return text;
}

test('verify says, for each way a server fails, what happened and what to do', async ({ page, fake }) => {
  await openApp(page);
  expect(await verifyText(page, { kind: 'openai', url: fake.url })).toMatch(/404[\s\S]*\/v1/);
  expect(await verifyText(page, { kind: 'openai', url: openaiUrl(fake, { status: 403 }), key: 'sk-x' })).toContain('rejected the API key');
  expect(await verifyText(page, { kind: 'openai', url: openaiUrl(fake, { status: 500 }) })).toContain('problem of its own');
  expect(await verifyText(page, { kind: 'openai', url: openaiUrl(fake, { html: true }) })).toContain('web page instead of the API');
  expect(await verifyText(page, { kind: 'openai', url: openaiUrl(fake, { hang: true }), timeoutS: 1 })).toContain('did not list its models within 1 s');
  const cors = await verifyText(page, { kind: 'openai', url: openaiUrl(fake, { cors: false }) });
  expect(cors).toContain('--allowed-origins');
  expect(cors).toContain('LM Studio');
});

test('a disabled connection is kept but its models leave the picker until it is enabled again', async ({ page, fake }) => {
  await openApp(page);
  const item = await addConnection(page, { kind: 'ollama', url: fake.url });
  await page.getByTestId('model-select').click();
  await expect(page.locator('[data-testid="model-option"][data-model-id="llama3.2:latest"]')).toBeVisible();
  await page.getByTestId('model-select').click();
  await page.getByTestId('settings-open').click();
  await item.getByTestId('connection-toggle').uncheck();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('model-select').click();
  await expect(page.getByTestId('model-option')).toHaveCount(0);
  await page.getByTestId('model-select').click();
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('connection-item')).toHaveCount(1);
  await item.getByTestId('connection-toggle').check();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('model-select').click();
  await expect(page.locator('[data-testid="model-option"][data-model-id="llama3.2:latest"]')).toBeVisible();
});

test('an allowlist replaces the server list, a prefix renames models but not what is sent, custom headers travel', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, {
    kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123', modelIds: ['gpt-4o-mini'], prefixId: 'work', tags: ['paid'], headers: '{"X-Team": "research"}',
  });
  await page.getByTestId('model-select').click();
  await expect(page.getByTestId('model-option')).toHaveCount(1);
  await expect(page.getByTestId('model-option')).toHaveAttribute('data-model-id', 'work.gpt-4o-mini');
  await page.getByTestId('model-select').click();
  expect(fake.requests().filter((r) => r.path === '/v1/models')).toHaveLength(0);
  await pickModel(page, 'work.gpt-4o-mini');
  await send(page, 'hello');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chat = fake.requests().find((r) => r.method === 'POST' && r.path === '/v1/chat/completions')!;
  expect((chat.body as { model: string }).model).toBe('gpt-4o-mini');
  expect(chat.headers['x-team']).toBe('research');
  expect(chat.headers['authorization']).toBe('Bearer sk-test-123');
});

test('the form refuses headers that are not a JSON object of strings, and saves nothing', async ({ page, fake }) => {
  await openApp(page);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('connection-add').click();
  await page.getByTestId('connection-url').fill(openaiUrl(fake));
  await page.getByTestId('connection-headers').fill('{"X-Team": 3}');
  await page.getByTestId('connection-save').click();
  await expect(page.getByTestId('connection-form-error')).toContainText('must be a string');
  await page.getByTestId('connection-headers').fill('X-Team: research');
  await page.getByTestId('connection-save').click();
  await expect(page.getByTestId('connection-form-error')).toContainText('must be JSON');
  await expect(page.getByTestId('connection-item')).toHaveCount(0);
});

test('Azure: deployments from the list, api-key header, api-version in the URL', async ({ page, fake }) => {
  await openApp(page);
  const item = await addConnection(page, { kind: 'openai', url: fake.url, azure: true, apiVersion: '2024-06-01', key: 'az-secret', modelIds: ['gpt-4o-mini'] });
  await page.getByTestId('settings-open').click();
  await expect(item).toContainText('Azure OpenAI');
  await item.getByTestId('connection-verify').click();
  await expect(item.getByTestId('connection-status')).toContainText('Connected: 1 deployment');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await pickModel(page, 'gpt-4o-mini');
  await send(page, 'hi azure');
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said: hi azure');
  const chat = fake.requests().find((r) => r.method === 'POST')!;
  expect(chat.path).toBe('/openai/deployments/gpt-4o-mini/chat/completions');
  expect(chat.query['api-version']).toBe('2024-06-01');
  expect(chat.headers['api-key']).toBe('az-secret');
  expect(chat.headers['authorization']).toBeUndefined();
});

test('editing keeps the saved key unless a new one is typed, and never shows it', async ({ page, fake }) => {
  await openApp(page);
  const item = await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123456789' });
  await page.getByTestId('settings-open').click();
  await expect(item).toContainText('…6789');
  await expect(item).not.toContainText('sk-test-123456789');
  await item.getByTestId('connection-edit').click();
  await expect(page.getByTestId('connection-key')).toHaveValue('');
  await page.getByTestId('connection-prefix').fill('p');
  await page.getByTestId('connection-save').click();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await pickModel(page, 'p.gpt-4o-mini');
  await send(page, 'still authorized?');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chat = fake.requests().find((r) => r.method === 'POST' && r.path === '/v1/chat/completions')!;
  expect(chat.headers['authorization']).toBe('Bearer sk-test-123456789');
});

test('the connection form and the picker fit a 350 px sidebar', async ({ page, fake }) => {
  await page.setViewportSize({ width: 350, height: 700 });
  await openApp(page);
  const openSettings = async () => {
    await page.getByRole('button', { name: 'Open sidebar' }).click();
    await page.getByTestId('settings-open').click();
  };
  await openSettings();
  await page.getByTestId('connection-add').click();
  await fillConnectionForm(page, { kind: 'openai', url: openaiUrl(fake), tags: ['a-rather-long-tag'] });
  await page.getByTestId('connection-save').click();
  await expect(page.getByTestId('connection-item')).toHaveCount(1);
  await page.getByTestId('connection-add').click();
  await page.getByTestId('connection-azure').check();
  const overflow = () => page.evaluate(() => {
    const wide = [...document.querySelectorAll<HTMLElement>('.modal, .model-pop, .conn-form, .conn-item')].filter((el) => el.scrollWidth > el.clientWidth + 1);
    // Named in the failure message: what sticks out past the right edge.
    const out = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 351).slice(0, 3);
    return { page: document.documentElement.scrollWidth, wide: wide.map((el) => el.className), out: out.map((el) => `${el.tagName}.${el.className}`) };
  });
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('model-select').click();
  await expect(page.getByTestId('model-option').first()).toBeVisible();
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  const box = await page.locator('.model-pop').boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(350);
});
