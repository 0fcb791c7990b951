import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { test, expect, type Page } from '@playwright/test';
import config from '../playwright.config';
import { lastAssistant, pickModel, send } from './fixtures';
import { startStaticServer, type StaticServer } from './static-server';
import { buildStandinWorker, findWorkerAsset, standinTransform } from './webgpu-fake/bundle';
import { startMirror, type Mirror } from './webgpu-fake/mirror';
import { writeModelFolder, type ModelFolder } from './webgpu-fake/model-folder';
import { closeSettings, findModel, importFolder, modelRow, openInBrowserModels, setMirror } from './webgpu-helpers';

/**
 * Issue 8, test (1) in the browser: the built app with its real WebGPU worker, UI and engine,
 * where only web-llm is replaced by a stand-in (e2e/webgpu-fake: web-llm 0.2.86's cache keys,
 * request order, progress texts and errors over the real Cache API and network; FakeWebLlm for
 * the GPU part and the tokens). Chromium runs with --enable-unsafe-webgpu, so detection sees
 * its real SwiftShader adapter (no shader-f16) and the In-browser connection appears by itself.
 * Model files come from a mirror server on another origin, or from a folder on disk.
 */
const SMOL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';
const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC'; // its load runs out of GPU memory (stand-in option)
const TINY = 'SmolLM2-135M-Instruct-q0f32-MLC'; // one of its shards is missing on the mirror
const record = (id: string) => prebuiltAppConfig.model_list.find((r) => r.model_id === id)!;
const BASE_ARGS = config.use?.launchOptions?.args ?? [];
const DIST = process.env.PARLEY_DIST ?? 'dist';

test.use({ launchOptions: { executablePath: config.use?.launchOptions?.executablePath, args: [...BASE_ARGS, '--enable-unsafe-webgpu'] } });

let app: StaticServer;
let mirror: Mirror;
let tmp: string;
let qwenFolder: ModelFolder;
const shardPath = (id: string, i: number) => `/mlc-ai/${id}/resolve/main/params_shard_${i}.bin`;

test.beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'parley-webgpu-'));
  const js = await buildStandinWorker({ f16: false, tickMs: 30, failures: { [LLAMA]: { kind: 'oom' } } });
  app = await startStaticServer({ root: DIST, transform: standinTransform(await findWorkerAsset(DIST), js) });
  for (const id of [SMOL, LLAMA, TINY]) await writeModelFolder({ record: record(id), layout: 'mirror', dir: join(tmp, 'mirror') });
  mirror = await startMirror({ root: join(tmp, 'mirror') });
  qwenFolder = await writeModelFolder({ record: record(QWEN3), layout: 'import', dir: join(tmp, 'import') });
});
test.afterAll(async () => {
  await mirror?.close();
  await app?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Records when the loading bar above an answer shows (it may be up for less than a poll). */
async function watchLoadingBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __loadingSeen: string[] };
    w.__loadingSeen = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="model-loading"]');
      if (el) w.__loadingSeen.push(el.textContent ?? '');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('download from a mirror with progress, cancel and resume; chat, stop, regenerate; after a reload the model loads from storage', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByText('This browser can run models on its GPU')).toBeVisible();
  await openInBrowserModels(page);
  await expect(page.getByTestId('webgpu-adapter')).toContainText('no shader-f16');
  await setMirror(page, mirror.url);

  // The third shard hangs: the bar shows bytes and percent; Cancel keeps what was fetched.
  mirror.stall(shardPath(SMOL, 2));
  const row = await findModel(page, SMOL);
  await row.getByTestId('webgpu-download').click();
  const bar = row.getByTestId('webgpu-progress');
  await expect(bar).toBeVisible();
  await expect(row.getByTestId('webgpu-progress-text')).toContainText(/Downloading · \d+(\.\d+)? MB/);
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await row.getByTestId('webgpu-cancel').click();
  await expect(row).toHaveAttribute('data-status', 'partial');
  await expect(row.getByTestId('webgpu-model-error')).toHaveCount(0);
  // Still resumable after a reload: the worker finds the stopped download in the cache.
  await page.reload();
  await openInBrowserModels(page);
  await findModel(page, SMOL);
  await expect(row).toHaveAttribute('data-status', 'partial');
  await expect(row.getByTestId('webgpu-download')).toHaveText('Resume');
  mirror.clear(shardPath(SMOL, 2));
  await row.getByTestId('webgpu-download').click();
  await expect(row).toHaveAttribute('data-status', 'downloaded', { timeout: 30_000 });
  // Resumed: the shards already stored were not fetched again.
  const gets = mirror.gets();
  expect(gets.filter((p) => p === shardPath(SMOL, 0))).toHaveLength(1);
  expect(gets.filter((p) => p === shardPath(SMOL, 2)).length).toBeGreaterThanOrEqual(2);
  await closeSettings(page);

  // Chat with it like a server model.
  await pickModel(page, SMOL);
  await send(page, 'hello gpu');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: hello gpu');
  await expect(lastAssistant(page).getByTestId('message-usage')).toContainText('tok/s');

  // Stop after the first words: what came stays, marked stopped.
  const long = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
  await send(page, long);
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('You said');
  await page.getByTestId('composer-stop').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-finish-reason', 'stopped');
  expect((await lastAssistant(page).getByTestId('message-content').innerText()).length).toBeLessThan(`You said: ${long}`.length);

  // Regenerate: a second answer beside the first.
  await lastAssistant(page).getByTestId('message-regenerate').click();
  await expect(lastAssistant(page).getByTestId('branch-indicator')).toHaveText('2/2');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText(`You said: ${long}`);

  // After a reload the first message loads the model from storage, with a bar, and asks the mirror nothing.
  const before = mirror.gets().length;
  await page.reload();
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', SMOL);
  await watchLoadingBar(page);
  await send(page, 'after reload');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: after reload');
  const seen = await page.evaluate(() => (window as unknown as { __loadingSeen: string[] }).__loadingSeen);
  expect(seen.some((t) => /Loading from cache/.test(t))).toBe(true);
  expect(mirror.gets().length).toBe(before);
});

test('air-gapped: a model imported from a folder answers offline, and nothing but the app’s origin is ever asked', async ({ page, context }) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto(app.url);
  await openInBrowserModels(page);
  const result = await importFolder(page, QWEN3, qwenFolder.root);
  await expect(result).toHaveAttribute('data-status', 'ok');
  await expect(modelRow(page, QWEN3)).toHaveAttribute('data-status', 'downloaded');
  await closeSettings(page);

  await pickModel(page, QWEN3);
  // A temporary chat (its engine runs in the page) reaches the same worker and model.
  await page.getByTestId('temporary-toggle').click();
  await expect(page.getByTestId('temporary-banner')).toBeVisible();
  await send(page, 'between us');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: between us');
  await page.getByTestId('temporary-toggle').click();
  await expect(page.getByTestId('temporary-banner')).toHaveCount(0);

  // Offline from here: the page's first load is not under the service worker yet, but nothing
  // it needs for an answer is fetched any more.
  await context.setOffline(true);
  await send(page, 'two plus two?');
  const answer = lastAssistant(page);
  await expect(answer).toHaveAttribute('data-status', 'done');
  await expect(answer.getByTestId('message-content')).toHaveText('You said: two plus two?');
  await expect(answer.getByTestId('message-reasoning')).toBeVisible();

  // The only request off the app's origin is the first-start look for an Ollama on this computer.
  const elsewhere = requests.filter((u) => !u.startsWith(app.origin));
  expect(elsewhere.filter((u) => !/^http:\/\/(localhost|127\.0\.0\.1):11434\//.test(u))).toEqual([]);
  // The worker's own requests are seen too (it fetched web-llm's chunk from the origin).
  expect(requests.some((u) => /\/assets\/webgpu\.worker-/.test(u))).toBe(true);
});

test('errors say what to do: a missing file is named, a GPU out of memory offers a reload; delete takes a model out of the picker; it all fits 350 px', async ({ page }) => {
  await page.setViewportSize({ width: 350, height: 800 });
  await page.goto(app.url);
  await openInBrowserModels(page);
  await setMirror(page, mirror.url);

  mirror.fail(shardPath(TINY, 1), 404);
  const tiny = await findModel(page, TINY);
  await tiny.getByTestId('webgpu-download').click();
  await expect(tiny.getByTestId('webgpu-model-error')).toContainText('params_shard_1.bin', { timeout: 30_000 });

  const llama = await findModel(page, LLAMA);
  await llama.getByTestId('webgpu-download').click();
  await expect(llama.getByTestId('webgpu-model-error')).toContainText('GPU memory', { timeout: 30_000 });
  await expect(llama.getByTestId('webgpu-error-action')).toHaveAttribute('data-action', 'reload');

  const smol = await findModel(page, SMOL);
  await smol.getByTestId('webgpu-download').click();
  await expect(smol).toHaveAttribute('data-status', 'downloaded', { timeout: 30_000 });
  await expect(page.getByTestId('webgpu-storage')).toContainText(/downloaded models: [\d.]+ MB/);
  // At 350 px (a browser sidebar) nothing in the section sticks out or scrolls sideways.
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="webgpu-section"], [data-testid="webgpu-section"] *')]
      .filter((el) => el.getBoundingClientRect().width > 0 && (el.getBoundingClientRect().right > window.innerWidth + 1 || (el.scrollWidth > el.clientWidth + 1 && !el.matches('input, select, textarea'))))
      .map((el) => `${el.tagName}.${el.className}`),
  );
  expect(wide).toEqual([]);
  await closeSettings(page);
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill(SMOL);
  await expect(page.locator(`[data-testid="model-option"][data-model-id="${SMOL}"]`)).toHaveCount(1);
  await page.keyboard.press('Escape');

  await openInBrowserModels(page);
  const again = await findModel(page, SMOL);
  await again.getByTestId('webgpu-delete').click();
  await again.getByTestId('webgpu-delete-confirm').click();
  await expect(again).toHaveAttribute('data-status', 'available');
  // The In-browser connection's line follows: only the model whose load ran out of memory is stored.
  await expect(page.getByTestId('connection-listed')).toHaveText('1 model available.');
  await closeSettings(page);
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill(SMOL);
  await expect(page.locator(`[data-testid="model-option"][data-model-id="${SMOL}"]`)).toHaveCount(0);
});

test('web-llm is not in the install: the service worker precaches no part of it and caches it when first used', async () => {
  const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
  const chunk = (await readdir(join(DIST, 'assets'))).find((f) => /^web-llm-.*\.js$/.test(f));
  expect(chunk, 'web-llm has its own chunk').toBeDefined();
  expect(sw).not.toContain(chunk!);
  expect(sw).toContain('parley-webllm');
  // Nor is it in the page's first load: only the WebGPU worker names it.
  const index = await readFile(join(DIST, 'index.html'), 'utf8');
  const entry = /src="[^"]*\/(assets\/index-[^"]+\.js)"/.exec(index)?.[1];
  expect(entry).toBeDefined();
  expect(await readFile(join(DIST, entry!), 'utf8')).not.toContain(chunk!);
});
