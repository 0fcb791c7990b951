import { expect, type Locator, type Page } from '@playwright/test';

/** Settings › In-browser models, open and showing its catalog (WebGPU must be available). */
export async function openInBrowserModels(page: Page): Promise<Locator> {
  // Narrow windows keep the sidebar behind ☰.
  const menu = page.getByRole('button', { name: 'Open sidebar' });
  if (await menu.isVisible()) await menu.click();
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('webgpu-section');
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByTestId('webgpu-adapter')).toBeVisible({ timeout: 30_000 });
  return section;
}

export async function closeSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Close settings' }).click();
}

/** The catalog row of a model (it stays visible while it downloads or shows an error). */
export function modelRow(page: Page, modelId: string): Locator {
  return page.locator(`[data-testid="webgpu-model"][data-model-id="${modelId}"]`);
}

/** Shows a model's row whatever the filters (search by its id). */
export async function findModel(page: Page, modelId: string): Promise<Locator> {
  await page.getByTestId('webgpu-search').fill(modelId);
  const row = modelRow(page, modelId);
  await expect(row).toBeVisible();
  return row;
}

/** Sets both mirrors (weights and model libraries) to `base` and saves. */
export async function setMirror(page: Page, base: string): Promise<void> {
  await page.getByTestId('webgpu-weights-base').fill(base);
  await page.getByTestId('webgpu-libs-base').fill(base);
  await page.getByTestId('webgpu-source-save').click();
  await expect(page.getByTestId('webgpu-source-status')).toBeVisible();
}

/** Imports a model folder (the folder itself is picked, as a user would) and waits for the result. */
export async function importFolder(page: Page, modelId: string, dir: string): Promise<Locator> {
  await page.getByTestId('webgpu-import-model').selectOption(modelId);
  await page.getByTestId('webgpu-import-folder').setInputFiles(dir);
  const result = page.getByTestId('webgpu-import-result');
  await expect(result).toBeVisible({ timeout: 120_000 });
  return result;
}
