/**
 * In-browser models (issue 8), in Chromium with --enable-unsafe-webgpu (SwiftShader here):
 * 1. Settings › In-browser models with the REAL web-llm: time until the adapter line shows (the
 *    WebGPU worker starts, asks for an adapter) and until the catalog shows (web-llm's 6 MB chunk
 *    fetched and parsed in the worker, the model list marked, the cache read), cold (new profile)
 *    and warm (a reload: the chunk comes from the service worker's runtime cache).
 * 2. With the e2e stand-in for web-llm (no GPU work, no model): what Parley's own path costs —
 *    a folder import of SHARDS × SHARD_MB written into Cache Storage (MB/s), the first answer after a
 *    reload (loading the model back from Cache Storage, then a first token), and the rate at which
 *    a 500-token answer (BENCH_GPU_TOKENS) produced as fast as the stand-in can (its steps yield through a
 *    MessageChannel, no timer floor) crosses worker → engine → page and renders, send → done
 *    (tokens/s: real models on a GPU make 10–100).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { chromium, expect, type Page } from '@playwright/test';
import { startStaticServer } from '../e2e/static-server';
import { buildStandinWorker, findWorkerAsset, standinTransform } from '../e2e/webgpu-fake/bundle';
import { writeModelFolder } from '../e2e/webgpu-fake/model-folder';
import { closeSettings, importFolder, openInBrowserModels } from '../e2e/webgpu-helpers';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './driver';
import type { ms as msFn, section as sectionFn, table as tableFn } from './report';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const SHARDS = 8;
const SHARD_MB = 16;
const TOKENS = Number(process.env.BENCH_GPU_TOKENS ?? 500);

export interface WebGpuBench {
  real: { adapterMs: number; catalogMs: number; warmAdapterMs: number; warmCatalogMs: number; models: string };
  standin: { importMs: number; importMB: number; firstTokenAfterReloadMs: number; answerMs: number; tokens: number; tokensPerS: number };
}

async function timeSettings(page: Page): Promise<{ adapterMs: number; catalogMs: number; models: string }> {
  const t0 = Date.now();
  await openInBrowserModels(page);
  const adapterMs = Date.now() - t0;
  await expect(page.getByTestId('webgpu-count')).toBeVisible({ timeout: 60_000 });
  const catalogMs = Date.now() - t0;
  return { adapterMs, catalogMs, models: await page.getByTestId('webgpu-count').innerText() };
}

export async function measureWebGpu(dist: string): Promise<WebGpuBench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] });
  const tmp = await mkdtemp(path.join(tmpdir(), 'parley-bench-gpu-'));
  const plain = await startStaticServer({ root: dist });
  const js = await buildStandinWorker({ f16: false, tickMs: 0, reply: Array.from({ length: TOKENS }, (_, i) => `w${i}`).join(' ') });
  const standin = await startStaticServer({ root: dist, transform: standinTransform(await findWorkerAsset(dist), js) });
  try {
    // 1. The real library.
    const ctx = await browser.newContext({ baseURL: plain.url });
    const page = await ctx.newPage();
    await page.goto(plain.url);
    const cold = await timeSettings(page);
    await page.reload();
    await page.getByTestId('composer-input').waitFor();
    const warm = await timeSettings(page);
    await ctx.close();

    // 2. Parley's own path, with the stand-in.
    const record = prebuiltAppConfig.model_list.find((r) => r.model_id === MODEL)!;
    const folder = await writeModelFolder({ record, layout: 'import', dir: tmp, shards: SHARDS, shardBytes: SHARD_MB * 1024 * 1024 });
    const ctx2 = await browser.newContext({ baseURL: standin.url });
    const p = await ctx2.newPage();
    await p.goto(standin.url);
    await openInBrowserModels(p);
    const i0 = Date.now();
    await importFolder(p, MODEL, folder.root);
    const importMs = Date.now() - i0;
    await closeSettings(p);
    await p.reload();
    await p.getByTestId('model-select').click();
    await p.getByTestId('model-search').fill(MODEL);
    await p.locator(`[data-testid="model-option"][data-model-id="${MODEL}"]`).first().click();
    const answer = p.locator('[data-testid="message"][data-role="assistant"]').last();
    await p.getByTestId('composer-input').fill('go');
    const s0 = Date.now();
    await p.getByTestId('composer-send').click();
    await expect(answer.getByTestId('message-content')).toContainText('w0', { timeout: 60_000 });
    const firstTokenAfterReloadMs = Date.now() - s0;
    await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    // The model is loaded now: a second answer of the same length, send → done.
    // By its id, not its position: a long first answer scrolled far enough away is unmounted
    // (an empty box of its height, the long-chat window), and `nth(1)` would then match nothing.
    const firstId = await answer.getAttribute('data-message-id');
    await p.getByTestId('composer-input').fill('again');
    const a0 = Date.now();
    await p.getByTestId('composer-send').click();
    const second = p.locator(`[data-testid="message"][data-role="assistant"]:not([data-message-id="${firstId}"])`).last();
    await expect(second).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    const answerMs = Date.now() - a0;
    await ctx2.close();
    return {
      real: { ...cold, warmAdapterMs: warm.adapterMs, warmCatalogMs: warm.catalogMs },
      standin: { importMs, importMB: SHARDS * SHARD_MB, firstTokenAfterReloadMs, answerMs, tokens: TOKENS, tokensPerS: TOKENS / (answerMs / 1000) },
    };
  } finally {
    await browser.close().catch(() => undefined);
    await plain.close();
    await standin.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

export function formatWebGpu(r: WebGpuBench, f: { ms: typeof msFn; table: typeof tableFn; section: typeof sectionFn }): string {
  return [
    f.section('In-browser models (WebGPU; SwiftShader adapter here)'),
    f.table(
      ['what', 'cold (new profile)', 'warm (reload)'],
      [
        ['Settings › In-browser models: adapter line', f.ms(r.real.adapterMs), f.ms(r.real.warmAdapterMs)],
        [`catalog shown (real web-llm loaded in the worker; ${r.real.models})`, f.ms(r.real.catalogMs), f.ms(r.real.warmCatalogMs)],
      ],
    ),
    '',
    f.table(
      ['Parley’s own path (web-llm stand-in, no GPU work)', 'figure'],
      [
        [`folder import of ${r.standin.importMB} MB into Cache Storage`, `${f.ms(r.standin.importMs)} (${(r.standin.importMB / (r.standin.importMs / 1000)).toFixed(0)} MB/s)`],
        ['first token after a reload (model read back from Cache Storage)', f.ms(r.standin.firstTokenAfterReloadMs)],
        [`${r.standin.tokens}-token answer, model loaded: send → done shown (worker → engine → page)`, `${f.ms(r.standin.answerMs)} (${r.standin.tokensPerS.toFixed(0)} tokens/s)`],
      ],
    ),
  ].join('\n');
}
