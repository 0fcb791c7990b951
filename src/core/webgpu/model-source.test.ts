import { describe, expect, it } from 'vitest';
import { GEMMA4_F32, LLAMA_F16, WEBLLM_SRC, webllmCleanModelUrl } from './__fixtures__/webllm';
import { applyModelMirror, isLibraryCached, mirrorUrl, modelBaseUrl, modelFileUrl, modelFiles, validateMirrorBase } from './model-source';

describe('fixtures are web-llm 0.2.86 records', () => {
  it('the records and the library version are in lib/index.js', () => {
    expect(WEBLLM_SRC).toContain('const modelVersion = "v0_2_86/base";');
    expect(WEBLLM_SRC).toContain('const modelLibURLPrefix = "https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/";');
    for (const r of [LLAMA_F16, GEMMA4_F32]) {
      expect(WEBLLM_SRC).toContain(`model: "${r.model}",`);
      expect(WEBLLM_SRC).toContain(`"/${r.model_lib.split('/').pop()}"`);
    }
    expect(WEBLLM_SRC).toContain('model_manifest: "mlc-model-manifest.json",');
  });

  it('web-llm asks for tensor-cache.json and mlc-chat-config.json relative to the cleaned model URL', () => {
    expect(WEBLLM_SRC).toContain('const TENSOR_CACHE_MANIFEST_FILENAME = "tensor-cache.json";');
    expect(WEBLLM_SRC).toContain('const configUrl = new URL("mlc-chat-config.json", modelUrl).href;');
    expect(WEBLLM_SRC).toContain('let modelUrl = cleanModelUrl(modelRecord.model);');
    expect(WEBLLM_SRC).toContain('const url = new URL("tokenizer.json", baseUrl).href;');
    expect(WEBLLM_SRC).toContain('const wasmCache = libExports$2.createArtifactCache("webllm/wasm"');
  });
});

describe('modelBaseUrl is cleanModelUrl', () => {
  const clean = webllmCleanModelUrl();
  it.each([
    'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC',
    'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/',
    'https://huggingface.co/mlc-ai/X-MLC/resolve/v1.2/',
    'http://mirror.lan:8080/hf/mlc-ai/Qwen3-0.6B-q4f16_1-MLC',
    'http://mirror.lan/a%20b/mlc-ai/x',
  ])('%s', (u) => {
    expect(modelBaseUrl(u)).toBe(clean(u));
  });

  it('file URLs as web-llm builds them', () => {
    expect(modelFileUrl(LLAMA_F16, 'params_shard_0.bin')).toBe(
      'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/params_shard_0.bin',
    );
  });
});

describe('validateMirrorBase', () => {
  it.each([
    ['http://mirror.lan/hf', 'http://mirror.lan/hf/'],
    ['  https://mirror.lan:8443/hf/  ', 'https://mirror.lan:8443/hf/'],
    ['http://192.168.1.20', 'http://192.168.1.20/'],
  ])('%s → %s', (input, base) => {
    expect(validateMirrorBase(input, 'weightsBase')).toEqual({ ok: true, base });
  });

  it.each([
    ['mirror.lan/hf', 'not a valid URL'],
    ['ftp://mirror.lan/hf/', 'must start with http:// or https://'],
    ['file:///srv/models/', 'must start with http:// or https://'],
    ['http://user:pw@mirror.lan/', 'user name or password'],
    ['http://mirror.lan/hf/?token=1', 'query'],
    ['http://mirror.lan/hf/#x', 'fragment'],
    ['http://mirror.lan/hf/mlc-ai/x/resolve/main/', '/resolve/'],
  ])('refuses %s', (input, why) => {
    const r = validateMirrorBase(input, 'weightsBase');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('invalid');
      expect(r.error.message).toContain(why);
    }
  });

  it('mixed content: http mirror from an https page, except loopback', () => {
    const r = validateMirrorBase('http://mirror.lan/', 'libsBase', 'https://parley.example');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('model library mirror');
    expect(validateMirrorBase('http://127.0.0.1:9000/', 'libsBase', 'https://parley.example').ok).toBe(true);
    expect(validateMirrorBase('http://mirror.lan/', 'libsBase', 'http://parley.lan').ok).toBe(true);
  });
});

describe('applyModelMirror', () => {
  const mirror = { weightsBase: 'http://mirror.lan/hf', libsBase: 'http://mirror.lan/gh/' };

  it('rewrites both halves, keeping the path (same layout as the public hosts) and every other field', () => {
    const r = applyModelMirror([LLAMA_F16, GEMMA4_F32], mirror);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [llama, gemma] = r.records;
    expect(llama).toEqual({
      ...LLAMA_F16,
      model: 'http://mirror.lan/hf/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC',
      model_lib: 'http://mirror.lan/gh/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    });
    expect(gemma).toMatchObject({ model_manifest: 'mlc-model-manifest.json', model: 'http://mirror.lan/hf/mlc-ai/gemma-4-E2B-it-q4f32_1-MLC' });
    // what web-llm will request from the rewritten record
    const clean = webllmCleanModelUrl();
    expect(new URL('tensor-cache.json', clean(llama!.model)).href).toBe(
      'http://mirror.lan/hf/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC/resolve/main/tensor-cache.json',
    );
    expect(LLAMA_F16.model).toBe('https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC'); // input untouched
  });

  it('one half only; empty strings mean the public host', () => {
    const r = applyModelMirror([LLAMA_F16], { weightsBase: 'http://mirror.lan/hf/', libsBase: '  ' });
    expect(r.ok && r.records[0]!.model_lib).toBe(LLAMA_F16.model_lib);
    expect(r.ok && r.records[0]!.model).toBe('http://mirror.lan/hf/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC');
    const none = applyModelMirror([LLAMA_F16], {});
    expect(none.ok && none.records[0]).toEqual(LLAMA_F16);
  });

  it('relative records (served by the app) stay as they are', () => {
    const local = { model: '/models/x', model_id: 'x', model_lib: 'libs/x.wasm' };
    const r = applyModelMirror([local], mirror);
    expect(r.ok && r.records[0]).toEqual(local);
  });

  it('an invalid base is an error, not a half-rewritten list', () => {
    const r = applyModelMirror([LLAMA_F16], { weightsBase: 'http://mirror.lan/hf/', libsBase: 'ftp://x/' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('model library mirror');
  });

  it('mirrorUrl keeps ports, encoded characters and a query of the public URL', () => {
    expect(mirrorUrl('https://host.example:444/a%20b/c.wasm?v=2', 'http://m/base/')).toBe('http://m/base/a%20b/c.wasm?v=2');
    expect(mirrorUrl('https://huggingface.co/org/a:b', 'http://m/')).toBe('http://m/org/a:b');
  });

  it('libraries on localhost or relative are not cached by web-llm', () => {
    expect(isLibraryCached(LLAMA_F16.model_lib)).toBe(true);
    expect(isLibraryCached('http://localhost:8000/x.wasm')).toBe(false);
    expect(isLibraryCached('libs/x.wasm')).toBe(false);
  });
});

describe('modelFiles', () => {
  it('lists what reload() fetches, in its order, with caches and URLs', () => {
    const hf = `https://huggingface.co/mlc-ai/${GEMMA4_F32.model_id}/resolve/main/`;
    const files = modelFiles(GEMMA4_F32, { tensorCache: { records: [{ dataPath: 'params_shard_0.bin' }, { dataPath: 'params_shard_1.bin' }] } });
    expect(files).toEqual([
      { cache: 'webllm/config', url: `${hf}mlc-model-manifest.json`, name: 'mlc-model-manifest.json' },
      { cache: 'webllm/config', url: `${hf}mlc-chat-config.json`, name: 'mlc-chat-config.json' },
      { cache: 'webllm/wasm', url: GEMMA4_F32.model_lib, name: 'gemma-4-E2B-it-q4f32_1_cs512-webgpu.wasm' },
      { cache: 'webllm/model', url: `${hf}tokenizer.json`, name: 'tokenizer.json' },
      { cache: 'webllm/model', url: `${hf}tensor-cache.json`, name: 'tensor-cache.json' },
      { cache: 'webllm/model', url: `${hf}params_shard_0.bin`, name: 'params_shard_0.bin' },
      { cache: 'webllm/model', url: `${hf}params_shard_1.bin`, name: 'params_shard_1.bin' },
    ]);
  });

  it('that order is the order of reloadInternal in the installed web-llm', () => {
    const at = (s: string) => WEBLLM_SRC.indexOf(s);
    const steps = [
      'new URL(modelRecord.model_manifest, modelUrl).href, "arraybuffer"',
      'const configUrl = packageResources.chatConfigUrl;',
      'const wasmSource = yield fetchWasmSource();',
      'const tokenizer = yield asyncLoadTokenizer(modelUrl',
      'yield tvm.fetchTensorCache(packageResources.tensorCacheBaseUrl',
    ].map(at);
    expect(steps.every((i) => i > 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('no manifest, tokenizer.model, and an uncached (localhost) library', () => {
    const names = modelFiles({ ...LLAMA_F16, model_lib: 'http://localhost:8000/x.wasm' }, { tokenizer: 'tokenizer.model' }).map((f) => f.name);
    expect(names).toEqual(['mlc-chat-config.json', 'tokenizer.model', 'tensor-cache.json']);
  });
});
