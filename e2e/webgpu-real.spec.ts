import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { expect, test, type BrowserType } from '@playwright/test';
import config from '../playwright.config';
import type { GpuHarness, GpuHarnessResult } from './webgpu-harness/api';
import { serveGpuHarness } from './webgpu-harness/bundle';
import type { StaticServer } from './static-server';
import type { WebLlmModelRecord } from '../workers/webgpu/runtime';

/**
 * Issue 8, test (2): detection, the f16 fallback marking and the error messages against the
 * REAL WebGPU of Chromium, not a fake. With --enable-unsafe-webgpu, headless Chromium here gets
 * SwiftShader (a software Vulkan adapter: fallback, no shader-f16, 1 GiB buffer limits, as
 * recorded by /work/notes/gpu-env-probes); without it, navigator.gpu exists but offers no
 * adapter. The harness page (webgpu-harness/entry.ts) runs detectWebGpu, buildCatalog on
 * web-llm's real model list, and the gpu-errors / explain-no-webgpu messages in the page.
 */

const F16_MODEL = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const F32_MODEL = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const GIB = 2 ** 30;
const BASE_ARGS = config.use?.launchOptions?.args ?? [];
const EXECUTABLE = config.use?.launchOptions?.executablePath ?? '/usr/bin/chromium';

let harness: StaticServer;
test.beforeAll(async () => {
  harness = await serveGpuHarness();
});
test.afterAll(async () => {
  await harness?.close();
});

/**
 * Launches Chromium with exactly these flags (test.use cannot change launch options inside a
 * describe), opens the harness page and runs it on web-llm's real model list.
 */
async function runHarness(browserType: BrowserType, args: string[]): Promise<GpuHarnessResult> {
  const browser = await browserType.launch({ executablePath: EXECUTABLE, args });
  try {
    const page = await browser.newPage();
    await page.goto(harness.url);
    await page.waitForFunction(() => typeof (globalThis as { __gpuHarness?: unknown }).__gpuHarness === 'function');
    const modelList = structuredClone(prebuiltAppConfig.model_list) as WebLlmModelRecord[];
    return await page.evaluate(
      (input) => (globalThis as unknown as { __gpuHarness: GpuHarness }).__gpuHarness(input),
      { modelList, f16ModelId: F16_MODEL },
    );
  } finally {
    await browser.close();
  }
}

test.describe('real WebGPU: SwiftShader adapter (--enable-unsafe-webgpu)', () => {
  test('detects the software adapter without shader-f16 and marks f16 models for their f32 variant', async ({ playwright }) => {
    const r = await runHarness(playwright.chromium, [...BASE_ARGS, '--enable-unsafe-webgpu']);
    expect(r.secureContext).toBe(true);
    expect(r.caps).toMatchObject({ available: true, f16: false, isFallback: true, maxBufferSize: GIB, maxStorageBufferBindingSize: GIB });
    expect(r.caps.reason).toBeUndefined();

    const byId = new Map(r.catalog.map((e) => [e.modelId, e]));
    const f16 = byId.get(F16_MODEL);
    const f32 = byId.get(F32_MODEL);
    expect(f16).toMatchObject({ needsF16: true, f32Variant: F32_MODEL, runnable: false, reason: `needs shader-f16; use ${F32_MODEL}` });
    expect(f32).toMatchObject({ needsF16: false, runnable: true });
    expect(f32?.warning).toContain('software adapter');
    // Every f16 model is blocked and every model that needs no f16 runs (SwiftShader's limits are big enough not to block).
    const f16Models = r.catalog.filter((e) => e.needsF16);
    expect(f16Models.length).toBeGreaterThan(20);
    expect(f16Models.filter((e) => e.runnable).map((e) => e.modelId)).toEqual([]);
    expect(r.catalog.filter((e) => !e.needsF16 && !e.runnable).map((e) => e.modelId)).toEqual([]);

    // Dawn's own error for an f16 shader on this adapter, and the message gpu-errors makes of it.
    const s = r.f16Shader;
    expect(s?.rawError, `Dawn raised no validation error; compilation said: ${JSON.stringify(s?.compilationMessages)}`).toBeTruthy();
    expect(s?.classified).toMatchObject({ code: 'no-shader-f16', action: 'use-f32-variant', variant: F32_MODEL });
    expect(s?.classified?.message).toContain(F16_MODEL);
    expect(s?.classified?.message).toContain('shader-f16');
    expect(s?.classified?.detail).toContain(`Use the f32 variant "${F32_MODEL}" instead`);
    expect(s?.rawError).toContain("extension 'f16' is not allowed");
    expect(s?.classified?.detail).toContain((s?.rawError ?? '(no raw error)').trim());
    expect(r.noWebGpu).toBeUndefined();
  });
});

test.describe('real WebGPU: default flags (no adapter)', () => {
  test('reports no adapter, marks nothing runnable, and explains the Chrome-on-Linux steps', async ({ playwright }) => {
    const r = await runHarness(playwright.chromium, [...BASE_ARGS]);
    expect(r.secureContext).toBe(true);
    expect(r.userAgent).toContain('Linux');
    expect(r.hasNavigatorGpu).toBe(true);
    expect(r.caps).toEqual({ available: false, f16: false, isFallback: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, reason: 'no-adapter' });
    expect(r.catalog.length).toBeGreaterThan(50);
    expect(r.catalog.filter((e) => e.runnable)).toEqual([]);
    expect(r.catalog.find((e) => e.modelId === F32_MODEL)?.reason).toBe('WebGPU is not available in this browser');

    const e = r.noWebGpu;
    expect(e).toMatchObject({ code: 'webgpu-unavailable', action: 'enable-webgpu', kind: 'internal' });
    expect(e?.message).toContain('this browser has it, but offered no graphics adapter');
    expect(e?.detail).toContain('On Linux, Chrome keeps WebGPU off by default');
    expect(e?.detail).toContain('chrome://flags');
    expect(e?.detail).toContain('#enable-unsafe-webgpu');
    expect(e?.detail).toContain('#enable-vulkan');
    expect(e?.detail).toContain('chrome://settings/system');
    expect(e?.detail).toContain('chrome://gpu');
    expect(r.f16Shader).toBeUndefined();
  });
});
