import { describe, expect, it } from 'vitest';
import { appError } from '../../src/core/errors';
import { classifyServiceError } from './classify-error';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const ctx = { modelId: 'gemma-2-2b-it-q4f16_1-MLC', f32Variant: 'gemma-2-2b-it-q4f32_1-MLC' };

describe('classifyServiceError (adapter over gpu-errors)', () => {
  it('web-llm errors get the gpu-errors codes, actions and variant', () => {
    expect(classifyServiceError(named('ShaderF16SupportError', 'This model requires WebGPU extension shader-f16, which is not enabled in this browser.'), ctx)).toMatchObject({
      code: 'no-shader-f16',
      action: 'use-f32-variant',
      variant: 'gemma-2-2b-it-q4f32_1-MLC',
    });
    const quota = Object.assign(new Error('write failed'), { cause: new DOMException('full', 'QuotaExceededError') });
    expect(classifyServiceError(quota, ctx)).toMatchObject({ kind: 'storage', code: 'storage-quota' });
    expect(classifyServiceError(new TypeError("Failed to execute 'add' on 'Cache': Request failed"), { ...ctx, failedUrl: 'https://h/m/resolve/main/params_shard_3.bin' })).toMatchObject({
      code: 'model-file-missing',
      file: 'https://h/m/resolve/main/params_shard_3.bin',
      message: 'Could not download the weights file params_shard_3.bin.',
    });
  });

  it('the service-only cases: unknown model, not loaded, abort; its own AppErrors pass through', () => {
    expect(classifyServiceError(named('ModelNotFoundError', 'Cannot find model record in appConfig for x.'), ctx)).toMatchObject({ kind: 'invalid', code: 'unknown-model' });
    expect(classifyServiceError(named('ModelNotLoadedError', 'Model not loaded before trying to complete ChatCompletionRequest.'), {})).toMatchObject({ code: 'not-loaded' });
    expect(classifyServiceError(new DOMException('x', 'AbortError'), ctx)).toEqual({ kind: 'aborted', message: 'Stopped.' });
    // Already classified: a second pass must not reclassify it from its own text.
    const mine = { ...appError('internal', 'The GPU stopped while loading "x".', { detail: 'out of memory' }), code: 'device-lost' };
    expect(classifyServiceError(mine, ctx)).toBe(mine);
    expect(classifyServiceError(new Error('Something else'), ctx)).toMatchObject({ kind: 'internal', message: 'Something else' });
  });
});
