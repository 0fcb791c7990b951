/**
 * Section 1 — first load.
 *
 * Bytes: every JS/CSS response the page (and its dedicated workers) received during a cold
 * first load, mapped back to the file in dist/ and gzipped here (node:zlib, default level 6).
 * The first load ends when the composer is ready and the network has been quiet for 500 ms.
 * Service-worker fetches (precaching) are not part of it. JS/CSS files in dist/ that the first
 * load did not request are listed as lazy.
 *
 * Time to interactive: navigation start (performance.timeOrigin) → the composer textarea is
 * in the DOM, enabled and visible (checkVisibility), as seen by the in-page probe (a
 * MutationObserver plus a per-frame check, installed before the app's scripts), and painted:
 * the later of the end of the next frame (a task queued from requestAnimationFrame) and first
 * contentful paint. Cold = a fresh browser context each time; warm-offline = one persistent
 * profile whose service worker controls the page, reloaded with the network off.
 */

import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { launchPersistent, newBenchPage, waitComposerReady } from './driver';
import { median } from './report';

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  /** Who fetched it on first load: the page, a dedicated worker (by URL), or nobody (lazy). */
  kind: 'script' | 'style' | 'worker' | 'lazy' | 'other';
}

export interface FirstLoadResult {
  files: FileSize[];
  totalRaw: number;
  totalGzip: number;
  lazy: FileSize[];
  lazyRaw: number;
  lazyGzip: number;
  /** Not counted: fetched by the service worker registration, in the background. */
  serviceWorker: FileSize[];
  cold: LoadTimes;
  warmOffline: LoadTimes & { controlled: boolean; error?: string };
}

/** ms since navigation start, per run, and their medians. */
export interface LoadTimes {
  /** Composer in the DOM, enabled, visible. */
  readyMs: number[];
  firstPaintMs: number[];
  /** The later of the frame after readiness and first contentful paint. */
  ttiMs: number[];
  median: { readyMs: number; firstPaintMs: number; ttiMs: number };
}

interface LoadTime {
  readyMs: number;
  firstPaintMs: number;
  ttiMs: number;
}

function summarize(xs: LoadTime[]): LoadTimes {
  const pick = (k: keyof LoadTime): number[] => xs.map((x) => x[k]);
  return {
    readyMs: pick('readyMs'),
    firstPaintMs: pick('firstPaintMs'),
    ttiMs: pick('ttiMs'),
    median: { readyMs: median(pick('readyMs')), firstPaintMs: median(pick('firstPaintMs')), ttiMs: median(pick('ttiMs')) },
  };
}

/** After a navigation: when the composer was ready, and when it was first painted. */
async function loadTime(page: Page): Promise<LoadTime> {
  const r = await waitComposerReady(page);
  const fcp =
    r.fcp ??
    ((await page
      .waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null, undefined, { timeout: 5000, polling: 50 })
      .then((h) => h.jsonValue())
      .catch(() => null)) as number | null);
  return { readyMs: r.readyAt, firstPaintMs: fcp ?? NaN, ttiMs: Math.max(r.frameAt, fcp ?? 0) };
}

const CODE = /\.(m?js|css)$/;

async function sizeOf(distDir: string, rel: string): Promise<{ raw: number; gzip: number }> {
  const buf = await readFile(path.join(distDir, rel));
  return { raw: buf.length, gzip: gzipSync(buf).length };
}

async function listCode(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listCode(p, base)));
    else if (CODE.test(e.name)) out.push(path.relative(base, p).split(path.sep).join('/'));
  }
  return out.sort();
}

function isServiceWorkerFile(rel: string): boolean {
  return rel === 'sw.js' || /^workbox-[\w-]+\.js$/.test(rel);
}

/** Loads the app once in a fresh context; returns TTI, FCP and the dist files it fetched. */
async function coldLoad(browser: Browser, appUrl: string): Promise<{ time: LoadTime; fetched: Map<string, FileSize['kind']> }> {
  const context = await browser.newContext({ baseURL: appUrl });
  try {
    const page = await newBenchPage(context);
    const fetched = new Map<string, FileSize['kind']>();
    page.on('response', (res) => {
      const req = res.request();
      if (req.serviceWorker()) return;
      const u = new URL(res.url());
      if (u.origin !== appUrl) return;
      const rel = decodeURIComponent(u.pathname).replace(/^\/+/, '');
      const type = req.resourceType();
      // A dedicated worker's own script is reported as 'other'/'script' depending on version; name it by URL.
      const kind: FileSize['kind'] = /\.worker[-.]/.test(rel) ? 'worker' : type === 'stylesheet' ? 'style' : type === 'script' ? 'script' : 'other';
      if (!fetched.has(rel)) fetched.set(rel, kind);
    });
    await page.goto('/', { waitUntil: 'commit' });
    const time = await loadTime(page);
    await page.waitForLoadState('networkidle');
    return { time, fetched };
  } finally {
    await context.close();
  }
}

async function warmOffline(appUrl: string, runs: number): Promise<FirstLoadResult['warmOffline']> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'));
  const context = await launchPersistent(dir, appUrl);
  try {
    const page: Page = await newBenchPage(context);
    await page.goto('/');
    await waitComposerReady(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload({ waitUntil: 'commit' });
    await waitComposerReady(page);
    const controlled = await page
      .waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!controlled) return { ...summarize([]), controlled, error: 'no service worker controlled the page after a reload' };
    await context.setOffline(true);
    const times: LoadTime[] = [];
    for (let i = 0; i < runs; i++) {
      await page.reload({ waitUntil: 'commit' });
      times.push(await loadTime(page));
    }
    return { ...summarize(times), controlled };
  } catch (err) {
    return { ...summarize([]), controlled: false, error: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) };
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function measureFirstLoad(browser: Browser, appUrl: string, distDir: string, runs = 5): Promise<FirstLoadResult> {
  const cold: LoadTime[] = [];
  let fetched = new Map<string, FileSize['kind']>();
  for (let i = 0; i < runs; i++) {
    const r = await coldLoad(browser, appUrl);
    cold.push(r.time);
    if (i === 0) fetched = r.fetched;
    else for (const [k, v] of r.fetched) if (!fetched.has(k)) fetched.set(k, v);
  }

  const files: FileSize[] = [];
  for (const [rel, kind] of fetched) {
    if (!CODE.test(rel) || isServiceWorkerFile(rel) || !existsSync(path.join(distDir, rel))) continue;
    files.push({ file: rel, kind, ...(await sizeOf(distDir, rel)) });
  }
  files.sort((a, b) => b.gzip - a.gzip);

  const lazy: FileSize[] = [];
  const serviceWorker: FileSize[] = [];
  for (const rel of await listCode(distDir)) {
    if (isServiceWorkerFile(rel)) serviceWorker.push({ file: rel, kind: 'other', ...(await sizeOf(distDir, rel)) });
    else if (!fetched.has(rel)) lazy.push({ file: rel, kind: 'lazy', ...(await sizeOf(distDir, rel)) });
  }
  lazy.sort((a, b) => b.gzip - a.gzip);

  const sum = (xs: FileSize[], k: 'raw' | 'gzip'): number => xs.reduce((s, f) => s + f[k], 0);
  return {
    files,
    totalRaw: sum(files, 'raw'),
    totalGzip: sum(files, 'gzip'),
    lazy,
    lazyRaw: sum(lazy, 'raw'),
    lazyGzip: sum(lazy, 'gzip'),
    serviceWorker,
    cold: summarize(cold),
    warmOffline: await warmOffline(appUrl, runs),
  };
}
