/**
 * Section 3 — does rendering cost grow with the length of the answer?
 *
 * A 20,000-token answer, paced (unpaced, all of it arrives within a few frames and the
 * renderer swallows it in a handful of renders, so there is no "first thousand" to measure).
 * Every SAMPLE_MS, from node over CDP: Performance.getMetrics (TaskDuration = main-thread task
 * time) and one Runtime.evaluate that reads the answer's rendered text length. Rendered tokens
 * ≈ rendered characters / final characters × the server's token count. The cost of a window
 * of tokens is the TaskDuration delta across it minus the DevToolsCommandDuration delta (the
 * sampler's own commands), per 1,000 tokens rendered. The headline uses main-thread CPU time
 * (threadTicks), which other processes on a busy machine disturb far less than wall time;
 * the wall-time figures are kept alongside. Windows end at the last
 * sample taken while the message was still streaming: end-of-stream work (flush, final save)
 * belongs to section 2's "render done after last byte".
 */

import type { Browser } from '@playwright/test';
import type { FakeLlm } from '../e2e/fake-llm/server';
import { tokenize, loremMarkdown } from '../e2e/fake-llm/tokens';
import { busySeconds, cdp, chatReadyPage, heapAfterGc, metrics, perfSessions, resetProbe, send, warmUp } from './driver';

const SAMPLE_MS = 100;

interface Sample {
  /** Page performance.now() at the sample. */
  at: number;
  /** Cumulative main-thread task CPU time, ms, without time spent in DevTools commands (the sampler). */
  taskMs: number;
  /** The same in wall time. */
  taskWallMs: number;
  chars: number;
  /** In-page time the sampling expression itself took, ms (already inside the DevTools time). */
  costMs: number;
  status: string | null;
  tokens: number;
}

export interface Window {
  fromTokens: number;
  toTokens: number;
  /** Main-thread task CPU time across the window, and per 1,000 tokens. */
  busyMs: number;
  msPer1k: number;
  /** Main-thread task wall time across the window, and per 1,000 tokens. */
  busyWallMs: number;
  wallMsPer1k: number;
  /** Elapsed time. */
  wallMs: number;
}

export interface LongAnswerResult {
  tokens: number;
  tokensPerSecond: number;
  chars: number;
  samples: number;
  samplerCostMs: number;
  first: Window | null;
  last: Window | null;
  /** False when the samples cannot tell the first thousand from the last (too few renders). */
  resolved: boolean;
  /** last / first, CPU time. */
  ratio: number;
  /** last / first, wall time. */
  ratioWall: number;
  /** The same over the first and last 3,000 tokens: steadier against GC pauses and noise. */
  first3k: Window | null;
  last3k: Window | null;
  ratio3k: number;
  /** CPU ms per 1k tokens for each successive thousand. */
  per1k: Array<number | null>;
  /** Every sample: [page ms, rendered tokens (estimate), cumulative CPU ms, cumulative wall ms, status]. */
  series: Array<[number, number, number, number, string | null]>;
  streamWallS: number;
  /** Main-thread task time over the whole answer, s: CPU and wall. */
  busyS: number;
  busyWallS: number;
  heapAfterBytes: number;
}

const SAMPLE_EXPR = `(() => {
  const t0 = performance.now();
  const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
  const m = all[all.length - 1];
  const c = m ? m.querySelector('[data-testid="message-content"]') : null;
  const chars = c ? c.textContent.length : 0;
  return { at: t0, chars, status: m ? m.getAttribute('data-status') : null, quietFor: t0 - window.__bench.lastContentMutationAt, costMs: performance.now() - t0 };
})()`;

function windowCost(samples: readonly Sample[], i0: number, i1: number): Window | null {
  const a = samples[i0];
  const b = samples[i1];
  if (!a || !b || i1 <= i0 || b.tokens <= a.tokens) return null;
  const busy = b.taskMs - a.taskMs;
  const busyWall = b.taskWallMs - a.taskWallMs;
  const per1k = (x: number): number => (x / (b.tokens - a.tokens)) * 1000;
  return { fromTokens: a.tokens, toTokens: b.tokens, busyMs: busy, msPer1k: per1k(busy), busyWallMs: busyWall, wallMsPer1k: per1k(busyWall), wallMs: b.at - a.at };
}

/** The window from the last sample at or below `from` tokens to the first at or above `to`. */
function windowBetween(samples: readonly Sample[], from: number, to: number, end: number): Window | null {
  let i0 = -1;
  for (let i = 0; i <= end; i++) if ((samples[i]?.tokens ?? Infinity) <= from) i0 = i;
  let i1 = -1;
  for (let i = Math.max(0, i0); i <= end; i++) {
    if ((samples[i]?.tokens ?? -1) >= to) {
      i1 = i;
      break;
    }
  }
  if (i1 < 0) i1 = end;
  return windowCost(samples, i0, i1);
}

export async function measureLongAnswer(
  browser: Browser,
  appUrl: string,
  llm: FakeLlm,
  opts: { tokens: number; tokensPerSecond: number; timeoutMs: number },
): Promise<LongAnswerResult> {
  const total = tokenize(loremMarkdown(opts.tokens)).length;
  const { context, page } = await chatReadyPage(browser, appUrl, llm.url);
  try {
    await warmUp(page, (reply) => llm.queue({ reply }));
    const session = await cdp(page);
    const perf = await perfSessions(page);
    await resetProbe(page);

    llm.queue({ tokens: opts.tokens, tokensPerSecond: opts.tokensPerSecond });
    await send(page, `Write about ${opts.tokens} tokens of markdown.`);

    const raw: Array<Omit<Sample, 'tokens'>> = [];
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      const started = Date.now();
      const cpu = await metrics(perf.cpu);
      const wall = await metrics(perf.wall);
      const { result } = await session.send('Runtime.evaluate', { expression: SAMPLE_EXPR, returnByValue: true });
      const v = result.value as { at: number; chars: number; status: string | null; quietFor: number; costMs: number };
      raw.push({ at: v.at, taskMs: busySeconds(cpu) * 1000, taskWallMs: busySeconds(wall) * 1000, chars: v.chars, costMs: v.costMs, status: v.status });
      if (v.status !== null && v.status !== 'streaming') {
        if (v.status !== 'done') throw new Error(`the long answer ended "${v.status}"`);
        if (v.quietFor >= 1000) break;
      }
      if (Date.now() > deadline) throw new Error(`the long answer did not finish within ${opts.timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (Date.now() - started))));
    }
    const heapAfter = await heapAfterGc(session);

    const finalChars = raw.at(-1)?.chars ?? 0;
    const samples: Sample[] = raw.map((s) => ({ ...s, tokens: finalChars > 0 ? (s.chars / finalChars) * total : 0 }));
    let end = -1;
    samples.forEach((s, i) => {
      if (s.status === 'streaming') end = i;
    });
    const firstRendered = samples.findIndex((s) => s.tokens > 0);
    const startTokens = samples[Math.max(0, firstRendered)]?.tokens ?? 0;
    const endTokens = samples[end]?.tokens ?? 0;

    const first = windowBetween(samples, startTokens, startTokens + 1000, end);
    const last = windowBetween(samples, endTokens - 1000, endTokens, end);
    const per1k: Array<number | null> = [];
    for (let k = 0; (k + 1) * 1000 <= Math.ceil(endTokens); k++) {
      per1k.push(windowBetween(samples, Math.max(k * 1000, startTokens), (k + 1) * 1000, end)?.msPer1k ?? null);
    }
    const first3k = windowBetween(samples, startTokens, startTokens + 3000, end);
    const last3k = windowBetween(samples, endTokens - 3000, endTokens, end);
    const span = (w: Window | null): number => (w ? w.toTokens - w.fromTokens : Infinity);
    const resolved = first !== null && last !== null && first.toTokens <= last.fromTokens && span(first) <= 2000 && span(last) <= 2000;
    const s0 = samples[0];
    const sEnd = samples.at(-1);
    return {
      tokens: total,
      tokensPerSecond: opts.tokensPerSecond,
      chars: finalChars,
      samples: samples.length,
      samplerCostMs: samples.reduce((s, x) => s + x.costMs, 0),
      first,
      last,
      resolved,
      ratio: resolved && first && last ? last.msPer1k / first.msPer1k : NaN,
      ratioWall: resolved && first && last ? last.wallMsPer1k / first.wallMsPer1k : NaN,
      first3k,
      last3k,
      ratio3k: resolved && first3k && last3k ? last3k.msPer1k / first3k.msPer1k : NaN,
      per1k,
      series: samples.map((x) => [Math.round(x.at), Math.round(x.tokens), Math.round(x.taskMs * 10) / 10, Math.round(x.taskWallMs * 10) / 10, x.status]),
      streamWallS: s0 && samples[end] ? ((samples[end]?.at ?? 0) - s0.at) / 1000 : NaN,
      busyS: s0 && sEnd ? (sEnd.taskMs - s0.taskMs) / 1000 : NaN,
      busyWallS: s0 && sEnd ? (sEnd.taskWallMs - s0.taskWallMs) / 1000 : NaN,
      heapAfterBytes: heapAfter,
    };
  } finally {
    await context.close();
  }
}
