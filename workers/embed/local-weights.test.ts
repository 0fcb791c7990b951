import { describe, expect, it } from 'vitest';
import type { LocalDtype, LocalEmbedConfig } from '../embed-api';
import { isMissingWeights, loadLocalEmbedder, weightsFile, type LocalDeps, type TransformersLike } from './local';

/**
 * Which weights the in-browser engine loads: the one asked for, or with the automatic choice
 * (fp32 on WebGPU, q8 on WASM) the other one when the folder or mirror lacks that file.
 */

/** transformers.js over a model folder holding `files`: a missing one fails as transformers.js does. */
function folder(files: string[], opts: { local?: boolean } = {}) {
  const asked: Array<{ device: unknown; dtype: unknown }> = [];
  const root = opts.local === false ? 'http://mirror.test/m/' : '/parley-local-models/m/';
  const missing = (path: string) =>
    opts.local === false
      ? Object.assign(new Error(`Could not locate file: "${root}${path}".`), { name: 'ModelFileNotFoundError' })
      : Object.assign(new Error(`\`local_files_only=true\` or \`env.allowRemoteModels=false\` and file was not found locally at "${root}${path}".`), { name: 'ModelFileNotFoundError' });
  const tf: TransformersLike = {
    env: {
      allowRemoteModels: false, allowLocalModels: true, localModelPath: '', remoteHost: '', remotePathTemplate: '', useBrowserCache: false, useCustomCache: false, customCache: null,
      fetch: () => Promise.reject(new Error('no network')),
      backends: { onnx: { wasm: {} } },
    },
    async pipeline(_task, _model, options) {
      asked.push({ device: options['device'], dtype: options['dtype'] });
      for (const f of ['config.json', 'tokenizer.json']) if (!files.includes(f)) throw missing(f);
      const w = weightsFile(options['dtype'] as LocalDtype);
      if (!files.includes(w)) throw missing(w);
      return async (texts: string[]) => ({ dims: [texts.length, 2], data: new Float32Array(texts.length * 2).fill(Math.SQRT1_2) });
    },
  };
  return { tf, asked };
}

const deps = (tf: TransformersLike, gpu = false): LocalDeps => ({
  transformers: async () => tf,
  caches: { open: () => Promise.reject(new Error('no caches')) },
  wasmPaths: '/assets/',
  fetch: () => Promise.reject(new Error('no network')),
  hasWebGPU: async () => gpu,
});

const config: LocalEmbedConfig = { engine: 'local', modelId: 'm' };
const FP32_ONLY = ['config.json', 'tokenizer.json', 'onnx/model.onnx'];
const Q8_ONLY = ['config.json', 'tokenizer.json', 'onnx/model_quantized.onnx'];

describe('in-browser weights', () => {
  it('file names as transformers.js builds them', () => {
    expect(weightsFile('fp32')).toBe('onnx/model.onnx');
    expect(weightsFile('q8')).toBe('onnx/model_quantized.onnx');
    expect(weightsFile('fp16')).toBe('onnx/model_fp16.onnx');
  });

  it('automatic on WASM with only the fp32 file: loads fp32 and says so', async () => {
    const f = folder(FP32_ONLY);
    const h = await loadLocalEmbedder(config, deps(f.tf));
    expect(f.asked).toEqual([{ device: 'wasm', dtype: 'q8' }, { device: 'wasm', dtype: 'fp32' }]);
    expect(h).toMatchObject({ id: 'local:m', dtype: 'fp32', device: 'wasm' });
    expect(h.note).toBe('This model has no quantized weights (onnx/model_quantized.onnx); using its full-precision weights (onnx/model.onnx) instead.');
    expect(await h.embed(['a'])).toHaveLength(1);
  });

  it('automatic on WebGPU with only the q8 file: loads q8 and says so; with both files no note', async () => {
    const f = folder(Q8_ONLY);
    const h = await loadLocalEmbedder(config, deps(f.tf, true));
    expect(h).toMatchObject({ dtype: 'q8', device: 'webgpu', note: expect.stringMatching(/no full-precision weights .*using its quantized weights/) });
    const both = await loadLocalEmbedder(config, deps(folder([...FP32_ONLY, 'onnx/model_quantized.onnx']).tf));
    expect(both.dtype).toBe('q8');
    expect(both.note).toBeUndefined();
  });

  it('the fallback note follows the device note when WebGPU was asked for and is missing', async () => {
    const h = await loadLocalEmbedder({ ...config, device: 'webgpu' }, deps(folder(Q8_ONLY).tf));
    expect(h.dtype).toBe('q8');
    expect(h.note).toMatch(/^WebGPU is not available.* This model has no full-precision weights/);
  });

  it('weights chosen in the settings: no fallback, and the error names the file and the setting', async () => {
    const f = folder(FP32_ONLY);
    await expect(loadLocalEmbedder({ ...config, dtype: 'q8' }, deps(f.tf))).rejects.toMatchObject({
      kind: 'invalid',
      message: 'The model m has no onnx/model_quantized.onnx in this browser, and downloads are off: import a folder that has it, or choose other model weights in Settings › Knowledge.',
    });
    expect(f.asked).toHaveLength(1);
    expect(await loadLocalEmbedder({ ...config, dtype: 'fp32' }, deps(f.tf))).toMatchObject({ dtype: 'fp32' });
    expect((await loadLocalEmbedder({ ...config, dtype: 'fp32' }, deps(f.tf))).note).toBeUndefined();
  });

  it('no weights at all: the error is about the file the automatic choice wanted; a missing tokenizer is not a weights problem', async () => {
    const none = folder(['config.json', 'tokenizer.json']);
    await expect(loadLocalEmbedder(config, deps(none.tf))).rejects.toMatchObject({ message: expect.stringMatching(/has no onnx\/model_quantized\.onnx/) });
    expect(none.asked.map((a) => a.dtype)).toEqual(['q8', 'fp32']);
    const noTokenizer = folder(['config.json', 'onnx/model.onnx']);
    await expect(loadLocalEmbedder(config, deps(noTokenizer.tf))).rejects.toMatchObject({ message: expect.stringMatching(/not stored in this browser/) });
    expect(noTokenizer.asked).toHaveLength(1);
  });

  it('a mirror without the quantized file (404) falls back too', async () => {
    const f = folder(FP32_ONLY, { local: false });
    const h = await loadLocalEmbedder({ ...config, baseUrl: 'http://mirror.test/' }, deps(f.tf));
    expect(h.dtype).toBe('fp32');
    expect(isMissingWeights(new Error('Could not locate file: "http://mirror.test/m/onnx/model_quantized.onnx".'), 'q8')).toBe(true);
    expect(isMissingWeights(new Error('Could not locate file: "http://mirror.test/m/onnx/model_quantized.onnx".'), 'fp32')).toBe(false);
  });
});
