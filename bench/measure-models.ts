/**
 * Section 4 — model lists from five servers at once, and the picker with 5,000 models.
 *
 * Five connections, seeded straight into IndexedDB: Ollama and OpenAI kinds on the fake
 * server, one answering after 200 ms, one with 400 models (a second fake server), and one that
 * never answers (timed out after its 10 s listing timeout).
 * - First models: an init script opens the picker the moment its button exists; an in-page
 *   MutationObserver stamps (performance.now(), ms since navigation start) the first
 *   `model-option`, the moment the picker counts four servers listed (`data-listed`), and the
 *   moment the hanging one is reported as failed (`data-failed`). Cold = no cached lists; warm = a reload within the
 *   cache TTL (the hanging server never had a list, so it is asked again).
 * - Filter: with one 5,000-model connection, each keystroke is an `input` event dispatched
 *   in the page; its cost is the synchronous work (Solid's update, DOM changes) plus a forced
 *   style and layout, timed with performance.now(). The browser's paint is not included.
 */

import type { Browser, Page } from '@playwright/test';
import { startFakeLlm, type FakeLlm } from '../e2e/fake-llm/server';
import { newBenchPage, openApp } from './driver';
import { median } from './report';

export interface ListTimes {
  /** The composer was ready (the app is up): the floor for everything else. */
  composerReadyMs: number | null;
  firstOptionMs: number | null;
  answeredMs: number | null;
  completeMs: number | null;
}

export interface ModelsResult {
  cold: ListTimes;
  warm: ListTimes;
  filter: { models: number; keystrokes: number; medianMs: number; p95Ms: number; maxMs: number; query: string; scriptMedianMs: number; perKeystrokeMs: number[] };
}

interface Seed {
  id: string;
  kind: 'openai' | 'ollama';
  name: string;
  url: string;
  prefixId?: string;
}

declare global {
  interface Window {
    __models?: { firstOption: number | null; answered: number | null; failed: number | null };
  }
}

/** Opens the picker as soon as it exists and stamps when models show up. Runs before the app. */
function installPickerWatch(expectGroups: number): void {
  const w = { firstOption: null as number | null, answered: null as number | null, failed: null as number | null };
  window.__models = w;
  let clicked = false;
  new MutationObserver(() => {
    const btn = document.querySelector<HTMLButtonElement>('[data-testid="model-select"]');
    if (btn && !clicked) {
      clicked = true;
      btn.click();
    }
    const now = performance.now();
    if (w.firstOption === null && document.querySelector('[data-testid="model-option"]')) w.firstOption = now;
    const pop = document.querySelector('.model-pop');
    if (w.answered === null && Number(pop?.getAttribute('data-listed') ?? 0) >= expectGroups) w.answered = now;
    if (w.failed === null && Number(pop?.getAttribute('data-failed') ?? 0) > 0) w.failed = now;
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-listed', 'data-failed'] });
}

async function seed(page: Page, connections: Seed[], clearCache: boolean): Promise<void> {
  await page.evaluate(
    async ({ connections, clearCache }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('parley');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction(['connections', 'modelCache'], 'readwrite');
      const store = tx.objectStore('connections');
      store.clear();
      connections.forEach((c, i) => {
        store.put({
          ...c, key: '', enabled: true, modelIds: [], prefixId: c.prefixId ?? '', tags: [], headers: {}, authType: 'bearer',
          azure: false, apiVersion: '', timeoutMs: 10_000, createdAt: i + 1, updatedAt: i + 1,
        });
      });
      if (clearCache) tx.objectStore('modelCache').clear();
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { connections, clearCache },
  );
}

async function listTimes(page: Page, timeoutMs: number): Promise<ListTimes> {
  await page
    .waitForFunction(() => window.__models?.answered !== null && window.__models?.failed !== null, undefined, { timeout: timeoutMs, polling: 100 })
    .catch(() => undefined);
  const w = await page.evaluate(() => window.__models ?? { firstOption: null, answered: null, failed: null });
  const composer = await page.evaluate(() => window.__bench.composerReadyAt);
  const complete = w.answered !== null && w.failed !== null ? Math.max(w.answered, w.failed) : null;
  return { composerReadyMs: composer, firstOptionMs: w.firstOption, answeredMs: w.answered, completeMs: complete };
}

function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}

export async function measureModels(browser: Browser, appUrl: string, llm: FakeLlm): Promise<ModelsResult> {
  const big = await startFakeLlm({ port: 0 });
  const huge = await startFakeLlm({ port: 0 });
  big.setModels('openai', ids('big-model', 400));
  huge.setModels('openai', ids('model', 5000));
  const hang = encodeURIComponent(JSON.stringify({ hang: true }));
  const slow = encodeURIComponent(JSON.stringify({ delayMs: 200 }));
  const five: Seed[] = [
    { id: 'c-hang', kind: 'openai', name: 'Hanging', url: `${llm.url}/x/${hang}/v1` },
    { id: 'c-ollama', kind: 'ollama', name: 'Ollama', url: llm.url },
    { id: 'c-openai', kind: 'openai', name: 'OpenAI-compatible', url: `${llm.url}/v1` },
    { id: 'c-slow', kind: 'openai', name: 'Slow (200 ms)', url: `${llm.url}/x/${slow}/v1`, prefixId: 'slow' },
    { id: 'c-big', kind: 'openai', name: '400 models', url: `${big.url}/v1` },
  ];
  try {
    const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'block' });
    const page = await newBenchPage(context);
    await openApp(page);
    await seed(page, five, true);
    await context.addInitScript(installPickerWatch, 4);
    await page.reload();
    const cold = await listTimes(page, 20_000);
    await page.reload();
    const warm = await listTimes(page, 20_000);

    // The picker with 5,000 models.
    await seed(page, [{ id: 'c-huge', kind: 'openai', name: '5,000 models', url: `${huge.url}/v1` }], true);
    await page.reload();
    await page.waitForSelector('[data-testid="model-option"]');
    const query = 'model-4 2 9';
    const measured = await page.evaluate(async (query) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="model-search"]')!;
      const out: number[] = [];
      const js: number[] = [];
      const key = async (value: string) => {
        const t0 = performance.now();
        input.value = value;
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
        const t1 = performance.now();
        void document.body.offsetHeight;
        out.push(performance.now() - t0);
        js.push(t1 - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      };
      for (let i = 1; i <= query.length; i++) await key(query.slice(0, i));
      for (let i = query.length - 1; i >= 0; i--) await key(query.slice(0, i));
      return { out, js };
    }, query);
    const times = measured.out;
    await context.close();
    const sorted = [...times].sort((a, b) => a - b);
    return {
      cold,
      warm,
      filter: {
        models: 5000,
        keystrokes: times.length,
        medianMs: median(times),
        p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
        maxMs: sorted[sorted.length - 1] ?? NaN,
        query,
        scriptMedianMs: median(measured.js),
        perKeystrokeMs: times.map((t) => Math.round(t * 10) / 10),
      },
    };
  } finally {
    await big.close();
    await huge.close();
  }
}
