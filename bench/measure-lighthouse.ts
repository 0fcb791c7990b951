/**
 * Section — Lighthouse scores of the built app's first screen, and installability.
 *
 * Lighthouse (npm `lighthouse` 12, node API) runs in its own Chromium, started by chrome-launcher
 * (`CHROME_PATH`, default /usr/bin/chromium, headless): once with the desktop preset and once with
 * the default mobile one (simulated throttling, so a run takes seconds, not minutes), each for
 * performance, accessibility and best practices. Lighthouse 12 has no PWA category any more, so
 * installability comes from Chromium itself: `Page.getInstallabilityErrors` over CDP on a page whose
 * service worker is active (an empty list = Chromium would offer to install it).
 */

import lighthouse, { desktopConfig } from 'lighthouse';
import { launch } from 'chrome-launcher';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchPersistent } from './driver';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
type Category = (typeof CATEGORIES)[number];

export interface FailedAudit {
  id: string;
  title: string;
  /** CSS selectors (and a snippet) of the elements the audit names, at most a few. */
  elements: string[];
}

export interface LighthouseRun {
  preset: 'desktop' | 'mobile';
  /** 0–100 per category; null when Lighthouse could not score it. */
  scores: Record<Category, number | null>;
  /** Milliseconds, except CLS (unitless). */
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; speedIndexMs: number };
  /** Accessibility audits scoring below 1. */
  accessibilityFailures: FailedAudit[];
  /** Other audits that cost points (performance and best practices), by id. */
  otherFailures: string[];
  /** The elements that moved, when layout shifted (Lighthouse's layout-shifts audit). */
  shifted: string[];
  runtimeError?: string;
  durationS: number;
}

export interface Installability {
  installable: boolean;
  serviceWorkerActive: boolean;
  manifestUrl: string;
  errors: string[];
}

export interface LighthouseResult {
  lighthouseVersion: string;
  runs: LighthouseRun[];
  installability: Installability;
}

interface AuditNode {
  selector?: string;
  snippet?: string;
}

/** The elements an audit's details name (table/list items with a `node`). */
function auditElements(details: unknown): string[] {
  const items = (details as { items?: Array<{ node?: AuditNode }> } | undefined)?.items ?? [];
  return items
    .map((it) => it.node)
    .filter((n): n is AuditNode => !!n)
    .slice(0, 4)
    .map((n) => `${n.selector ?? '?'}${n.snippet ? ` ${n.snippet.slice(0, 100)}` : ''}`);
}

async function runOnce(url: string, preset: LighthouseRun['preset']): Promise<LighthouseRun & { version: string }> {
  const started = Date.now();
  const chrome = await launch({
    chromePath: process.env.CHROME_PATH ?? CHROMIUM_PATH,
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS, '--disable-dev-shm-usage'],
    logLevel: 'silent',
  });
  try {
    const flags = { port: chrome.port, output: 'json' as const, logLevel: 'error' as const, onlyCategories: [...CATEGORIES] };
    const res = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
    if (!res) throw new Error('Lighthouse returned no result');
    const lhr = res.lhr;
    const score = (c: Category): number | null => {
      const s = lhr.categories[c]?.score;
      return typeof s === 'number' ? Math.round(s * 100) : null;
    };
    const metric = (id: string): number => lhr.audits[id]?.numericValue ?? NaN;
    const failing = (c: Category) =>
      (lhr.categories[c]?.auditRefs ?? [])
        .filter((r) => r.weight > 0)
        .map((r) => lhr.audits[r.id])
        .filter((a): a is NonNullable<typeof a> => !!a && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric') && typeof a.score === 'number' && a.score < 1);
    return {
      preset,
      version: lhr.lighthouseVersion,
      scores: { performance: score('performance'), accessibility: score('accessibility'), 'best-practices': score('best-practices') },
      metrics: {
        fcpMs: metric('first-contentful-paint'),
        lcpMs: metric('largest-contentful-paint'),
        tbtMs: metric('total-blocking-time'),
        cls: metric('cumulative-layout-shift'),
        speedIndexMs: metric('speed-index'),
      },
      accessibilityFailures: failing('accessibility').map((a) => ({ id: a.id, title: a.title, elements: auditElements(a.details) })),
      otherFailures: [...failing('performance'), ...failing('best-practices')].map((a) => `${a.id} (${Math.round((a.score ?? 0) * 100)})`),
      shifted: auditElements(lhr.audits['layout-shifts']?.details),
      ...(lhr.runtimeError ? { runtimeError: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
      durationS: (Date.now() - started) / 1000,
    };
  } finally {
    chrome.kill();
  }
}

/** Chromium's own verdict, with the service worker active (Lighthouse 12 no longer judges PWAs). */
async function installability(appUrl: string): Promise<Installability> {
  // A persistent profile: Chromium never offers to install from an incognito-like context.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-install-'));
  const context = await launchPersistent(dir, appUrl);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(appUrl + '/');
    const serviceWorkerActive = await page
      .evaluate(() => Promise.race([navigator.serviceWorker.ready.then((r) => !!r.active), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]))
      .catch(() => false);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    const manifest = await cdp.send('Page.getAppManifest').catch(() => ({ url: '' }));
    const errors = installabilityErrors.map((e) => [e.errorId, ...e.errorArguments.map((a) => `${a.name}=${a.value}`)].join(' '));
    return { installable: errors.length === 0, serviceWorkerActive, manifestUrl: manifest.url, errors };
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function measureLighthouse(appUrl: string): Promise<LighthouseResult> {
  const install = await installability(appUrl);
  const runs: LighthouseRun[] = [];
  let version = '';
  for (const preset of ['desktop', 'mobile'] as const) {
    const { version: v, ...run } = await runOnce(appUrl + '/', preset);
    version = v;
    runs.push(run);
  }
  return { lighthouseVersion: version, runs, installability: install };
}

const TARGETS: Partial<Record<Category, number>> = { performance: 95, accessibility: 95 };

export function formatLighthouse(
  r: LighthouseResult,
  fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string; section: (t: string) => string },
): string {
  const lines: string[] = [fmt.section(`9. Lighthouse ${r.lighthouseVersion} on the first screen; installability`)];
  const score = (x: number | null) => (x === null ? 'n/a' : String(x));
  const verdict = (c: Category) => {
    const t = TARGETS[c];
    if (t === undefined) return '';
    return `≥ ${t}: ${r.runs.map((run) => `${run.preset} ${(run.scores[c] ?? 0) >= t ? 'within' : 'UNDER'}`).join(', ')}`;
  };
  lines.push(
    fmt.table(
      ['', ...r.runs.map((run) => run.preset), 'target'],
      [
        ...CATEGORIES.map((c) => [c, ...r.runs.map((run) => score(run.scores[c])), verdict(c)]),
        ['first contentful paint', ...r.runs.map((run) => fmt.ms(run.metrics.fcpMs)), ''],
        ['largest contentful paint', ...r.runs.map((run) => fmt.ms(run.metrics.lcpMs)), ''],
        ['total blocking time', ...r.runs.map((run) => fmt.ms(run.metrics.tbtMs)), ''],
        ['cumulative layout shift', ...r.runs.map((run) => run.metrics.cls.toFixed(3)), ''],
        ['run took', ...r.runs.map((run) => `${run.durationS.toFixed(0)} s`), ''],
      ],
    ),
  );
  lines.push('  desktop = Lighthouse desktop preset; mobile = its default (simulated slow 4G, 4× CPU slowdown)');
  const i = r.installability;
  lines.push(
    `  installable (Chromium's Page.getInstallabilityErrors, target: installable): ${i.installable ? 'yes' : 'NO'}; ` +
      `service worker ${i.serviceWorkerActive ? 'active' : 'NOT active'}; manifest ${i.manifestUrl || 'none'}` +
      (i.errors.length ? `\n    errors: ${i.errors.join('; ')}` : ''),
  );
  for (const run of r.runs) {
    if (run.runtimeError) lines.push(`  ${run.preset}: Lighthouse runtime error ${run.runtimeError}`);
    for (const a of run.accessibilityFailures) {
      lines.push(`  ${run.preset} accessibility: ${a.id} (${a.title})${a.elements.map((e) => `\n    ${e}`).join('')}`);
    }
    if (run.otherFailures.length) lines.push(`  ${run.preset} other audits below 100: ${run.otherFailures.join(', ')}`);
    if (run.shifted.length) lines.push(`  ${run.preset} layout shifts moved:${run.shifted.map((e) => `\n    ${e}`).join('')}`);
  }
  return lines.join('\n');
}
