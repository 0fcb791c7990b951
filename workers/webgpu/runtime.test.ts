import { describe, expect, it } from 'vitest';
import type { AppConfig, MLCEngine, WebWorkerMLCEngine, hasModelInCache, deleteModelAllInfoInCache } from '@mlc-ai/web-llm';
import type { WebLlmAppConfig, WebLlmCache, WebLlmModule, WebLlmRuntime } from './runtime';

/**
 * Compile-time checks (tsc --noEmit covers test files): the real engine, the worker-side engine
 * and the cache functions fit our types. `import type` only: nothing of web-llm is loaded here.
 */
type Fits<T, U extends T> = U;
export type EngineFits = Fits<WebLlmRuntime, MLCEngine>;
export type WorkerEngineFits = Fits<WebLlmRuntime, WebWorkerMLCEngine>;
export type CacheFits = Fits<WebLlmCache, { hasModelInCache: typeof hasModelInCache; deleteModelAllInfoInCache: typeof deleteModelAllInfoInCache }>;
export type AppConfigFits = Fits<WebLlmAppConfig, AppConfig>;
export type ModuleFits = Fits<WebLlmModule, typeof import('@mlc-ai/web-llm')>;

describe('runtime types', () => {
  it('the real prebuilt app config fits WebLlmAppConfig at runtime too', async () => {
    const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
    const config: WebLlmAppConfig = prebuiltAppConfig;
    expect(config.model_list.length).toBeGreaterThan(100);
    for (const r of config.model_list) {
      expect(typeof r.model_id).toBe('string');
      expect(typeof r.model_lib).toBe('string');
      if (r.model_type !== undefined) expect([0, 1, 2]).toContain(r.model_type);
    }
  });
});
