/**
 * Section 2 — one ~2,000-token markdown answer, streamed unpaced and at a fixed pace.
 *
 * Each run: a fresh context (service workers blocked so precaching does not compete), an
 * OpenAI-kind connection to the fake server, a tiny warm-up answer that loads the lazy
 * renderers, then a new chat and the measured answer.
 *
 * - Last byte: the last CDP `Network.dataReceived` of the chat/completions request, as the
 *   engine worker's target reports it (driver.watchRequests). (The app may abort the fetch once
 *   it has read `[DONE]`, so `loadingFinished` does not always come.) CDP stamps it with the
 *   monotonic clock; the page's clock is the same clock counted from navigation start, which CDP
 *   Performance.getMetrics reports as `NavigationStart`, so page ms = (t − NavigationStart) × 1000.
 *   Cross-check: the same via wall clocks (CDP wallTime vs. performance.timeOrigin).
 * - Final render: the in-page probe's time of the last DOM mutation inside a message-content
 *   (performance.now()), once nothing has changed for 1 s after `done`.
 * - Long tasks: PerformanceObserver('longtask'), entries starting after the send click.
 * - Main-thread busy: CDP Performance.getMetrics TaskDuration minus DevToolsCommandDuration
 *   (the bench's own CDP calls), plus its script/layout/style parts, just before the send
 *   click and after the final render; in wall time and, from a second session, in main-thread
 *   CPU time (threadTicks).
 * - Heap: CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage (main thread only).
 */

import type { Browser } from '@playwright/test';
import type { FakeLlm } from '../e2e/fake-llm/server';
import { tokenize, loremMarkdown } from '../e2e/fake-llm/tokens';
import {
  busySeconds,
  cdp,
  chatReadyPage,
  heapAfterGc,
  metrics,
  perfSessions,
  readProbe,
  resetProbe,
  send,
  waitContentQuiet,
  waitFinished,
  warmUp,
  watchRequests,
} from './driver';

export interface StreamRun {
  label: string;
  tokens: number;
  tokensPerSecond: number;
  chars: number;
  /** Send click → last byte, ms. */
  streamMs: number;
  /** Last byte (CDP dataReceived, monotonic clock) → last content mutation, ms. */
  renderAfterLastByteMs: number;
  /** Same, converted through wall clocks instead (clock cross-check). */
  renderAfterLastByteWallMs: number;
  /** How the fetch ended: loadingFinished, or loadingFailed's error (e.g. aborted after [DONE]). */
  fetchEnd: string;
  dataEvents: number;
  /** Last byte → the message showed data-status="done", ms. */
  doneAfterLastByteMs: number | null;
  longTaskCount: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  /** Main-thread task time from send to final render, s, and its main parts. */
  busy: { taskS: number; cpuS: number; scriptS: number; layoutS: number; styleS: number; wallS: number };
  heapBeforeBytes: number;
  heapAfterBytes: number;
  contentMutations: number;
}

export async function measureStreamRun(
  browser: Browser,
  appUrl: string,
  llm: FakeLlm,
  opts: { label: string; tokens: number; tokensPerSecond: number; timeoutMs: number },
): Promise<StreamRun> {
  const { context, page } = await chatReadyPage(browser, appUrl, llm.url);
  try {
    await warmUp(page, (reply) => llm.queue({ reply }));
    const session = await cdp(page);
    const requests = await watchRequests(session, /\/chat\/completions$/);
    const perf = await perfSessions(page);
    const heapBefore = await heapAfterGc(session);
    await resetProbe(page);

    llm.queue({ tokens: opts.tokens, tokensPerSecond: opts.tokensPerSecond });
    const before = await metrics(perf.wall);
    const cpuBefore = await metrics(perf.cpu);
    const sendAt = await page.evaluate(() => performance.now());
    const id = await send(page, `Write about ${opts.tokens} tokens of markdown.`);
    await waitFinished(page, id, opts.timeoutMs);
    await waitContentQuiet(page, 1000);
    const probe = await readProbe(page);
    const after = await metrics(perf.wall);
    const cpuAfter = await metrics(perf.cpu);
    const origin = await page.evaluate(() => performance.timeOrigin);
    const heapAfter = await heapAfterGc(session);
    const chars = await page.evaluate(
      (mid) => document.querySelector(`[data-testid="message"][data-message-id="${mid}"] [data-testid="message-content"]`)?.textContent?.length ?? 0,
      id,
    );

    const req = requests().at(-1);
    if (!req || req.lastDataTs === null) throw new Error('no chat/completions data seen through CDP');
    const navStart = after['NavigationStart'];
    if (navStart === undefined) throw new Error('CDP Performance.getMetrics gave no NavigationStart');
    const lastByte = (req.lastDataTs - navStart) * 1000;
    const lastByteWall = req.sentWall * 1000 + (req.lastDataTs - req.sentTs) * 1000;
    const renderDone = probe.lastContentMutationAt;
    const tasks = probe.longTasks.filter((t) => t.start >= sendAt);
    const d = (k: string): number => (after[k] ?? 0) - (before[k] ?? 0);

    return {
      label: opts.label,
      tokens: tokenize(loremMarkdown(opts.tokens)).length,
      tokensPerSecond: opts.tokensPerSecond,
      chars,
      streamMs: lastByte - sendAt,
      renderAfterLastByteMs: renderDone - lastByte,
      renderAfterLastByteWallMs: origin + renderDone - lastByteWall,
      fetchEnd: req.endTs === null ? 'open' : (req.failed ?? 'finished'),
      dataEvents: req.dataEvents,
      doneAfterLastByteMs: probe.doneAt === null ? null : probe.doneAt - lastByte,
      longTaskCount: tasks.length,
      longTaskTotalMs: tasks.reduce((s, t) => s + t.duration, 0),
      longTaskMaxMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      busy: {
        taskS: busySeconds(after) - busySeconds(before),
        cpuS: busySeconds(cpuAfter) - busySeconds(cpuBefore),
        scriptS: d('ScriptDuration'),
        layoutS: d('LayoutDuration'),
        styleS: d('RecalcStyleDuration'),
        wallS: (renderDone - sendAt) / 1000,
      },
      heapBeforeBytes: heapBefore,
      heapAfterBytes: heapAfter,
      contentMutations: probe.contentMutations,
    };
  } finally {
    await context.close();
  }
}
