/**
 * Drives Parley's UI for the benchmarks: launching Chromium, an in-page probe (long tasks,
 * DOM mutation times), and the few UI steps a benchmark needs (connection, model, send).
 * Mirrors e2e/fixtures.ts without importing Playwright's test runner.
 */

import { chromium, type Browser, type BrowserContext, type CDPSession, type Locator, type Page } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const UI_TIMEOUT = 15_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function launchPersistent(userDataDir: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL });
}

// ---------------------------------------------------------------------------------------------
// In-page probe, installed before any of the app's scripts run.

export interface LongTask {
  start: number;
  duration: number;
}

/** What the probe records; all times are the page's performance.now() (ms since navigation start). */
export interface Probe {
  longTasks: LongTask[];
  /** First time the composer textarea was in the DOM, enabled and visible (checkVisibility). */
  composerReadyAt: number | null;
  /** The end of the first frame rendered after that (a task queued from requestAnimationFrame). */
  composerFrameAt: number | null;
  /**
   * Last time anything inside a message-content element changed (children, text, attributes),
   * or an element holding a message-content was inserted (Solid may replace a whole message).
   */
  lastContentMutationAt: number;
  contentMutations: number;
  /** data-message-id of the last assistant message when the probe was last reset. */
  baselineId: string;
  /** First time, since the last reset, that a newer last assistant message showed `done`. */
  doneAt: number | null;
}

declare global {
  interface Window {
    __bench: Probe;
  }
}

/** Serialized by Playwright into the page; must be self-contained. */
function installProbe(): void {
  const p: Probe = { longTasks: [], composerReadyAt: null, composerFrameAt: null, lastContentMutationAt: 0, contentMutations: 0, baselineId: '', doneAt: null };
  window.__bench = p;
  const CONTENT = '[data-testid="message-content"]';
  const ASSISTANT = '[data-testid="message"][data-role="assistant"]';

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) p.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // longtask timing unsupported: the list stays empty
  }

  const checkComposer = (): boolean => {
    if (p.composerReadyAt !== null) return true;
    const c = document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]');
    if (c && !c.disabled && c.checkVisibility()) {
      p.composerReadyAt = performance.now();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          p.composerFrameAt = performance.now();
        };
        ch.port2.postMessage(0);
      });
      return true;
    }
    return false;
  };
  const poll = (): void => {
    if (!checkComposer()) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);

  const holdsContent = (n: Node): boolean =>
    n.nodeType === Node.ELEMENT_NODE && ((n as Element).matches(CONTENT) || (n as Element).querySelector(CONTENT) !== null);

  new MutationObserver((records) => {
    const now = performance.now();
    let content = false;
    let messages = false;
    for (const r of records) {
      if (content && messages) break;
      const el = r.target.nodeType === Node.ELEMENT_NODE ? (r.target as Element) : r.target.parentElement;
      if (!el) continue;
      if (r.type === 'attributes' && r.attributeName === 'data-status') messages = true;
      if (el.closest(CONTENT)) {
        content = true;
      } else if (r.type === 'childList') {
        for (const n of r.addedNodes) {
          if (holdsContent(n)) {
            content = true;
            messages = true;
            break;
          }
        }
      }
    }
    if (content) {
      p.lastContentMutationAt = now;
      p.contentMutations++;
    }
    if (messages && p.doneAt === null) {
      const all = document.querySelectorAll(ASSISTANT);
      const last = all[all.length - 1];
      if (last && last.getAttribute('data-message-id') !== p.baselineId && last.getAttribute('data-status') === 'done') p.doneAt = now;
    }
    if (p.composerReadyAt === null) checkComposer();
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

export async function newBenchPage(context: BrowserContext): Promise<Page> {
  // tsx (esbuild, keepNames) wraps named functions in `__name(...)` calls; functions that
  // Playwright serializes into the page then need that helper there.
  await context.addInitScript({ content: 'globalThis.__name = globalThis.__name || ((f) => f);' });
  await context.addInitScript(installProbe);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(UI_TIMEOUT);
  return page;
}

export function readProbe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const p = window.__bench;
    return { ...p, longTasks: [...p.longTasks] };
  });
}

export async function resetProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const p = window.__bench;
    p.longTasks.length = 0;
    p.lastContentMutationAt = 0;
    p.contentMutations = 0;
    p.doneAt = null;
    const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
    p.baselineId = all[all.length - 1]?.getAttribute('data-message-id') ?? '';
  });
}

// ---------------------------------------------------------------------------------------------
// UI steps

export async function openApp(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await waitComposerReady(page);
}

/** Waits for the composer; returns the probe's times (ms since navigation start) and FCP. */
export async function waitComposerReady(page: Page, timeout = UI_TIMEOUT): Promise<{ readyAt: number; frameAt: number; fcp: number | null }> {
  const h = await page.waitForFunction(
    () => {
      const b = window.__bench;
      if (b.composerReadyAt === null || b.composerFrameAt === null) return null;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      return { readyAt: b.composerReadyAt, frameAt: b.composerFrameAt, fcp };
    },
    undefined,
    { timeout, polling: 50 },
  );
  return (await h.jsonValue()) as { readyAt: number; frameAt: number; fcp: number | null };
}

export async function addConnection(page: Page, c: { kind: 'openai' | 'ollama'; url: string; key?: string }): Promise<void> {
  await page.getByTestId('settings-open').click();
  const items = page.getByTestId('connection-item');
  const before = await items.count();
  await page.getByTestId('connection-add').click();
  await page.getByTestId('connection-kind').selectOption(c.kind);
  await page.getByTestId('connection-url').fill(c.url);
  if (c.key) await page.getByTestId('connection-key').fill(c.key);
  await page.getByTestId('connection-save').click();
  await items.nth(before).waitFor();
  await page.getByRole('button', { name: 'Close settings' }).click();
}

export async function pickModel(page: Page, id: string): Promise<void> {
  await page.getByTestId('model-select').click();
  await page.getByTestId('model-search').fill(id);
  await page.locator(`[data-testid="model-option"][data-model-id="${id}"]`).first().click();
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="model-select"]')?.getAttribute('data-model-id') === want,
    id,
  );
}

export function assistantMessages(page: Page): Locator {
  return page.locator('[data-testid="message"][data-role="assistant"]');
}

/** Types and sends a message; resolves with the new assistant message's id once it exists. */
export async function send(page: Page, text: string): Promise<string> {
  const before = await assistantMessages(page).count();
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  const msg = assistantMessages(page).nth(before);
  await msg.waitFor({ state: 'attached' });
  const id = await msg.getAttribute('data-message-id');
  if (!id) throw new Error('assistant message has no data-message-id');
  return id;
}

/** The message element, re-resolved on every use (Solid may replace it while it streams). */
export function messageById(page: Page, id: string): Locator {
  return page.locator(`[data-testid="message"][data-message-id="${id}"]`);
}

/** Waits until the message leaves `streaming`; throws unless it ends `done`. */
export async function waitFinished(page: Page, id: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (mid) => {
      const s = document.querySelector(`[data-testid="message"][data-message-id="${mid}"]`)?.getAttribute('data-status');
      return s !== undefined && s !== null && s !== 'streaming';
    },
    id,
    { timeout, polling: 200 },
  );
  const msg = messageById(page, id);
  const status = await msg.getAttribute('data-status');
  if (status !== 'done') {
    const err = await msg.getByTestId('message-error').textContent().catch(() => null);
    throw new Error(`assistant message ended "${status}"${err ? `: ${err}` : ''}`);
  }
}

/** Waits until no message-content mutation has happened for `quietMs`. */
export async function waitContentQuiet(page: Page, quietMs: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((q) => performance.now() - window.__bench.lastContentMutationAt >= q, quietMs, { timeout, polling: 50 });
}

/**
 * A fresh context ready to chat through an OpenAI-kind connection: app open, connection saved,
 * model picked. Service workers are blocked so their precaching does not run during a measurement.
 */
export async function chatReadyPage(browser: Browser, appUrl: string, llmUrl: string, model = 'gpt-4o-mini'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'block' });
  const page = await newBenchPage(context);
  await openApp(page);
  await addConnection(page, { kind: 'openai', url: `${llmUrl}/v1`, key: 'sk-bench-0000' });
  await pickModel(page, model);
  return { context, page };
}

export async function cdp(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}

/**
 * Two CDP sessions on the page with the Performance domain on: durations in wall time
 * (`timeTicks`, what a user waits through) and in main-thread CPU time (`threadTicks`, much less
 * sensitive to other processes competing for the CPU).
 */
export async function perfSessions(page: Page): Promise<{ wall: CDPSession; cpu: CDPSession }> {
  const wall = await cdp(page);
  await wall.send('Performance.enable', { timeDomain: 'timeTicks' });
  const cpu = await cdp(page);
  await cpu.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { wall, cpu };
}

/** Main-thread task time in seconds, without the time spent serving DevTools (the bench's own calls). */
export function busySeconds(m: Record<string, number>): number {
  return (m['TaskDuration'] ?? 0) - (m['DevToolsCommandDuration'] ?? 0);
}

/** CDP Performance.getMetrics as a name → value record (durations in seconds). */
export async function metrics(session: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  const out: Record<string, number> = {};
  for (const m of list) out[m.name] = m.value;
  return out;
}

/** Opens an empty new chat (sidebar button) and waits until no message is shown. */
export async function newChat(page: Page): Promise<void> {
  await page.getByTestId('new-chat').click();
  await page.locator('[data-testid="message"]').first().waitFor({ state: 'detached' });
}

/**
 * Sends a tiny answer with a code block and math first, so the lazily loaded renderers
 * (highlighting, KaTeX) are in place before a measured answer, then opens a new chat.
 */
export async function warmUp(page: Page, queue: (reply: string) => void): Promise<void> {
  queue('Warm-up.\n\n```ts\nconst x: number = 1;\n```\n\nInline $x^2$ and\n\n$$\n\\frac{1}{2}\n$$\n');
  const id = await send(page, 'warm up');
  await waitFinished(page, id, UI_TIMEOUT);
  await waitContentQuiet(page, 300);
  await newChat(page);
}

export interface RequestTiming {
  url: string;
  /** CDP monotonic clock, seconds: request sent, last data chunk delivered, loading finished or failed. */
  sentTs: number;
  lastDataTs: number | null;
  endTs: number | null;
  /** Epoch seconds when sent (CDP wallTime), for a wall-clock cross-check. */
  sentWall: number;
  dataEvents: number;
  failed: string | null;
}

/**
 * Network timing of matching requests, from CDP Network events of the page and of its dedicated
 * workers (the engine fetches from a worker, whose events only its own target reports). Workers
 * are reached with Target.setAutoAttach in non-flattened mode, because Playwright's CDPSession
 * cannot address flattened child sessions. Timestamps are CDP monotonic seconds.
 */
export async function watchRequests(session: CDPSession, match: RegExp): Promise<() => RequestTiming[]> {
  const byId = new Map<string, RequestTiming>();
  const onNetwork = (method: string, params: Record<string, unknown>): void => {
    const id = String(params['requestId']);
    const ts = Number(params['timestamp']);
    if (method === 'Network.requestWillBeSent') {
      const req = params['request'] as { url: string; method: string };
      if (!match.test(req.url) || req.method === 'OPTIONS') return;
      byId.set(id, { url: req.url, sentTs: ts, sentWall: Number(params['wallTime']), lastDataTs: null, endTs: null, dataEvents: 0, failed: null });
      return;
    }
    const r = byId.get(id);
    if (!r) return;
    if (method === 'Network.dataReceived') {
      r.lastDataTs = ts;
      r.dataEvents++;
    } else if (method === 'Network.loadingFinished') {
      r.endTs = ts;
    } else if (method === 'Network.loadingFailed') {
      r.endTs = ts;
      r.failed = String(params['errorText']);
    }
  };
  for (const m of ['Network.requestWillBeSent', 'Network.dataReceived', 'Network.loadingFinished', 'Network.loadingFailed'] as const) {
    session.on(m, (p) => onNetwork(m, p as unknown as Record<string, unknown>));
  }

  let nextId = 1;
  const pending = new Map<number, () => void>();
  const waits: Array<Promise<void>> = [];
  session.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type !== 'worker') return;
    const id = nextId++;
    const enabled = new Promise<void>((resolve) => pending.set(id, resolve));
    waits.push(enabled);
    void session.send('Target.sendMessageToTarget', { sessionId: e.sessionId, message: JSON.stringify({ id, method: 'Network.enable', params: {} }) }).catch(() => pending.get(id)?.());
  });
  session.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; method?: string; params?: Record<string, unknown> };
    if (msg.id !== undefined) pending.get(msg.id)?.();
    else if (msg.method?.startsWith('Network.')) onNetwork(msg.method, msg.params ?? {});
  });
  await session.send('Network.enable');
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 2000))]);
  return () => [...byId.values()];
}

/** Main-thread JS heap after a forced garbage collection, in bytes. */
export async function heapAfterGc(session: CDPSession): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize;
}
