import { describe, expect, it } from 'vitest';
import { appError } from '../../src/core/errors';
import { classifyWebLlmError } from './classify-error';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const load = { modelId: 'Qwen3-4B-q4f16_1-MLC', during: 'load' as const };

describe('classifyWebLlmError', () => {
  it('names the case in `code` and keeps the original text in `detail`', () => {
    const e = classifyWebLlmError(named('WebGPUNotAvailableError', 'WebGPU is not supported in your current environment…'), load);
    expect(e).toMatchObject({ kind: 'internal', code: 'no-webgpu', detail: 'WebGPUNotAvailableError: WebGPU is not supported in your current environment…' });
    expect(classifyWebLlmError(named('ModelNotFoundError', 'Cannot find model record'), load)).toMatchObject({ code: 'unknown-model', message: 'Qwen3-4B-q4f16_1-MLC is not in the model list.' });
  });

  it('device lost: during load it suggests a smaller model, during an answer a reload', () => {
    const lost = named('DeviceLostError', 'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).');
    expect(classifyWebLlmError(lost, load)).toMatchObject({ code: 'device-lost', message: expect.stringContaining('a smaller model may fit') });
    expect(classifyWebLlmError(new Error('GPUDevice was lost'), { during: 'generate' }).message).toBe('The GPU device was lost during the answer. Reload the model to try again.');
    expect(classifyWebLlmError(new RangeError('Array buffer allocation failed'), load)).toMatchObject({ code: 'gpu-memory' });
  });

  it('downloads and storage: IndexedDB backend wording, quota via a cause, abort', () => {
    const idb = new Error('Failed to store https://huggingface.co/x/params_shard_0.bin with error: Error: Network response was not ok');
    expect(classifyWebLlmError(idb, load)).toMatchObject({ kind: 'network', code: 'fetch-failed' });
    const quota = Object.assign(new Error('write failed'), { cause: new DOMException('full', 'QuotaExceededError') });
    expect(classifyWebLlmError(quota, load)).toMatchObject({ kind: 'storage', code: 'quota' });
    expect(classifyWebLlmError(new DOMException('x', 'AbortError'), load)).toMatchObject({ kind: 'aborted' });
    expect(classifyWebLlmError(named('IntegrityError', 'Integrity verification failed for https://h/x.wasm'), load)).toMatchObject({ code: 'corrupt-file' });
  });

  it('an AppError passes through; anything else keeps its message', () => {
    const mine = appError('invalid', 'mine');
    expect(classifyWebLlmError(mine, load)).toBe(mine);
    expect(classifyWebLlmError(new Error('Something else'), load)).toMatchObject({ kind: 'internal', message: 'Something else' });
    expect(classifyWebLlmError('plain', load)).toMatchObject({ kind: 'internal', message: 'plain' });
  });
});
