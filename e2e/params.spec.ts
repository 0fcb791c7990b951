import type { Page } from '@playwright/test';
import { test, expect, openApp, addConnection, pickModel, send, lastAssistant, openaiUrl } from './fixtures';
import type { FakeLlm } from './fake-llm/server';

/** The JSON body of the last chat request that reached `path` (`/v1/chat/completions` or `/api/chat`). */
function lastChatBody(fake: FakeLlm, path: string): Record<string, unknown> {
  const r = fake.requests().filter((q) => q.method === 'POST' && q.path === path).at(-1);
  const body = r?.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`no JSON request to ${path}`);
  return body as Record<string, unknown>;
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  // Counted first: right after the click the last answer on screen is still the previous one,
  // already `done`, and waiting on it alone would read the old request.
  const answers = page.locator('[data-testid="message"][data-role="assistant"]');
  const before = await answers.count();
  await send(page, text);
  await expect(answers).toHaveCount(before + 1);
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('settings-open').click();
  // The fields are disabled until the stored defaults are loaded.
  await expect(page.getByTestId('param-temperature')).toBeEnabled();
}

async function saveDefaults(page: Page, values: Record<string, string>): Promise<void> {
  await openSettings(page);
  for (const [name, v] of Object.entries(values)) await page.getByTestId(`param-${name}`).fill(v);
  await page.getByTestId('default-params-save').click();
  await expect(page.getByTestId('default-params-status')).toContainText('Saved');
  await page.getByRole('button', { name: 'Close settings' }).click();
}

async function setChatParams(page: Page, values: Record<string, string>, system?: string): Promise<void> {
  await page.getByTestId('chat-controls').click();
  const panel = page.getByTestId('chat-controls-panel');
  await expect(panel).toBeVisible();
  if (system !== undefined) await panel.getByTestId('chat-system').fill(system);
  for (const [name, v] of Object.entries(values)) await panel.getByTestId(`param-${name}`).fill(v);
  await panel.getByTestId('chat-controls-save').click();
  await expect(panel).toBeHidden();
}

const DEFAULTS = { temperature: '0.3', max_tokens: '200', stop: 'END\nSTOP', seed: '7', num_ctx: '8192', keep_alive: '10m', top_k: '30' };

test('defaults from Settings reach the OpenAI body and Ollama’s native body, each in its own shape', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test' });
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await saveDefaults(page, DEFAULTS);

  await pickModel(page, 'gpt-4o-mini');
  await sendAndWait(page, 'to openai');
  const oai = lastChatBody(fake, '/v1/chat/completions');
  expect(oai).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.3, max_tokens: 200, stop: ['END', 'STOP'], seed: 7 });
  // Ollama-only params never go to an OpenAI-compatible server.
  for (const k of ['num_ctx', 'keep_alive', 'top_k', 'min_p', 'repeat_penalty', 'options', 'num_predict']) expect(oai, k).not.toHaveProperty(k);

  await page.getByTestId('new-chat').click();
  await pickModel(page, 'llama3.2:latest');
  await sendAndWait(page, 'to ollama');
  const oll = lastChatBody(fake, '/api/chat');
  expect(oll.options).toEqual({ temperature: 0.3, num_predict: 200, stop: ['END', 'STOP'], seed: 7, num_ctx: 8192, top_k: 30 });
  expect(oll.keep_alive).toBe('10m');
  for (const k of ['temperature', 'max_tokens', 'stop', 'num_ctx']) expect(oll, k).not.toHaveProperty(k);

  // The defaults are kept: reopening Settings shows them.
  await openSettings(page);
  await expect(page.getByTestId('param-keep_alive')).toHaveValue('10m');
  await expect(page.getByTestId('param-stop')).toHaveValue('END\nSTOP');
});

test('a chat’s own values override the defaults, set before the first message and changed later', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await pickModel(page, 'llama3.2:latest');
  await saveDefaults(page, { temperature: '0.3', max_tokens: '200', keep_alive: '10m' });

  // A new chat: the values wait until the first message creates it.
  await setChatParams(page, { temperature: '1.4', keep_alive: '-1' }, 'Answer in French.');
  await sendAndWait(page, 'first');
  let body = lastChatBody(fake, '/api/chat');
  expect(body.options).toEqual({ temperature: 1.4, num_predict: 200 });
  expect(body.keep_alive).toBe(-1);
  expect(body.messages).toEqual([
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'first' },
  ]);

  // The chat keeps them; the panel shows them and the defaults as placeholders.
  await page.getByTestId('chat-controls').click();
  const panel = page.getByTestId('chat-controls-panel');
  await expect(panel.getByTestId('param-temperature')).toHaveValue('1.4');
  await expect(panel.getByTestId('param-max_tokens')).toHaveValue('');
  await expect(panel.getByTestId('param-max_tokens')).toHaveAttribute('placeholder', '200');
  await panel.getByRole('button', { name: 'Cancel' }).click();

  await setChatParams(page, { temperature: '0.9', max_tokens: '50', keep_alive: '' });
  await sendAndWait(page, 'second');
  body = lastChatBody(fake, '/api/chat');
  expect(body.options).toEqual({ temperature: 0.9, num_predict: 50 });
  // Emptied in the chat: the default applies again.
  expect(body.keep_alive).toBe('10m');

  // Another new chat starts from the defaults alone.
  await page.getByTestId('new-chat').click();
  await sendAndWait(page, 'third');
  body = lastChatBody(fake, '/api/chat');
  expect(body.options).toEqual({ temperature: 0.3, num_predict: 200 });
  expect(body.messages).toEqual([{ role: 'user', content: 'third' }]);
});

test('an invalid value is explained in the form and not saved', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test' });
  await pickModel(page, 'gpt-4o-mini');

  // In Settings.
  await openSettings(page);
  await page.getByTestId('param-max_tokens').fill('100');
  await page.getByTestId('param-temperature').fill('5');
  await page.getByTestId('default-params-save').click();
  // Scoped to the params form: other Settings sections may show alerts of their own.
  const alert = page.getByTestId('params-error');
  await expect(alert).toHaveAttribute('role', 'alert');
  await expect(alert).toHaveText('Temperature must be a number from 0 to 2 (you entered “5”).');
  await expect(page.getByTestId('param-temperature')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('default-params-status')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close settings' }).click();
  await openSettings(page);
  await expect(page.getByTestId('param-temperature')).toHaveValue('');
  await expect(page.getByTestId('param-max_tokens')).toHaveValue('');
  await page.getByRole('button', { name: 'Close settings' }).click();

  // In a chat's panel: the panel stays open with the error, and nothing reaches the request.
  await page.getByTestId('chat-controls').click();
  const panel = page.getByTestId('chat-controls-panel');
  await panel.getByTestId('param-keep_alive').fill('forever');
  await panel.getByTestId('param-top_p').fill('0.5');
  await panel.getByTestId('chat-controls-save').click();
  await expect(panel.getByRole('alert')).toContainText('Keep alive must be a duration like 5m or 1h30m');
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await sendAndWait(page, 'hello');
  const body = lastChatBody(fake, '/v1/chat/completions');
  for (const k of ['top_p', 'keep_alive', 'temperature', 'max_tokens']) expect(body, k).not.toHaveProperty(k);

  // Fixing the field clears the complaint and saves.
  await page.getByTestId('chat-controls').click();
  await panel.getByTestId('param-top_p').fill('1.5');
  await panel.getByTestId('chat-controls-save').click();
  await expect(panel.getByRole('alert')).toContainText('Top P must be a number from 0 to 1');
  await panel.getByTestId('param-top_p').fill('0.5');
  await expect(panel.getByRole('alert')).toHaveCount(0);
  await panel.getByTestId('chat-controls-save').click();
  await expect(panel).toBeHidden();
  await sendAndWait(page, 'again');
  expect(lastChatBody(fake, '/v1/chat/completions').top_p).toBe(0.5);
});

test('the chat controls panel fits a 350 px wide window', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  // Narrow only now: at 350 px the settings button sits in the closed sidebar drawer.
  await page.setViewportSize({ width: 350, height: 700 });
  await page.getByTestId('chat-controls').click();
  const panel = page.getByTestId('chat-controls-panel');
  await expect(panel).toBeVisible();
  const box = await panel.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(350);
  const field = await panel.getByTestId('param-repeat_penalty').boundingBox();
  expect(field!.x + field!.width).toBeLessThanOrEqual(350);
  // Nothing in the page scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(350);
});
