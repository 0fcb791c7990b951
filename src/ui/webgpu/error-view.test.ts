import { describe, expect, it } from 'vitest';
import { classifyGpuError } from '../../core/webgpu/gpu-errors';
import { errorView } from './error-view';

describe('errorView', () => {
  it('offers the variant gpu-errors names for a missing shader-f16', () => {
    const err = classifyGpuError({ name: 'ShaderF16SupportError', message: 'This model requires WebGPU extension shader-f16' }, {
      modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
      f32Variant: 'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    });
    const v = errorView(err);
    expect(v.message).toContain('shader-f16');
    expect(v.detail).toContain('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(v.button).toEqual({ kind: 'use-variant', modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' });
  });

  it('falls back to the catalog variant when the error names none', () => {
    expect(errorView({ kind: 'internal', message: 'x', action: 'use-f32-variant' }, 'V').button).toEqual({ kind: 'use-variant', modelId: 'V' });
    expect(errorView({ kind: 'internal', message: 'x', action: 'use-f32-variant' }).button).toBeUndefined();
  });

  it('reload for a lost device, redownload for a corrupt file, nothing for a plain error', () => {
    expect(errorView(classifyGpuError({ name: 'DeviceLostError', message: 'The WebGPU device was lost while loading the model.' })).button).toEqual({ kind: 'reload' });
    expect(errorView(classifyGpuError({ name: 'IntegrityError', message: 'Integrity verification failed for https://x/params_shard_1.bin' })).button).toEqual({
      kind: 'redownload',
    });
    const plain = errorView(new Error('boom'));
    expect(plain).toMatchObject({ message: 'boom' });
    expect(plain.button).toBeUndefined();
  });

  it('marks a stop as aborted', () => {
    expect(errorView({ kind: 'aborted', message: 'Stopped.' }).aborted).toBe(true);
    expect(errorView({ kind: 'internal', message: 'x' }).aborted).toBeUndefined();
  });
});
