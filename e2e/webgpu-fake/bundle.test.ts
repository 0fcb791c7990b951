import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebLlmAppConfig } from '../../workers/webgpu/runtime';
import { buildStandinWorker, findWorkerAsset, realAppConfig, standinTransform } from './bundle';

const small: WebLlmAppConfig = {
  model_list: [{ model: 'https://huggingface.co/mlc-ai/Tiny-q4f32_1-MLC', model_id: 'Tiny-q4f32_1-MLC', model_lib: 'https://raw.githubusercontent.com/x/tiny.wasm' }],
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  delete (globalThis as { __WEBLLM_STANDIN__?: unknown }).__WEBLLM_STANDIN__;
});

describe('standin.ts', () => {
  it('exports exactly the four names the worker uses, with the options’ appConfig as prebuiltAppConfig', async () => {
    (globalThis as { __WEBLLM_STANDIN__?: unknown }).__WEBLLM_STANDIN__ = { appConfig: small };
    const m = await import('./standin');
    expect(Object.keys(m).sort()).toEqual(['MLCEngine', 'deleteModelAllInfoInCache', 'hasModelInCache', 'prebuiltAppConfig']);
    expect(m.prebuiltAppConfig).toBe(small);
    expect(typeof new m.MLCEngine().reload).toBe('function');
  });
});

describe('buildStandinWorker', () => {
  it('bundles the app’s WebGPU worker into one file with the stand-in in place of web-llm and the options inlined', async () => {
    const js = await buildStandinWorker({ appConfig: small, failures: { 'Tiny-q4f32_1-MLC': { kind: 'oom' } }, tickMs: 3 });
    expect(js).not.toMatch(/^\s*import\s/m); // one self-contained module: nothing left to load
    expect(js).not.toContain('@mlc-ai/web-llm');
    expect(js).not.toContain('EmccWASI'); // web-llm's own runtime is not in it
    expect(js).toContain('Start to fetch params');
    expect(js).toContain('Tiny-q4f32_1-MLC');
    // Only as the name of esbuild's module for the defined object, never as a free variable.
    expect(js.replaceAll('<define:__WEBLLM_STANDIN__>', '')).not.toContain('__WEBLLM_STANDIN__');
    expect(js).toContain('createWebGpuWorker'); // the app's worker code, not a stub
  });

  it('defaults to web-llm’s real model list', async () => {
    const real = await realAppConfig();
    expect(real.model_list.length).toBeGreaterThan(100);
    const js = await buildStandinWorker();
    expect(js).toContain('"Llama-3.2-1B-Instruct-q4f32_1-MLC"');
    expect(js).toContain('https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/');
  });
});

describe('findWorkerAsset and standinTransform', () => {
  async function dist(names: string[]): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'gpu-standin-dist-'));
    dirs.push(d);
    await mkdir(join(d, 'assets'));
    for (const n of names) await writeFile(join(d, 'assets', n), '// built');
    return d;
  }

  it('finds the one built webgpu worker, under the base path', async () => {
    const d = await dist(['webgpu.worker-Cy_rR-hoSX.js', 'engine.worker-Da0dacHs.js', 'web-llm-DBWAiD2g.js', 'index-abc.js']);
    expect(await findWorkerAsset(d)).toBe('/assets/webgpu.worker-Cy_rR-hoSX.js');
    expect(await findWorkerAsset(d, '/parley/')).toBe('/parley/assets/webgpu.worker-Cy_rR-hoSX.js');
    expect(await findWorkerAsset(d, '/parley')).toBe('/parley/assets/webgpu.worker-Cy_rR-hoSX.js');
  });

  it('refuses a build with none or several', async () => {
    await expect(findWorkerAsset(await dist(['engine.worker-Da0dacHs.js']))).rejects.toThrow('found []');
    await expect(findWorkerAsset(await dist(['webgpu.worker-a.js', 'webgpu.worker-b.js']))).rejects.toThrow('expected one');
  });

  it('replaces that one file’s body and leaves the others', () => {
    const t = standinTransform('/assets/webgpu.worker-x.js', 'export {};');
    expect(t('/assets/webgpu.worker-x.js', Buffer.from('old'))?.toString()).toBe('export {};');
    expect(t('/assets/engine.worker-y.js', Buffer.from('old'))).toBeUndefined();
  });
});
