import { describe, expect, it } from 'vitest';
import { WEBLLM_SRC } from './__fixtures__/webllm';
import { classifyGpuError, describeModelFile, findUrl, toGpuAppError, type GpuAppError } from './gpu-errors';

/**
 * Texts exactly as @mlc-ai/web-llm 0.2.86 builds them (lib/index.js: the error classes near the
 * top, tvmjs's ArtifactCache / ArtifactIndexedDBCache / ArtifactOPFSCache). The first test checks
 * the fixed parts are still in the installed library, so an upgrade that rewords them fails here.
 */
const WEBLLM = {
  notAvailable:
    "WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. Please make sure that your browser supports WebGPU and that it is enabled in your browser settings. You can also consult your browser's compatibility chart to see if it supports WebGPU. For more information about WebGPU support in your browser, visit https://webgpureport.org/",
  notFound: 'Cannot find WebGPU in the environment',
  f16: 'This model requires feature This model requires WebGPU extension shader-f16, which is not enabled in this browser. You can try to launch Chrome Canary in command line with flag "--enable-dawn-features=allow_unsafe_apis"., which is not yet supported by this browser.',
  feature: 'This model requires feature subgroups, which is not yet supported by this browser.',
  deviceLost:
    'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.',
  integrity:
    'Integrity verification failed for https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/tokenizer.json\n  Expected: sha256-abc\n  Actual: sha256-def\nThis may indicate file corruption or tampering.',
  missingLib:
    'Missing `model_lib` for the model with ID "Llama-3.2-1B-Instruct-q4f16_1-MLC". Please ensure that `model_lib` is provided in `model_list` for each model. This URL is essential for downloading the WASM library necessary to run the model.',
  cannotFetch: 'Cannot fetch https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/params_shard_3.bin',
  idbStore:
    'Failed to store https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/params_shard_7.bin with error: Error: Network response was not ok',
  idbQuota:
    'Failed to store https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/params_shard_9.bin with error: QuotaExceededError: The quota has been exceeded.',
  opfs404:
    'ArtifactOPFSCache: Unable to fetch https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm, received status 404',
};

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** After Comlink or postMessage a custom-named error may arrive as a plain Error: match by text too. */
function bothForms(name: string, message: string): Array<[string, unknown]> {
  return [
    ['named', named(name, message)],
    ['plain Error', new Error(message)],
  ];
}

describe('fixtures match the installed web-llm', () => {
  it('every fixed message part is in lib/index.js', () => {
    const src = WEBLLM_SRC;
    for (const part of [
      'WebGPU is not supported in your current environment, but it is necessary to run the WebLLM engine. ',
      '"Cannot find WebGPU in the environment"',
      '"This model requires WebGPU extension shader-f16, which is not enabled in this browser. "',
      'super(`This model requires feature ${feature}, which is not yet supported by this browser.`)',
      '"The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).',
      'super(`Integrity verification failed for ${url}\\n`',
      'super(`Missing \\`model_lib\\` for the model with ID "${modelId}".',
      'throw Error("Cannot fetch " + url);',
      'throw Error("Failed to store " + url + " with error: " + error);',
      "throw new Error('Network response was not ok');",
      'throw new Error(`ArtifactOPFSCache: Unable to fetch ${url}, received status ${response.status}`);',
      'throw new Error(`Tensor-cache record range [${byteOffset}, ${endOffset}) exceeds ` +',
      '`shard size ${shardBytes.byteLength}`);',
      'throw new Error(`Invalid tensor-cache nbytes: ${nbytes}`);',
      'this.name = "ShaderF16SupportError";',
      'this.name = "DeviceLostError";',
      'this.name = "MissingModelError";',
    ]) {
      expect(src, part).toContain(part);
    }
  });
});

describe('classifyGpuError on web-llm errors', () => {
  const ctx = { modelId: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', f32Variant: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0' };

  it.each([...bothForms('WebGPUNotAvailableError', WEBLLM.notAvailable), ...bothForms('WebGPUNotFoundError', WEBLLM.notFound)])(
    'no WebGPU (%s) → per-browser steps',
    (_form, err) => {
      const e = classifyGpuError(err, ctx)!;
      expect(e.code).toBe('webgpu-unavailable');
      expect(e.action).toBe('enable-webgpu');
      expect(e.detail).toContain('Update Firefox to version 141'); // the UA above is Firefox 140 on Windows
    },
  );

  it.each(bothForms('ShaderF16SupportError', WEBLLM.f16))('no shader-f16 (%s) names the f32 variant', (_form, err) => {
    const e = classifyGpuError(err, ctx)!;
    expect(e).toMatchObject({ code: 'no-shader-f16', action: 'use-f32-variant', variant: 'Llama-3.2-1B-Instruct-q4f32_1-MLC' });
    expect(e.message).toContain('"Llama-3.2-1B-Instruct-q4f16_1-MLC"');
    expect(e.detail).toContain('Llama-3.2-1B-Instruct-q4f32_1-MLC');
  });

  it('no shader-f16 without a known variant points at f32 models and offers no button', () => {
    const e = classifyGpuError(named('ShaderF16SupportError', WEBLLM.f16))!;
    expect(e.code).toBe('no-shader-f16');
    expect(e.action).toBeUndefined();
    expect(e.detail).toContain('q4f32_1');
  });

  it("Dawn's WGSL error for an f16 shader is no shader-f16 too", () => {
    const e = classifyGpuError(new Error("error: extension 'f16' is not allowed in the current environment\nenable f16;"), ctx)!;
    expect(e).toMatchObject({ code: 'no-shader-f16', variant: ctx.f32Variant });
  });

  it('another missing feature is named', () => {
    const e = classifyGpuError(named('FeatureSupportError', WEBLLM.feature))!;
    expect(e.code).toBe('feature-unsupported');
    expect(e.message).toContain('subgroups');
  });

  it.each(bothForms('DeviceLostError', WEBLLM.deviceLost))('device lost while loading (%s) → reload, mentions memory', (_form, err) => {
    const e = classifyGpuError(err, ctx)!;
    expect(e).toMatchObject({ code: 'device-lost', action: 'reload-model' }); // not OOM, although its text says OOM
    expect(e.detail).toMatch(/smaller model/);
  });

  it('a device lost later (chat) → reload the model', () => {
    const e = classifyGpuError(new Error('GPU device lost: reason "unknown": D3D12 device removed'))!;
    expect(e).toMatchObject({ code: 'device-lost', action: 'reload-model' });
    expect(e.message).toContain('connection was lost');
  });

  it.each([
    named('GPUOutOfMemoryError', 'Out of memory'),
    new Error('Failed to allocate a buffer of size 1073741824'),
    new RangeError('WebAssembly.Memory(): could not allocate memory'),
    new RangeError('Array buffer allocation failed'),
  ])('out of memory: %s → smaller model', (err) => {
    expect(classifyGpuError(err, ctx)).toMatchObject({ code: 'gpu-out-of-memory', action: 'choose-smaller-model' });
  });

  it('integrity failure names the file', () => {
    const e = classifyGpuError(named('IntegrityError', WEBLLM.integrity))!;
    expect(e).toMatchObject({ code: 'model-file-corrupt', action: 'redownload-model', kind: 'protocol' });
    expect(e.file).toBe('https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/tokenizer.json');
    expect(e.message).toContain('the tokenizer (tokenizer.json)');
  });

  it('a truncated shard (tvmjs range check) is a corrupt weights file', () => {
    const e = classifyGpuError(new Error('Tensor-cache record range [0, 33554432) exceeds shard size 16777216'), ctx)!;
    expect(e).toMatchObject({ code: 'model-file-corrupt', action: 'redownload-model', kind: 'protocol' });
    expect(e.message).toBe('A weights file of "Llama-3.2-1B-Instruct-q4f16_1-MLC" is damaged: it is shorter than the weights index says.');
    expect(classifyGpuError(new Error('Invalid tensor-cache nbytes: -1'))?.code).toBe('model-file-corrupt');
  });

  it('missing model_lib', () => {
    expect(classifyGpuError(named('MissingModelError', WEBLLM.missingLib))).toMatchObject({ code: 'model-lib-missing', kind: 'invalid' });
  });

  it.each([
    ['Cache API', WEBLLM.cannotFetch, 'the weights file params_shard_3.bin', undefined],
    ['IndexedDB', WEBLLM.idbStore, 'the weights file params_shard_7.bin', undefined],
    ['OPFS 404', WEBLLM.opfs404, 'the model library (Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm)', 404],
  ])('missing file (%s) names which one', (_b, text, what, status) => {
    const e = classifyGpuError(new Error(text))!;
    expect(e.code).toBe('model-file-missing');
    expect(e.message).toContain(what);
    expect(e.file).toBe(findUrl(text));
    expect(e.status).toBe(status);
    expect(e.kind).toBe(status ? 'http' : 'network');
  });

  it("the Cache API's own failure (no URL) uses the URL the worker saw fail", () => {
    const err = new TypeError("Failed to execute 'add' on 'Cache': Request failed");
    const url = 'http://mirror.lan/hf/mlc-ai/Qwen3-0.6B-q4f16_1-MLC/resolve/main/mlc-chat-config.json';
    const e = classifyGpuError(err, { failedUrl: url })!;
    expect(e).toMatchObject({ code: 'model-file-missing', file: url });
    expect(e.message).toContain('the model configuration (mlc-chat-config.json)');
    expect(classifyGpuError(err)!.message).toContain('a model file');
  });

  it.each([
    // Recorded in /usr/bin/chromium (156): cache.add() of a 404, and of a refused connection.
    ["TypeError: Failed to execute 'add' on 'Cache': Request failed", 'model-file-missing'],
    ['TypeError: Failed to fetch', 'model-file-missing'],
    ['CompileError: WebAssembly.compile(): expected magic word 00 61 73 6d, found 3c 21 44 4f @+0', 'model-file-corrupt'],
    ['SyntaxError: Unexpected token \'<\', "<!DOCTYPE html>" is not valid JSON', 'model-file-corrupt'],
  ])('real Chromium text %s, with the file the worker found missing', (text, code) => {
    const [name, ...rest] = text.split(': ');
    const err = named(name!, rest.join(': '));
    const url = 'http://mirror.lan/gh/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm';
    const e = classifyGpuError(err, { failedUrl: url })!;
    expect(e.code).toBe(code);
    expect(e.file).toBe(url);
  });

  it('quota: a refused cache write is quota, not a missing file', () => {
    const e = classifyGpuError(new Error(WEBLLM.idbQuota))!;
    expect(e).toMatchObject({ code: 'storage-quota', kind: 'storage', action: 'free-storage' });
    expect(e.detail).toContain('params_shard_9.bin');
  });

  it('quota: the DOMException itself and one wrapped in a cause', () => {
    const dom = new DOMException('Quota exceeded.', 'QuotaExceededError');
    expect(classifyGpuError(dom)?.code).toBe('storage-quota');
    expect(classifyGpuError(new Error('put failed', { cause: dom }))?.code).toBe('storage-quota');
  });

  it('a library that is an HTML page, and a config that is not JSON', () => {
    const wasm = new Error('WebAssembly.instantiate(): expected magic word 00 61 73 6d, found 3c 21 44 4f @+0');
    expect(classifyGpuError(wasm)).toMatchObject({ code: 'model-file-corrupt' });
    const json = new SyntaxError('Unexpected token \'<\', "<!DOCTYPE "... is not valid JSON');
    const url = 'http://mirror.lan/hf/x/resolve/main/tensor-cache.json';
    expect(classifyGpuError(json, { failedUrl: url })?.message).toContain('the weights index (tensor-cache.json)');
  });

  it('leaves everything else alone', () => {
    expect(classifyGpuError(new DOMException('The user aborted a request.', 'AbortError'))).toBeUndefined();
    expect(classifyGpuError(new Error('Make sure `temperature` > 0.'))).toBeUndefined();
    expect(classifyGpuError(new TypeError('Failed to fetch'))).toBeUndefined(); // no file known: not ours to name
    expect(toGpuAppError(new Error('Make sure `temperature` > 0.')).kind).toBe('internal');
    expect(toGpuAppError(new DOMException('x', 'AbortError')).kind).toBe('aborted');
  });

  it('an AppError that crossed the bridge is classified by its text', () => {
    const crossed = { kind: 'internal', message: WEBLLM.deviceLost } as const;
    expect((classifyGpuError(crossed) as GpuAppError).code).toBe('device-lost');
  });
});

describe('file names', () => {
  it.each([
    ['https://huggingface.co/mlc-ai/m/resolve/main/params_shard_12.bin', 'the weights file params_shard_12.bin'],
    ['https://huggingface.co/mlc-ai/m/resolve/main/tensor-cache.json', 'the weights index (tensor-cache.json)'],
    ['https://huggingface.co/mlc-ai/m/resolve/main/tokenizer.model', 'the tokenizer (tokenizer.model)'],
    ['http://h/libs/My%20Lib.wasm?x=1', 'the model library (My Lib.wasm)'],
    ['tokenizer_config.json', 'the tokenizer (tokenizer_config.json)'],
  ])('%s → %s', (url, what) => {
    expect(describeModelFile(url)).toBe(what);
  });

  it('findUrl drops the punctuation after a URL', () => {
    expect(findUrl('Unable to fetch https://a.b/c.wasm, received status 404')).toBe('https://a.b/c.wasm');
    expect(findUrl('no url here')).toBeUndefined();
  });
});
