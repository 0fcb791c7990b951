import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * web-llm (6.8 MB with its wasm) must stay out of the main bundle: in workers/webgpu it may be
 * named only by `import type` or by a dynamic `import('@mlc-ai/web-llm')` inside the worker.
 * Tests are exempt (they run under node only).
 */
export function eagerImports(text: string): string[] {
  return [...text.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]@mlc-ai\/web-llm['"]/gm)].map((m) => m[0].trim());
}

describe('web-llm is imported lazily', () => {
  it('no module of workers/webgpu imports it eagerly', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toContain('service.ts');
    const bad = files.flatMap((f) => eagerImports(readFileSync(join(__dirname, f), 'utf8')).map((line) => `${f}: ${line}`));
    expect(bad).toEqual([]);
  });

  it('the check catches an eager import and lets type-only and dynamic ones pass', () => {
    expect(eagerImports("import { prebuiltAppConfig } from '@mlc-ai/web-llm';")).toHaveLength(1);
    expect(eagerImports("import * as webllm from '@mlc-ai/web-llm';")).toHaveLength(1);
    expect(eagerImports("export { CreateMLCEngine } from '@mlc-ai/web-llm';")).toHaveLength(1);
    expect(eagerImports("import type { MLCEngine } from '@mlc-ai/web-llm';")).toEqual([]);
    expect(eagerImports("const webllm = await import('@mlc-ai/web-llm');")).toEqual([]);
  });
});
