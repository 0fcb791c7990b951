import { copyFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, addConnection, pickModel, lastAssistant, openaiUrl } from './fixtures';
import { attachFirstBase, createBase, doc } from './knowledge-helpers';
import { startStaticServer, type StaticServer } from './static-server';
import { TINY_MODEL_ID } from './tiny-embedder/model';
import { writeTinyEmbedder } from './tiny-embedder/write';

/**
 * Knowledge with no network but the model server on the local network: the app's host and every
 * download are gone, the in-browser embedder (the tiny model the suite builds, imported from a
 * folder) still embeds the question from what the service worker and the model store kept, and
 * the answer cites the right file. The built app is served by its own static host so the test
 * can stop it.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(REPO, process.env.PARLEY_DIST ?? 'dist');
test.describe.configure({ timeout: 180_000 });

let dir = '';
let modelRoot = '';
let host: StaticServer;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-knowledge-offline-'));
  await cp(DIST, dir, { recursive: true });
  host = await startStaticServer({ root: dir });
  modelRoot = await mkdtemp(join(tmpdir(), 'parley-tiny-'));
});
test.afterAll(async () => {
  await host?.close();
  for (const d of [dir, modelRoot]) if (d) await rm(d, { recursive: true, force: true });
});

test('with the app host gone, a knowledge base indexed by the in-browser engine still answers with the related passage', async ({ page, fake }) => {
  const folder = await writeTinyEmbedder(modelRoot);
  // On WASM the engine loads the q8 file name; the tiny model has one set of weights.
  copyFileSync(join(folder, 'onnx/model.onnx'), join(folder, 'onnx/model_quantized.onnx'));

  await page.goto(host.url);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, 'gpt-4o-mini');

  // The in-browser engine, model files imported from a folder (no mirror), loaded once online.
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-engine').selectOption('local');
  await section.getByTestId('knowledge-model').fill(TINY_MODEL_ID);
  await section.getByTestId('knowledge-base-url').fill('');
  await section.getByTestId('knowledge-model-import').setInputFiles(folder);
  await expect(section.getByTestId('knowledge-stored-models')).toContainText(TINY_MODEL_ID);
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('Saved.');
  await section.getByTestId('knowledge-load').click();
  await expect(section.getByTestId('knowledge-load-result')).toContainText(`Ready: local:${TINY_MODEL_ID}`, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Close settings' }).click();

  await createBase(page, 'Home');
  await page.getByTestId('knowledge-file-input').setInputFiles([
    { name: 'pets.md', mimeType: 'text/markdown', buffer: Buffer.from('# Pets\n\nThe kitten sleeps in a basket; the puppy walks on a leash.\n') },
    { name: 'sky.md', mimeType: 'text/markdown', buffer: Buffer.from('# Sky\n\nThrough the telescope we saw the moon and a rocket in orbit.\n') },
  ]);
  for (const name of ['pets.md', 'sky.md']) {
    await expect(doc(page, name)).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  }

  // The host goes away: a fresh page load comes from the service worker, the model from the store.
  await host.close();
  const requestsAfter: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(fake.url)) requestsAfter.push(r.url());
  });
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await attachFirstBase(page, 'Home');
  // Neither word is in either file: only the model's meaning puts the sky file first.
  await page.getByTestId('composer-input').fill('astronaut planet');
  await page.getByTestId('composer-send').click();
  const answer = lastAssistant(page);
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(answer.getByTestId('message-source').first()).toHaveAttribute('data-doc-name', 'sky.md');
  await expect(answer.getByTestId('message-sources-note')).toHaveCount(0);
  expect(fake.requests().filter((r) => r.path.endsWith('/embeddings'))).toEqual([]);
  // Everything but the model server was answered without the network (nothing failed to load).
  expect(failed.filter((u) => !u.startsWith(fake.url))).toEqual([]);
  expect(requestsAfter.length).toBeGreaterThan(0);
});
