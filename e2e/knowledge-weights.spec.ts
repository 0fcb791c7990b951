import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, lastAssistant, setupOpenAI } from './fixtures';
import { attachFirstBase, createBase, doc } from './knowledge-helpers';
import { TINY_MODEL_ID } from './tiny-embedder/model';
import { writeTinyEmbedder } from './tiny-embedder/write';

/**
 * The in-browser engine's model weights (Settings › Knowledge › Model weights) with the tiny
 * model imported from a folder, no downloads: a folder with only the full-precision file loads
 * with Automatic on WebAssembly (which would load the quantized one), and switching between
 * full precision and quantized keeps a base searchable by meaning, without a re-index.
 */

let root = '';
test.beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'parley-weights-'));
});
test.afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Settings › Knowledge: the in-browser engine, the tiny model imported from `folder`, with `weights`. */
async function importFolder(page: Page, folder: string, weights: 'auto' | 'fp32' | 'q8'): Promise<void> {
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-engine').selectOption('local');
  await section.getByTestId('knowledge-model').fill(TINY_MODEL_ID);
  await section.getByTestId('knowledge-base-url').fill('');
  await expect(section.getByTestId('knowledge-dtype')).toHaveValue('auto');
  await section.getByTestId('knowledge-dtype').selectOption(weights);
  await section.getByTestId('knowledge-model-import').setInputFiles(folder);
  await expect(section.getByTestId('knowledge-settings-status')).toContainText(`files for ${TINY_MODEL_ID}`);
  await expect(section.getByTestId('knowledge-stored-models')).toContainText(TINY_MODEL_ID);
}

async function importAndLoad(page: Page, folder: string, weights: 'auto' | 'fp32' | 'q8'): Promise<string> {
  await importFolder(page, folder, weights);
  return loadSaved(page);
}

/** Saves the form, loads the saved model and returns what the load says. */
async function loadSaved(page: Page): Promise<string> {
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('Saved.');
  await section.getByTestId('knowledge-load').click();
  const result = section.getByTestId('knowledge-load-result');
  await expect(result).toContainText(`Ready: local:${TINY_MODEL_ID},`, { timeout: 60_000 });
  return (await result.textContent()) ?? '';
}

async function indexPetsAndSky(page: Page): Promise<void> {
  await createBase(page, 'Home');
  await page.getByTestId('knowledge-file-input').setInputFiles([
    { name: 'pets.md', mimeType: 'text/markdown', buffer: Buffer.from('# Pets\n\nThe kitten sleeps in a basket; the puppy walks on a leash.\n') },
    { name: 'sky.md', mimeType: 'text/markdown', buffer: Buffer.from('# Sky\n\nThrough the telescope we saw the moon and a rocket in orbit.\n') },
  ]);
  await expect(doc(page, 'pets.md')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(doc(page, 'sky.md')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await page.getByTestId('knowledge-close').click();
}

/** Asks with words in neither file: only the model's meaning puts the sky file first. */
async function expectAnsweredByMeaning(page: Page): Promise<void> {
  await page.getByTestId('composer-input').fill('astronaut planet');
  await page.getByTestId('composer-send').click();
  const answer = lastAssistant(page);
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(answer.getByTestId('message-source').first()).toHaveAttribute('data-doc-name', 'sky.md');
  await expect(answer.getByTestId('message-sources-note')).toHaveCount(0);
}

test('a model folder with only the full-precision weights: quantized chosen names the missing file; Automatic loads it on WebAssembly, says so, and answers by meaning', async ({ page, fake }) => {
  test.setTimeout(120_000);
  const folder = await writeTinyEmbedder(root);
  expect(existsSync(join(folder, 'onnx/model.onnx'))).toBe(true);
  expect(existsSync(join(folder, 'onnx/model_quantized.onnx'))).toBe(false);
  await setupOpenAI(page, fake);
  await importFolder(page, folder, 'q8');
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('Saved.');
  await section.getByTestId('knowledge-load').click();
  await expect(section.getByTestId('knowledge-load-result')).toHaveText(
    `The model ${TINY_MODEL_ID} has no onnx/model_quantized.onnx in this browser, and downloads are off: import a folder that has it, or choose other model weights in Settings › Knowledge.`,
    { timeout: 60_000 },
  );

  // Automatic then loads what is there, and says which file it used.
  await section.getByTestId('knowledge-dtype').selectOption('auto');
  const loaded = await loadSaved(page);
  expect(loaded).toContain('fp32 weights, 16 dimensions, on WebAssembly.');
  expect(loaded).toContain('This model has no quantized weights (onnx/model_quantized.onnx); using its full-precision weights (onnx/model.onnx) instead.');
  await page.getByRole('button', { name: 'Close settings' }).click();

  await indexPetsAndSky(page);
  await attachFirstBase(page, 'Home');
  await expectAnsweredByMeaning(page);
  // Nothing went to a model mirror, and no embedding went to the server.
  expect(fake.requests().filter((r) => r.path.endsWith('/embeddings'))).toEqual([]);
});

test('a base indexed with full-precision weights is searched by meaning after switching to quantized, without a re-index', async ({ page, fake }) => {
  test.setTimeout(120_000);
  const folder = await writeTinyEmbedder(root);
  copyFileSync(join(folder, 'onnx/model.onnx'), join(folder, 'onnx/model_quantized.onnx'));
  await setupOpenAI(page, fake);
  expect(await importAndLoad(page, folder, 'fp32')).toContain('fp32 weights');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await indexPetsAndSky(page);

  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-dtype').selectOption('q8');
  const loaded = await loadSaved(page);
  expect(loaded).toContain('q8 weights');
  expect(loaded).not.toContain('no full-precision');
  // Same model: nothing to re-index.
  await expect(section.getByTestId('knowledge-reindex-offer')).toHaveCount(0);
  await page.getByRole('button', { name: 'Close settings' }).click();

  await attachFirstBase(page, 'Home');
  await expectAnsweredByMeaning(page);
  // The base's model is stored without the weights type.
  const stored = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const r = indexedDB.open('parley');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const all = r.result.transaction('knowledge').objectStore('knowledge').getAll();
          all.onsuccess = () => {
            resolve((all.result as Array<{ embedderId: string | null }>).map((k) => k.embedderId));
            r.result.close();
          };
        };
      }),
  );
  expect(stored).toEqual([`local:${TINY_MODEL_ID}`]);
});
