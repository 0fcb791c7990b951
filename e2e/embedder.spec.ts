import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { startStaticServer, type StaticServer } from './static-server';
import { cosine, DIMS, referenceEmbedding, TINY_MODEL_ID, tinyEmbedderFiles } from './tiny-embedder/model';
import { writeTinyEmbedder } from './tiny-embedder/write';
import type { EmbedConfig, EmbedderInfo, StoredModel } from '../workers/embed-api';

/**
 * The embedding worker in Chromium, built exactly as the app is (harness.vite.config.ts adds one
 * test page to the app's build), served with the tiny model by a plain static host: the real
 * transformers.js pipeline on WASM and on WebGPU (SwiftShader), model files from a mirror
 * folder or imported, and the remote engines against the fake model server.
 */

const TEXTS = ['The cat chased the dog.', 'Which planet does the rocket orbit?', 'zebra quantum', 'Bake bread in the oven'];

interface Harness {
  load(c: EmbedConfig): Promise<EmbedderInfo>;
  embed(id: string, texts: string[]): Promise<number[][]>;
  embedViaPort(c: EmbedConfig, texts: string[]): Promise<number[][]>;
  importModel(modelId: string, files: Array<{ path: string; base64: string }>): Promise<StoredModel>;
  storedModels(): Promise<StoredModel[]>;
  deleteModel(modelId: string): Promise<void>;
  progress: Array<{ status: string; file: string }>;
}
declare const embedHarness: Harness;

let dir = '';
let site: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = process.env.PARLEY_EMBED_HARNESS ?? mkdtempSync(join(tmpdir(), 'parley-embed-harness-'));
  if (!process.env.PARLEY_EMBED_HARNESS) {
    const build = spawnSync('npx', ['vite', 'build', '--config', 'e2e/tiny-embedder/harness.vite.config.ts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`harness build failed:\n${build.stdout}\n${build.stderr}`);
  }
  await writeTinyEmbedder(join(dir, 'models'));
  site = await startStaticServer({ root: dir });
});

test.afterAll(async () => {
  await site?.close();
  if (!process.env.PARLEY_EMBED_HARNESS && dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the harness page and records every request the page and its workers make. */
async function openHarness(page: Page, query = ''): Promise<Request[]> {
  const requests: Request[] = [];
  page.context().on('request', (r) => requests.push(r));
  await page.goto(`${site.url}e2e/tiny-embedder/harness/${query}`);
  await expect(page.locator('body[data-ready="yes"]')).toBeAttached();
  return requests;
}

const mirror = (device: 'wasm' | 'webgpu'): EmbedConfig => ({
  engine: 'local',
  modelId: TINY_MODEL_ID,
  baseUrl: `${site.url}models/`,
  pathTemplate: '{model}/',
  device,
  dtype: 'fp32',
});

function expectReference(vectors: number[][], texts: string[]): void {
  expect(vectors).toHaveLength(texts.length);
  vectors.forEach((v, i) => {
    const ref = referenceEmbedding(texts[i]!);
    expect(v).toHaveLength(DIMS);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    v.forEach((x, d) => expect(x, `text ${i}, dimension ${d}`).toBeCloseTo(ref[d]!, 5));
  });
}

/** Requests that left 127.0.0.1 (a CDN for wasm or models would show here). */
const offHost = (requests: Request[]) => requests.map((r) => r.url()).filter((u) => !/^(http:\/\/127\.0\.0\.1[:/]|blob:|data:)/.test(u));

test.describe('in-browser embedder, WASM', () => {
  test('the real pipeline on the tiny model gives the mean-pooled, normalized rows', async ({ page }) => {
    const requests = await openHarness(page);
    const info = await page.evaluate((c) => embedHarness.load(c), mirror('wasm'));
    expect(info).toMatchObject({ id: `local:${TINY_MODEL_ID}`, device: 'wasm', dtype: 'fp32', dims: DIMS });
    expectReference(await page.evaluate(([id, t]) => embedHarness.embed(id, t), [info.id, TEXTS] as const), TEXTS);
    // Model files from the mirror folder, onnxruntime's wasm from the app's own assets.
    const urls = requests.map((r) => r.url());
    expect(urls).toContain(`${site.url}models/${TINY_MODEL_ID}/onnx/model.onnx`);
    expect(urls.some((u) => u.startsWith(site.url) && /ort-wasm[^/]*\.wasm$/.test(u))).toBe(true);
    expect(offHost(requests)).toEqual([]);
  });

  test('asked for WebGPU in a browser without an adapter: it runs on WASM and says why', async ({ page }) => {
    await openHarness(page);
    const result = await page.evaluate((c) => embedHarness.load(c).catch((e: unknown) => ({ error: e })), mirror('webgpu'));
    expect(result).not.toHaveProperty('error');
    const info = result as EmbedderInfo;
    expect(info).toMatchObject({ device: 'wasm', note: expect.stringMatching(/^WebGPU is not available in this browser .*; using WebAssembly/) });
    expectReference(await page.evaluate(([id, t]) => embedHarness.embed(id, t), [info.id, TEXTS] as const), TEXTS);
  });

  test('related texts rank first, through the Embedder port in batches', async ({ page }) => {
    await openHarness(page);
    const passages = ['My kitten and the puppy are pets.', 'An astronaut saw Mars through a telescope.', 'Pay the invoice before the tax deadline.'];
    const texts = ['Which planet has a moon?', ...passages];
    const [q, ...ps] = await page.evaluate(([c, t]) => embedHarness.embedViaPort(c, t), [{ ...mirror('wasm'), batch: 2 } as EmbedConfig, texts] as const);
    const scores = ps.map((p) => cosine(q!, p));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  test('air-gapped: an imported model folder loads with downloads off and no request for model files', async ({ page }) => {
    const requests = await openHarness(page);
    const off: EmbedConfig = { engine: 'local', modelId: TINY_MODEL_ID, device: 'wasm', dtype: 'fp32' };
    // Not stored yet, downloads off: a message that says what to do.
    const missing = await page.evaluate((c) => embedHarness.load(c).catch((e: unknown) => e), off);
    expect(missing).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not stored in this browser.*import its folder/) });
    const files = [...tinyEmbedderFiles()].map(([path, bytes]) => ({ path, base64: Buffer.from(bytes).toString('base64') }));
    const stored = await page.evaluate(([id, f]) => embedHarness.importModel(id, f), [TINY_MODEL_ID, files] as const);
    expect(stored.files).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    const info = await page.evaluate((c) => embedHarness.load(c), off);
    expectReference(await page.evaluate(([id, t]) => embedHarness.embed(id, t), [info.id, TEXTS] as const), TEXTS);
    expect(requests.filter((r) => r.url().includes('/models/'))).toEqual([]);
    expect(offHost(requests)).toEqual([]);
  });

  test('files downloaded once are kept: a later load works with downloads off; delete removes them', async ({ page }) => {
    await openHarness(page);
    await page.evaluate((c) => embedHarness.load(c), mirror('wasm'));
    expect((await page.evaluate(() => embedHarness.storedModels())).map((m) => m.modelId)).toEqual([TINY_MODEL_ID]);
    await page.reload();
    await expect(page.locator('body[data-ready="yes"]')).toBeAttached();
    const info = await page.evaluate((id) => embedHarness.load({ engine: 'local', modelId: id, device: 'wasm', dtype: 'fp32' }), TINY_MODEL_ID);
    expect(info.dims).toBe(DIMS);
    await page.evaluate((id) => embedHarness.deleteModel(id), TINY_MODEL_ID);
    expect(await page.evaluate(() => embedHarness.storedModels())).toEqual([]);
  });
});

test.describe('in-browser embedder, offline', () => {
  test('after one online use, the service worker and the model store run it with the network off', async ({ page, context }) => {
    // A hash, not a query: the precache matches the page only without unknown URL parameters.
    await openHarness(page, '#sw');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await expect(page.locator('body[data-ready="yes"]')).toBeAttached();
    await page.evaluate((c) => embedHarness.load(c), mirror('wasm'));
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('body[data-ready="yes"]')).toBeAttached();
    const info = await page.evaluate((id) => embedHarness.load({ engine: 'local', modelId: id, device: 'wasm', dtype: 'fp32' }), TINY_MODEL_ID);
    expectReference(await page.evaluate(([id, t]) => embedHarness.embed(id, t), [info.id, TEXTS] as const), TEXTS);
  });
});

test.describe('in-browser embedder, WebGPU (SwiftShader)', () => {
  // Only this test's browser gets WebGPU (a launch option forces a new worker in a describe, so it launches its own).
  test('the same vectors on a WebGPU adapter', async ({ playwright }) => {
    const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
    const browser = await playwright.chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...args, '--enable-unsafe-webgpu'] });
    try {
      const page = await browser.newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
      await openHarness(page);
      const adapter = await page.evaluate(async () => {
        const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return gpu ? (await gpu.requestAdapter()) !== null : false;
      });
      expect(adapter, 'Chromium with --enable-unsafe-webgpu gives an adapter').toBe(true);
      const info = await page.evaluate((c) => embedHarness.load(c).catch((e: unknown) => ({ error: e })), mirror('webgpu'));
      expect(info, console.join('\n')).not.toHaveProperty('error');
      const loaded = info as EmbedderInfo;
      expect(loaded.note, 'no fallback to WASM').toBeUndefined();
      expect(loaded.device).toBe('webgpu');
      expectReference(await page.evaluate(([id, t]) => embedHarness.embed(id, t), [loaded.id, TEXTS] as const), TEXTS);
      expect(console.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);
      // onnxruntime warns when it drops a requested execution provider and runs on the CPU.
      expect(console.filter((l) => /removing requested execution provider|no available backend/i.test(l))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

test.describe('remote embedders in the worker, against the fake server', () => {
  test('OpenAI /v1/embeddings and Ollama /api/embed: batched, normalized, in order', async ({ page, fake }) => {
    await openHarness(page);
    const texts = Array.from({ length: 5 }, (_, i) => `text number ${i} about cats`);
    for (const engine of ['openai', 'ollama'] as const) {
      const url = engine === 'openai' ? `${fake.url}/v1` : fake.url;
      const config: EmbedConfig = { engine, connection: { id: 'conn', kind: engine, url }, model: 'embed-model', batch: 2 };
      const vectors = await page.evaluate(([c, t]) => embedHarness.embedViaPort(c, t), [config, texts] as const);
      expect(vectors).toHaveLength(5);
      for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      expect(vectors[0]).not.toEqual(vectors[1]);
      const path = engine === 'openai' ? '/v1/embeddings' : '/api/embed';
      const sent = fake.requests().filter((r) => r.method === 'POST' && r.path === path).map((r) => (r.body as { input: string[] }).input);
      expect(sent).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
      fake.reset();
    }
  });

  test('an HTTP error reaches the page as the server’s words', async ({ page, fake }) => {
    await openHarness(page);
    fake.setScenario('missing-model', { status: 404 });
    const config: EmbedConfig = { engine: 'ollama', connection: { id: 'c', kind: 'ollama', url: fake.url }, model: 'missing-model' };
    const err = await page.evaluate((c) => embedHarness.embedViaPort(c, ['a']).catch((e: unknown) => e), config);
    expect(err).toMatchObject({ kind: 'http', status: 404 });
  });
});

test('the service worker precaches neither onnxruntime’s wasm nor its loader', async () => {
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const assets = readdirSync(join(dir, 'assets'));
  const ort = assets.filter((f) => /^ort-wasm/.test(f));
  expect(ort.length, 'the build holds the wasm files').toBeGreaterThan(0);
  for (const f of ort) expect(sw, f).not.toContain(f);
});
