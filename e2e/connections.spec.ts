import { test, expect, openApp, addConnection } from './fixtures';

const prefix = (url: string, scenario: object) => `${url}/x/${encodeURIComponent(JSON.stringify(scenario))}`;

test('verify explains a CORS block with the fix for Ollama', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: prefix(fake.url, { cors: false }) });
  await page.getByTestId('settings-open').click();
  const item = page.getByTestId('connection-item').first();
  await item.getByTestId('connection-verify').click();
  await expect(item).toHaveAttribute('data-status', 'error');
  await expect(item.getByTestId('connection-status')).toContainText(`OLLAMA_ORIGINS=${new URL(page.url()).origin}`);
});

test('verify reports a rejected key and a working server', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: `${prefix(fake.url, { status: 401 })}/v1`, key: 'sk-wrong' });
  await addConnection(page, { kind: 'openai', url: `${fake.url}/v1` });
  await page.getByTestId('settings-open').click();
  const [bad, good] = [page.getByTestId('connection-item').nth(0), page.getByTestId('connection-item').nth(1)];
  await bad.getByTestId('connection-verify').click();
  await expect(bad.getByTestId('connection-status')).toContainText(/API key/);
  await good.getByTestId('connection-verify').click();
  await expect(good).toHaveAttribute('data-status', 'ok');
  await expect(good.getByTestId('connection-status')).toContainText('Connected: 2 models');
});
