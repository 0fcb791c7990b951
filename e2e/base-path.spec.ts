import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test, expect, addConnection, pickModel, send, lastAssistant, openaiUrl } from './fixtures';
import { startStaticServer, type StaticServer } from './static-server';

/**
 * The app built with BASE_PATH=/parley/ and served from that folder only by a plain static host
 * (e2e/static-server.ts: nothing answers outside /parley/). This spec builds it itself.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let dir = '';
let host: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = await mkdtemp(join(tmpdir(), 'parley-base-path-'));
  host = await startStaticServer({ root: dir, base: '/parley/' });
  await promisify(execFile)('npx', ['--no-install', 'vite', 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: REPO,
    env: { ...process.env, BASE_PATH: '/parley/', SITE_URL: host.url },
  });
});
test.afterAll(async () => {
  await host?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('under /parley/: assets, manifest, service worker scope, opensearch and chat addresses all live in the folder', async ({ page, request, fake }) => {
  expect(host.url).toMatch(/\/parley\/$/);
  expect((await request.get(host.origin + '/')).status()).toBe(404);

  await page.goto(host.url);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(host.url);

  const manifestHref = new URL((await page.locator('link[rel="manifest"]').getAttribute('href'))!, page.url());
  expect(manifestHref.pathname).toBe('/parley/manifest.webmanifest');
  const manifest = await (await request.get(manifestHref.href)).json();
  expect(manifest.id).toBe('/parley/');
  expect(new URL(manifest.start_url, manifestHref).href).toBe(host.url);
  expect(new URL(manifest.scope, manifestHref).href).toBe(host.url);
  expect(new URL(manifest.share_target.action, manifestHref).href).toBe(host.url);
  for (const icon of manifest.icons as { src: string }[]) expect((await request.get(new URL(icon.src, manifestHref).href)).ok()).toBe(true);

  const search = new URL((await page.locator('link[rel="search"]').getAttribute('href'))!, page.url());
  expect(search.pathname).toBe('/parley/opensearch.xml');
  expect(await (await request.get(search.href)).text()).toContain(`template="${host.url}?q={searchTerms}"`);

  // ?q= under the folder: sent, the address becomes /parley/c/<id>, and a reload reopens that chat.
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, 'gpt-4o-mini');
  await page.goto(`${host.url}?q=${encodeURIComponent('Hello from a folder')}`);
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: Hello from a folder');
  await expect(page).toHaveURL(new RegExp(`^${host.url}c/[A-Za-z0-9_-]+$`));
  const chatUrl = page.url();
  await page.reload();
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: Hello from a folder');

  // A chat's address opened directly is answered by the host's fallback (static-server's SPA rule).
  await page.goto(host.url);
  await page.goto(chatUrl);
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: Hello from a folder');
});

test('with the host gone, the service worker serves the app and its chat addresses; the model server still answers', async ({ page, fake }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, 'gpt-4o-mini');
  await send(page, 'before the host went away');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chatUrl = page.url();
  expect(chatUrl).toMatch(/\/parley\/c\//);

  await host.close();
  await page.goto(chatUrl);
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: before the host went away');
  await send(page, 'the host is gone');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: the host is gone');
  await page.goto(host.url);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
});
