import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Transform } from '../static-server';
import type { WebLlmAppConfig } from '../../workers/webgpu/runtime';
import type { StandinOptions } from './standin-core';

/**
 * The app's real WebGPU worker with web-llm replaced by the stand-in, for e2e tests:
 *
 *   const js = await buildStandinWorker({ failures: { [id]: { kind: 'oom' } } });
 *   const workerPath = await findWorkerAsset(distDir);            // "/assets/webgpu.worker-<hash>.js"
 *   const app = await startStaticServer({ root: distDir, transform: standinTransform(workerPath, js) });
 *
 * esbuild bundles workers/webgpu/webgpu.worker.ts (ESM, browser, es2022, one file: the worker's
 * `import('@mlc-ai/web-llm')` is inlined) with '@mlc-ai/web-llm' resolved to standin.ts and
 * __WEBLLM_STANDIN__ defined as the options; appConfig defaults to web-llm's real
 * prebuiltAppConfig, read here in node.
 */

export interface StandinBuildOptions extends Partial<StandinOptions> {
  /** The worker entry (default the app's workers/webgpu/webgpu.worker.ts). */
  entry?: string;
  /** The app's base path, for import.meta.env.BASE_URL (default '/'). */
  base?: string;
}

export const WORKER_ENTRY = fileURLToPath(new URL('../../workers/webgpu/webgpu.worker.ts', import.meta.url));
const STANDIN = fileURLToPath(new URL('./standin.ts', import.meta.url));

/** web-llm 0.2.86's own model list (165 records), as plain JSON. */
export async function realAppConfig(): Promise<WebLlmAppConfig> {
  const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
  return JSON.parse(JSON.stringify(prebuiltAppConfig)) as WebLlmAppConfig;
}

export async function buildStandinWorker(options: StandinBuildOptions = {}): Promise<string> {
  const { entry = WORKER_ENTRY, base = '/', ...rest } = options;
  const standin: StandinOptions = { ...rest, appConfig: rest.appConfig ?? (await realAppConfig()) };
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: {
      __WEBLLM_STANDIN__: JSON.stringify(standin),
      'import.meta.env': JSON.stringify({ BASE_URL: base, MODE: 'production', DEV: false, PROD: true, SSR: false }),
    },
    plugins: [
      {
        name: 'web-llm-standin',
        setup(b) {
          b.onResolve({ filter: /^@mlc-ai\/web-llm$/ }, () => ({ path: STANDIN }));
        },
      },
    ],
  });
  const js = out.outputFiles[0]?.text;
  if (!js) throw new Error('buildStandinWorker: esbuild produced no output');
  return js;
}

/**
 * The URL path of the built WebGPU worker in a vite build (`<base>assets/webgpu.worker-<hash>.js`).
 * Throws unless there is exactly one.
 */
export async function findWorkerAsset(distDir: string, base = '/'): Promise<string> {
  const names = (await readdir(join(distDir, 'assets'))).filter((n) => /^webgpu\.worker-[\w-]+\.js$/.test(n));
  if (names.length !== 1) throw new Error(`findWorkerAsset: expected one assets/webgpu.worker-*.js in ${distDir}, found ${JSON.stringify(names)}`);
  return `${base.replace(/\/?$/, '/')}assets/${names[0]}`;
}

/** A static-server transform that serves `js` as the file at `workerPath` and leaves the rest. */
export function standinTransform(workerPath: string, js: string): Transform {
  const body = Buffer.from(js);
  return (path) => (path === workerPath ? body : undefined);
}
