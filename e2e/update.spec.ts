import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect, addConnection, pickModel, send, lastAssistant, openaiUrl } from './fixtures';
import { startStaticServer, type StaticServer } from './static-server';

/**
 * The built app on its own static server (not `vite preview`), so the test can change sw.js
 * between two visits as a deploy would. Each test has a fresh context, so a fresh worker.
 */
const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(REPO, process.env.PARLEY_DIST ?? 'dist');

// Each test installs a worker, opens up to two tabs and updates: slow on a busy 2-core machine.
test.describe.configure({ timeout: 120_000 });

let dir = '';
let server: StaticServer;

/**
 * Appended to sw.js: the worker answers which version it is, and two versions differ by
 * these bytes only (so the new one installs, precaching nothing new).
 */
function swVersion(version: string) {
  const tail = `\n;self.addEventListener('message', (e) => { if (e.data && e.data.type === 'PARLEY_TEST_VERSION') e.ports[0].postMessage('${version}'); });\n`;
  return (path: string, body: Buffer) => (path === '/sw.js' ? Buffer.concat([body, Buffer.from(tail)]) : undefined);
}

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-update-'));
  await cp(DIST, dir, { recursive: true });
  server = await startStaticServer({ root: dir });
});
test.afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
test.beforeEach(() => server.setTransform(swVersion('v1')));

/** Which version of the worker controls the page (null: none). */
function controllerVersion(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      new Promise<string | null>((ok) => {
        const sw = navigator.serviceWorker.controller;
        if (!sw) return ok(null);
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => ok(String(e.data));
        sw.postMessage({ type: 'PARLEY_TEST_VERSION' }, [channel.port2]);
      }),
  );
}

/** Opens the app and, on a first visit, reloads once so the installed worker controls it. */
async function openControlled(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if ((await controllerVersion(page)) === null) await page.reload();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  expect(await controllerVersion(page)).toBe('v1');
}

/** Counts full page loads from now on (a reload is one). */
function countLoads(page: Page): () => number {
  let loads = 0;
  page.on('load', () => loads++);
  return () => loads;
}

const mark = (page: Page) => page.evaluate(() => Object.assign(window, { __parleyMarker: 'before' }));
const marked = (page: Page) => page.evaluate(() => '__parleyMarker' in window);

/** Deploys v2: sw.js changes, and the page checks for an update (as the browser does on navigation). */
async function deployV2(page: Page): Promise<void> {
  server.setTransform(swVersion('v2'));
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('update prompt appears when a new service worker waits, waits for a stream, and reloads only on click', async ({ page, fake }) => {
  await openControlled(page);
  const loads = countLoads(page);
  await mark(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, 'gpt-4o-mini');

  await deployV2(page);
  const bar = page.getByTestId('update-bar');
  const reload = page.getByTestId('update-available');
  await expect(reload).toBeVisible();
  await expect(bar).toHaveAttribute('role', 'status');
  await expect(bar).toHaveAttribute('data-state', 'waiting');
  await expect(reload).toBeEnabled();
  // A new version waits; the page keeps running the old one.
  expect(await marked(page)).toBe(true);
  expect(await controllerVersion(page)).toBe('v1');

  // The bar stays clear of the send button and inside the window, narrow to wide.
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 640 });
    const barBox = await bar.boundingBox();
    const sendBox = await page.getByTestId('composer-send').boundingBox();
    if (!barBox || !sendBox) throw new Error(`width ${width}: bar or send button not laid out`);
    expect(overlaps(barBox, sendBox), `width ${width}`).toBe(false);
    expect(barBox.x).toBeGreaterThanOrEqual(0);
    expect(barBox.x + barBox.width).toBeLessThanOrEqual(width);
  }

  // While an answer streams, Reload waits.
  fake.queue({ tokens: 400, hangAfterTokens: 5 });
  await send(page, 'a long answer please');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'streaming');
  await expect(msg.getByTestId('message-content')).not.toBeEmpty();
  await expect(reload).toBeDisabled();
  await expect(bar).toContainText('after the answer finishes');
  await page.getByTestId('composer-stop').click();
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(reload).toBeEnabled();
  await expect(bar).not.toContainText('after the answer finishes');
  expect(await marked(page)).toBe(true);
  expect(await controllerVersion(page)).toBe('v1');

  // Reload: the new worker takes over and the page reloads into it, once.
  await reload.click();
  await expect.poll(() => loads()).toBe(1);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  expect(await marked(page)).toBe(false);
  expect(await controllerVersion(page)).toBe('v2');
  await expect(bar).toBeHidden();
  expect(loads()).toBe(1);
});

test('Reload in another tab does not reload a tab that is streaming; it says so and reloads on click', async ({ page, context, fake }) => {
  await openControlled(page);
  await addConnection(page, { kind: 'openai', url: openaiUrl(fake), key: 'sk-test-123' });
  await pickModel(page, 'gpt-4o-mini');
  const other = await context.newPage();
  await other.goto(server.url);
  await expect(other.getByTestId('composer-input')).toBeVisible();
  expect(await controllerVersion(other)).toBe('v1');
  const loadsA = countLoads(page);
  const loadsB = countLoads(other);
  await mark(page);

  fake.queue({ tokens: 400, hangAfterTokens: 5 });
  await send(page, 'keep streaming while the other tab updates');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'streaming');

  await deployV2(other);
  await expect(other.getByTestId('update-available')).toBeEnabled();
  await expect(page.getByTestId('update-available')).toBeDisabled();
  await other.getByTestId('update-available').click();
  await expect.poll(() => loadsB()).toBe(1);
  await expect(other.getByTestId('composer-input')).toBeVisible();
  expect(await controllerVersion(other)).toBe('v2');
  await expect(other.getByTestId('update-bar')).toBeHidden();

  // The streaming tab now runs under the new worker but keeps its page and its stream.
  await expect.poll(() => controllerVersion(page)).toBe('v2');
  const bar = page.getByTestId('update-bar');
  await expect(bar).toHaveAttribute('data-state', 'switched');
  await expect(bar).toContainText('updated in another tab');
  await expect(page.getByTestId('update-available')).toBeDisabled();
  await expect(msg).toHaveAttribute('data-status', 'streaming');
  await page.getByTestId('composer-stop').click();
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('update-available')).toBeEnabled();
  expect(await marked(page)).toBe(true);
  expect(loadsA()).toBe(0);

  await page.getByTestId('update-available').click();
  await expect.poll(() => loadsA()).toBe(1);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  expect(await marked(page)).toBe(false);
  await expect(bar).toBeHidden();
  expect(loadsB()).toBe(1);
});

test('an idle tab is not reloaded by another tab either, and "Later" hides the bar until the switch', async ({ page, context }) => {
  await openControlled(page);
  const other = await context.newPage();
  await other.goto(server.url);
  await expect(other.getByTestId('composer-input')).toBeVisible();
  const loadsA = countLoads(page);
  const loadsB = countLoads(other);
  await mark(page);

  await deployV2(page);
  await expect(page.getByTestId('update-available')).toBeEnabled();
  await page.getByTestId('update-later').click();
  await expect(page.getByTestId('update-bar')).toBeHidden();

  await expect(other.getByTestId('update-available')).toBeEnabled();
  await other.getByTestId('update-available').click();
  await expect.poll(() => loadsB()).toBe(1);
  await expect(other.getByTestId('composer-input')).toBeVisible();
  expect(await controllerVersion(other)).toBe('v2');
  await expect.poll(() => controllerVersion(page)).toBe('v2');
  // Dismissed for the waiting version, the bar comes back once the switch happened elsewhere.
  await expect(page.getByTestId('update-bar')).toHaveAttribute('data-state', 'switched');
  await expect(page.getByTestId('update-bar')).toContainText('updated in another tab');
  expect(await marked(page)).toBe(true);
  // The one reload is the click's (a reload started by the switch would make two, or leave no bar to click).
  await page.getByTestId('update-available').click();
  await expect.poll(() => loadsA()).toBe(1);
  await expect(page.getByTestId('composer-input')).toBeVisible();
  expect(await marked(page)).toBe(false);
  expect(loadsA()).toBe(1);
});

test('a page left open finds a new version by itself after an hour, without reloading', async ({ page }) => {
  let version = 'v1';
  let swFetches = 0;
  server.setTransform((path, body) => {
    if (path === '/sw.js') swFetches++;
    return swVersion(version)(path, body);
  });
  await page.clock.install();
  await openControlled(page);
  const loads = countLoads(page);
  await mark(page);
  // The browser fetches sw.js on the first visit and checks it again after the reload's
  // navigation: let both happen on v1, so the only check left to find v2 is the page's own.
  await expect.poll(() => swFetches, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  version = 'v2';
  await page.clock.fastForward('59:00');
  await expect(page.getByTestId('update-bar')).toBeHidden();
  await page.clock.fastForward('01:01');
  await expect(page.getByTestId('update-bar')).toHaveAttribute('data-state', 'waiting');
  await expect(page.getByTestId('update-available')).toBeEnabled();
  expect(await marked(page)).toBe(true);
  expect(loads()).toBe(0);
});
