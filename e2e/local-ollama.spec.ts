import { test, expect, openApp } from './fixtures';
import { startFakeLlm } from './fake-llm/server';

/**
 * The first-start probe for an Ollama on this computer (http://127.0.0.1:11434). Every app start
 * probes that port, so these tests run alone, after all the others (the `local-ollama` project
 * in playwright.config.ts): an Ollama faked there would be found by every other test's app.
 */

const option = (id: string) => `[data-testid="model-option"][data-model-id="${id}"]`;

test('first start finds an Ollama on this computer and adds it', async ({ page }) => {
  let local;
  try {
    local = await startFakeLlm({ port: 11434 });
  } catch {
    test.skip(true, 'port 11434 is taken on this machine (a real Ollama?)');
    return;
  }
  try {
    await openApp(page);
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('connection-item')).toHaveCount(1);
    await expect(page.getByTestId('connection-item')).toContainText('Ollama (this computer)');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByTestId('model-select').click();
    await expect(page.locator(option('llama3.2:latest'))).toBeVisible();
    // Removed by the user, it does not come back on the next start.
    await page.getByTestId('model-select').click();
    await page.getByTestId('settings-open').click();
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('connection-remove').click();
    await expect(page.getByTestId('connection-item')).toHaveCount(0);
    await page.reload();
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('connection-add')).toBeVisible();
    await expect(page.getByTestId('connection-item')).toHaveCount(0);
  } finally {
    await local.close();
  }
});

test('with nothing configured, the empty state explains the ways in and can look for Ollama', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('empty-state')).toContainText('OLLAMA_ORIGINS=');
  await expect(page.getByTestId('empty-state')).toContainText('An API key');
  await page.getByTestId('find-ollama').click();
  await expect(page.getByTestId('find-ollama-result')).toContainText('No Ollama answered');
});