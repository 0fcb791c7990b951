/**
 * `npm run bench`: builds (in the npm script), serves dist/ with `vite preview`, starts the fake
 * model server, drives the app in Chromium and PRINTS figures next to their targets. Nothing is
 * asserted; the exit code is non-zero only when the bench itself could not run.
 *
 * Environment: BENCH_PORT (default 4327), BENCH_DIST (default dist), BENCH_ONLY (comma list of
 * sections: load,stream,long,models,longchat,sidebar,import,search,lighthouse,rag,pdf,gpu,sync), BENCH_SYNC_CHATS / BENCH_SYNC_PER_CHAT (the synced library, default 1,000 × 20), BENCH_LONG_TPS (pace of the 20,000-token answer, default 400),
 * BENCH_RAG_ROWS (rows of the knowledge-search section, default 100,000), BENCH_PDF_PAGES (pages of the
 * ingested PDF, default 300). `BENCH_ONLY=rag,pdf` needs no app build: those sections bundle their own pages.
 * Results also go to bench/results/latest.json.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { startFakeLlm, type FakeLlm } from '../e2e/fake-llm/server';
import { launchBrowser } from './driver';
import { startPreview, type Preview } from './serve';
import { measureFirstLoad, type FirstLoadResult, type LoadTimes } from './measure-first-load';
import { measureStreamRun, type StreamRun } from './measure-stream';
import { measureLongAnswer, type LongAnswerResult } from './measure-long-answer';
import { measureModels, type ModelsResult } from './measure-models';
import { measureLongChat, type LongChatResult, type OpenTimes, type RegenTimes } from './measure-long-chat';
import { formatSidebar, measureSidebar } from './measure-sidebar';
import { formatImport, measureImport } from './measure-import';
import { formatSearch, measureSearch } from './measure-search';
import { formatLighthouse, measureLighthouse } from './measure-lighthouse';
import { formatRagSearch, measureRagSearch } from './measure-rag-search';
import { formatPdfIngest, measurePdfIngest } from './measure-pdf-ingest';
import { formatWebGpu, measureWebGpu } from './measure-webgpu';
import { formatSync, measureSync } from './measure-sync';
import { kb, ms, num, section, table } from './report';

const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const PORT = Number(process.env.BENCH_PORT ?? 4327);
const DIST = path.resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
const ONLY = new Set((process.env.BENCH_ONLY ?? 'load,stream,long,models,longchat,sidebar,import,search,lighthouse,rag,pdf,gpu,sync').split(',').map((s) => s.trim()));
/** Sections that drive the built app (the others bring their own page). */
const APP_SECTIONS = ['load', 'stream', 'long', 'models', 'longchat', 'sidebar', 'import', 'search', 'lighthouse', 'sync'];
const NEEDS_APP = APP_SECTIONS.some((s) => ONLY.has(s));
const LONG_TPS = Number(process.env.BENCH_LONG_TPS ?? 400);

const TARGET = {
  firstLoadGzipKB: 150,
  renderAfterLastByteMs: 50,
  longTasksMs: 100,
  pacedBusyS: 2,
  growth: 1.2,
  firstModelsMs: 300,
  filterKeystrokeMs: 16,
  longChatOpenMs: 300,
};
const PEERS = {
  firstLoad: '621–1,537 KB gz',
  renderAfterLastByte: 'best 74 ms',
  pacedBusy: '13.6 s of 20 s',
  longChatOpen: 'a 200-message chat: NextChat 457 ms (renders 15), Hollama 29 s (renders all 200)',
};

const out = (s = ''): void => {
  process.stdout.write(s + '\n');
};
const verdict = (ok: boolean): string => (ok ? 'within' : 'OVER');

function gitRev(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return 'unknown';
  }
}

function printFirstLoad(r: FirstLoadResult): void {
  out(section('1. First load'));
  out(
    table(
      ['file (fetched by the first load)', 'kind', 'raw', 'gzip'],
      [
        ...r.files.map((f) => [f.file, f.kind, kb(f.raw), kb(f.gzip)]),
        ['TOTAL JS+CSS', '', kb(r.totalRaw), kb(r.totalGzip)],
      ],
    ),
  );
  out(`  target ≤ ${TARGET.firstLoadGzipKB} KB gzip: ${verdict(r.totalGzip / 1024 <= TARGET.firstLoadGzipKB)} (peers ${PEERS.firstLoad})`);
  out();
  out(
    table(
      ['lazy (not requested by the first load)', 'raw', 'gzip'],
      [...r.lazy.map((f) => [f.file, kb(f.raw), kb(f.gzip)]), ['total lazy', kb(r.lazyRaw), kb(r.lazyGzip)]],
    ),
  );
  out(`  service worker scripts (background, not counted): ${r.serviceWorker.map((f) => `${f.file} ${kb(f.gzip)} gz`).join(', ') || 'none'}`);
  out();
  const wo = r.warmOffline;
  const runs = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' / ');
  const row = (name: string, t: LoadTimes, err?: string): string[][] =>
    err
      ? [[name, 'n/a', 'n/a', 'n/a', `failed: ${err}`]]
      : [[name, ms(t.median.readyMs), ms(t.median.firstPaintMs), ms(t.median.ttiMs), runs(t.ttiMs)]];
  out(
    table(
      ['time to interactive (ms from navigation start)', 'composer ready', 'first paint', 'TTI (median)', 'TTI runs'],
      [...row('cold, fresh context', r.cold), ...row('warm, offline from the service worker', wo, wo.error)],
    ),
  );
  out('  composer ready = in the DOM, enabled, visible; TTI = also painted (the later of the next frame and first contentful paint)');
}

function printStream(runs: StreamRun[]): void {
  out(section('2. A ~2,000-token markdown answer'));
  const head = ['', ...runs.map((r) => r.label), 'target'];
  const row = (name: string, f: (r: StreamRun) => string, target = ''): string[] => [name, ...runs.map(f), target];
  out(
    table(head, [
      row('tokens / rendered characters', (r) => `${r.tokens} / ${r.chars}`),
      row('send → last byte', (r) => ms(r.streamMs)),
      row('render done after last byte', (r) => ms(r.renderAfterLastByteMs, 1), `≤ ${TARGET.renderAfterLastByteMs} ms (peers ${PEERS.renderAfterLastByte})`),
      row('  (same, via wall clocks: cross-check)', (r) => ms(r.renderAfterLastByteWallMs, 1)),
      row('  fetch end / CDP data chunks', (r) => `${r.fetchEnd} / ${r.dataEvents}`),
      row('  data-status "done" after last byte', (r) => ms(r.doneAfterLastByteMs ?? NaN, 1)),
      row('long tasks: total', (r) => ms(r.longTaskTotalMs), `≤ ${TARGET.longTasksMs} ms`),
      row('long tasks: count / longest', (r) => `${r.longTaskCount} / ${ms(r.longTaskMaxMs)}`),
      row('main thread busy (TaskDuration, wall)', (r) => `${num(r.busy.taskS, 2)} s`, `≤ ${TARGET.pacedBusyS} s paced (peers ${PEERS.pacedBusy})`),
      row('  the same in main-thread CPU time', (r) => `${num(r.busy.cpuS, 2)} s`),
      row('  of which script / layout / style', (r) => `${num(r.busy.scriptS, 2)} / ${num(r.busy.layoutS, 2)} / ${num(r.busy.styleS, 2)} s`),
      row('  over wall time (send → final render)', (r) => `${num(r.busy.wallS, 1)} s`),
      row('content DOM mutation batches', (r) => String(r.contentMutations)),
      row('JS heap before → after (after GC)', (r) => `${(r.heapBeforeBytes / 2 ** 20).toFixed(1)} → ${(r.heapAfterBytes / 2 ** 20).toFixed(1)} MB`),
    ]),
  );
  for (const r of runs) {
    const checks = [
      `render after last byte ${verdict(r.renderAfterLastByteMs <= TARGET.renderAfterLastByteMs)}`,
      `long tasks ${verdict(r.longTaskTotalMs <= TARGET.longTasksMs)}`,
    ];
    if (r.tokensPerSecond > 0) checks.push(`busy ${verdict(r.busy.taskS <= TARGET.pacedBusyS)}`);
    out(`  ${r.label}: ${checks.join(', ')}`);
  }
}

function printLong(r: LongAnswerResult): void {
  const pace = r.tokensPerSecond > 0 ? `paced at ${r.tokensPerSecond} tokens/s` : 'unpaced';
  out(section(`3. A 20,000-token answer, ${pace}: render cost vs. length`));
  const w = (x: LongAnswerResult['first']): string[] =>
    x ? [`${x.fromTokens.toFixed(0)}–${x.toTokens.toFixed(0)}`, ms(x.wallMs), ms(x.busyMs), ms(x.msPer1k, 1), ms(x.wallMsPer1k, 1)] : ['n/a', '', '', '', ''];
  out(
    table(
      ['window', 'tokens', 'elapsed', 'main-thread CPU', 'CPU per 1k tokens', 'wall per 1k tokens'],
      [
        ['first thousand', ...w(r.first)],
        ['last thousand', ...w(r.last)],
        ['first 3,000 (steadier)', ...w(r.first3k)],
        ['last 3,000 (steadier)', ...w(r.last3k)],
      ],
    ),
  );
  if (r.resolved) {
    out(`  last / first thousand (CPU): ${num(r.ratio, 2)}×  (target ≤ ${TARGET.growth}×: ${verdict(r.ratio <= TARGET.growth)});  in wall time: ${num(r.ratioWall, 2)}×;  last / first 3,000 (CPU): ${num(r.ratio3k, 2)}×`);
  } else {
    out('  last / first: n/a: the answer rendered in too few steps to tell its first thousand tokens from its last; pace it (BENCH_LONG_TPS)');
  }
  out(`  CPU ms per 1,000 tokens, each thousand in order: ${r.per1k.map((x) => (x === null ? '–' : x.toFixed(0))).join(' ')}`);
  out(
    `  ${r.tokens} tokens, ${r.chars} rendered characters; stream ${num(r.streamWallS, 1)} s, main thread busy ${num(r.busyS, 1)} s CPU / ${num(r.busyWallS, 1)} s wall; ` +
      `JS heap after (GC) ${(r.heapAfterBytes / 2 ** 20).toFixed(1)} MB; ${r.samples} samples (their own CDP time is subtracted)`,
  );
}

function printModels(r: ModelsResult): void {
  out(section('4. Model lists: five servers (one hanging, one with 400 models); the picker with 5,000 models'));
  const t = (x: number | null): string => (x === null ? 'n/a' : ms(x));
  out(
    table(
      ['ms since navigation start', 'app ready (composer)', 'first model selectable', 'four answering servers listed', 'complete (hanging one timed out)'],
      [
        ['cold (no cached lists)', t(r.cold.composerReadyMs), t(r.cold.firstOptionMs), t(r.cold.answeredMs), t(r.cold.completeMs)],
        ['warm (lists cached, reload)', t(r.warm.composerReadyMs), t(r.warm.firstOptionMs), t(r.warm.answeredMs), t(r.warm.completeMs)],
      ],
    ),
  );
  const ok = (x: number | null) => x !== null && x <= TARGET.firstModelsMs;
  out(`  target first models ≤ ${TARGET.firstModelsMs} ms with a server hanging: cold ${verdict(ok(r.cold.firstOptionMs))}, warm ${verdict(ok(r.warm.firstOptionMs))}`);
  const f = r.filter;
  out(
    `  filter, ${f.models} models, ${f.keystrokes} keystrokes typing and erasing "${f.query}": median ${ms(f.medianMs, 1)}, p95 ${ms(f.p95Ms, 1)}, max ${ms(f.maxMs, 1)} ` +
      `(target ≤ ${TARGET.filterKeystrokeMs} ms: ${verdict(f.maxMs <= TARGET.filterKeystrokeMs)})`,
  );
}

function printLongChat(r: LongChatResult): void {
  out(section(`5. A ${r.messages.toLocaleString('en-US')}-message chat: open by its address, scroll, regenerate`));
  const runs = (xs: OpenTimes[], f: (o: OpenTimes) => number): string => xs.map((o) => f(o).toFixed(0)).join(' / ');
  const row = (name: string, m: OpenTimes, xs: OpenTimes[]): string[] => [
    name, ms(m.lastContentMs), ms(m.lastPaintMs), ms(m.composerMs), ms(m.interactiveMs), runs(xs, (o) => o.interactiveMs),
    `${ms(m.longTaskTotalMs)} (${m.longTaskCount}, max ${ms(m.longTaskMaxMs)})`, String(m.domMessages), `≤ ${TARGET.longChatOpenMs} ms`,
  ];
  out(
    table(
      ['open /c/<id> (median of 3, ms since navigation start)', 'last answer in DOM', 'painted in view', 'composer ready', 'interactive', 'interactive runs', 'long tasks (n, max)', 'messages in DOM', 'target'],
      [row('cold (first open in a new page)', r.median.cold, r.cold), row('warm (reload)', r.median.warm, r.warm)],
    ),
  );
  const ok = (o: OpenTimes) => verdict(o.lastPaintMs <= TARGET.longChatOpenMs && o.interactiveMs <= TARGET.longChatOpenMs);
  out(`  target ≤ ${TARGET.longChatOpenMs} ms: cold ${ok(r.median.cold)}, warm ${ok(r.median.warm)} (for reference, ${PEERS.longChatOpen})`);
  out(`  ${r.messages} messages, ${(r.chars / 1024).toFixed(0)} KB of text; after load the DOM holds ${r.median.cold.domMessages} of them (the app renders a window)` +
    `${r.median.cold.lastInView && r.median.warm.lastInView ? '' : '; the last answer was NOT scrolled into view'}`);
  const s = r.scroll;
  out(`  interactive = last answer painted and composer ready, past any long task running then; long tasks from navigation start to 1 s after`);
  out(
    `  scroll, 200 px per frame: to the top ${s.reachedTop ? '' : '(NOT reached in 120 s) '}in ${num(s.upMs / 1000, 1)} s (older messages loading on the way), ` +
      `back to the bottom ${s.reachedBottom ? '' : '(NOT reached in 120 s) '}in ${num(s.downMs / 1000, 1)} s; at the top ${s.domAtTop} messages in the DOM, ${(s.heightAtTop / 1000).toFixed(0)}k px tall`,
  );
  out(
    `  ${s.frames} frames, ${s.droppedFrames} dropped (${s.longGaps} gaps > 25 ms, longest ${ms(s.maxGapMs)}); long tasks ${ms(s.longTaskTotalMs)} (${s.longTaskCount}); ` +
      `${s.jumps} jumps of the message in mid-view beyond the scroll (max ${num(s.maxJumpPx, 0)} px)`,
  );
  const t = (x: number | null): string => (x === null ? 'n/a' : ms(x));
  const regen = (name: string, g: RegenTimes): string[] => [name, String(g.domMessages), t(g.newMessageMs), t(g.firstTokenMs), t(g.firstTokenPaintMs), t(g.doneMs), ms(g.longTaskTotalMs)];
  out(
    table(
      ['regenerate the last answer (ms from click; ~300 tokens at 200 tok/s)', 'messages in DOM', 'new message', 'first token', 'first token painted', 'done', 'long tasks'],
      [regen('after the scroll (all loaded)', r.regenAfterScroll), regen('right after opening (reload)', r.regenAfterOpen)],
    ),
  );
}

async function main(): Promise<void> {
  if ((NEEDS_APP || ONLY.has('gpu')) && !existsSync(path.join(DIST, 'index.html'))) throw new Error(`${DIST}/index.html not found: build first (npm run bench builds)`);
  const started = Date.now();
  let preview: Preview | undefined;
  let llm: FakeLlm | undefined;
  let browser: Browser | undefined;
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    commit: gitRev(),
    node: process.version,
    cpus: os.cpus().length,
    dist: path.relative(ROOT, DIST) || '.',
    targets: TARGET,
  };
  try {
    if (NEEDS_APP) {
      preview = await startPreview({ port: PORT, distDir: DIST, root: ROOT });
      llm = await startFakeLlm({ port: 0 });
    }
    browser = await launchBrowser();
    results['chromium'] = browser.version();
    const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    results['loadAverage'] = os.loadavg();
    out(`Parley bench — ${results['commit']} — Chromium ${browser.version()}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${load}`);
    if (preview && llm) out(`app ${preview.url} (vite preview of ${results['dist']}), fake LLM ${llm.url}`);

    if (preview && llm) {
      if (ONLY.has('load')) {
        const r = await measureFirstLoad(browser, preview.url, DIST);
        results['firstLoad'] = r;
        printFirstLoad(r);
      }
      if (ONLY.has('stream')) {
        const runs: StreamRun[] = [];
        runs.push(await measureStreamRun(browser, preview.url, llm, { label: 'unpaced', tokens: 2000, tokensPerSecond: 0, timeoutMs: 60_000 }));
        llm.reset();
        runs.push(await measureStreamRun(browser, preview.url, llm, { label: '100 tok/s', tokens: 2000, tokensPerSecond: 100, timeoutMs: 60_000 }));
        llm.reset();
        results['stream'] = runs;
        printStream(runs);
      }
      if (ONLY.has('long')) {
        const r = await measureLongAnswer(browser, preview.url, llm, { tokens: 20_000, tokensPerSecond: LONG_TPS, timeoutMs: 150_000 });
        results['longAnswer'] = r;
        printLong(r);
      }
      if (ONLY.has('models')) {
        llm.reset();
        const r = await measureModels(browser, preview.url, llm);
        results['models'] = r;
        printModels(r);
      }
      if (ONLY.has('longchat')) {
        llm.reset();
        const r = await measureLongChat(browser, preview.url, llm);
        results['longChat'] = r;
        printLongChat(r);
      }
      if (ONLY.has('sidebar')) {
        const r = await measureSidebar(browser, preview.url);
        results['sidebar'] = r;
        out(formatSidebar(r, { ms, table, section }));
      }
      if (ONLY.has('import')) {
        const r = await measureImport(browser, preview.url);
        results['import'] = r;
        out(formatImport(r, { ms, table, section }));
      }
      if (ONLY.has('search')) {
        const r = await measureSearch(browser, preview.url);
        results['search'] = r;
        out(formatSearch(r, { ms, table, section }));
      }
      if (ONLY.has('sync')) {
        const r = await measureSync(browser, preview.url, llm);
        results['sync'] = r;
        out(formatSync(r, { ms, table, section }));
      }
      if (ONLY.has('lighthouse')) {
        const r = await measureLighthouse(preview.url);
        results['lighthouse'] = r;
        out(formatLighthouse(r, { ms, table, section }));
      }
    }
    if (ONLY.has('rag')) {
      const r = await measureRagSearch(browser);
      results['ragSearch'] = r;
      out(formatRagSearch(r, { ms, table, section }));
    }
    if (ONLY.has('pdf')) {
      const r = await measurePdfIngest(browser);
      results['pdfIngest'] = r;
      out(formatPdfIngest(r, { ms, table, section }));
    }
    if (ONLY.has('gpu')) {
      const r = await measureWebGpu(DIST);
      results['webgpu'] = r;
      out(formatWebGpu(r, { ms, table, section }));
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await llm?.close().catch(() => undefined);
    await preview?.close().catch(() => undefined);
  }
  results['durationS'] = (Date.now() - started) / 1000;
  const file = path.join(ROOT, 'bench', 'results', 'latest.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(results, null, 2) + '\n');
  out(`\nbench finished in ${num((Date.now() - started) / 1000, 0)} s; figures in ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
