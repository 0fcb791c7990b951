import { describe, expect, it } from 'vitest';
import { GEMMA4_F32, LLAMA_F16, WEBLLM_SRC } from './__fixtures__/webllm';
import { applyModelMirror } from './model-source';
import { filesToReadFirst, planFolderImport, readTensorCache, type PickedFile } from './plan-folder-import';

const ID = LLAMA_F16.model_id;
const HF = `https://huggingface.co/mlc-ai/${ID}/resolve/main/`;
const LIB = 'Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm';
const MB = 1024 * 1024;

/** A tensor-cache.json as mlc-llm writes it (fields trimmed to the shard level). */
const INDEX = {
  metadata: { ParamSize: 3, ParamBytes: 70 * MB, BitsPerParam: 4.5 },
  records: [
    { dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 32 * MB, records: [] },
    { dataPath: 'params_shard_1.bin', format: 'raw-shard', nbytes: 30 * MB, records: [] },
    { dataPath: 'params_shard_2.bin', format: 'raw-shard', nbytes: 8 * MB, records: [] },
  ],
};
const CHAT_CONFIG = { tokenizer_files: ['tokenizer.json', 'tokenizer_config.json'] };

/** The folder as a clone of the Hugging Face repo plus the library, as webkitRelativePath gives it. */
function folder(over: Record<string, number | undefined> = {}, top = ID): PickedFile[] {
  const files: Record<string, number | undefined> = {
    '.gitattributes': 1500,
    'README.md': 900,
    'mlc-chat-config.json': 2100,
    'tensor-cache.json': 150000,
    'params_shard_0.bin': 32 * MB,
    'params_shard_1.bin': 30 * MB,
    'params_shard_2.bin': 8 * MB,
    'tokenizer.json': 9085657,
    'tokenizer_config.json': 54528,
    [LIB]: 4 * MB,
    '.git/lfs/objects/ab/cd/abcd': 32 * MB,
    ...over,
  };
  return Object.entries(files)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([p, size]) => ({ path: `${top}/${p}`, size }));
}

function plan(files: PickedFile[], more: Partial<Parameters<typeof planFolderImport>[0]> = {}) {
  return planFolderImport({ files, record: LLAMA_F16, tensorCache: INDEX, chatConfig: CHAT_CONFIG, ...more });
}

describe('planFolderImport', () => {
  it('puts each file in the cache web-llm reads it from, under the URL it requests', () => {
    const p = plan(folder());
    expect(p.problems).toEqual([]);
    expect(p.entries.map((e) => [e.path.slice(ID.length + 1), e.cache, e.url])).toEqual([
      ['mlc-chat-config.json', 'webllm/config', `${HF}mlc-chat-config.json`],
      ['tensor-cache.json', 'webllm/model', `${HF}tensor-cache.json`],
      ['params_shard_0.bin', 'webllm/model', `${HF}params_shard_0.bin`],
      ['params_shard_1.bin', 'webllm/model', `${HF}params_shard_1.bin`],
      ['params_shard_2.bin', 'webllm/model', `${HF}params_shard_2.bin`],
      ['tokenizer.json', 'webllm/model', `${HF}tokenizer.json`],
      [LIB, 'webllm/wasm', LLAMA_F16.model_lib],
    ]);
    expect(p.ignored.map((x) => x.slice(ID.length + 1)).sort()).toEqual(['.git/lfs/objects/ab/cd/abcd', '.gitattributes', 'README.md', 'tokenizer_config.json']);
    expect(p.totalBytes).toBe(2100 + 150000 + 70 * MB + 9085657 + 4 * MB);
  });

  it('the cache names are the ones web-llm opens', () => {
    for (const opened of [
      'getTensorCacheAccessOptions("webllm/model", this.appConfig)', // index and shards, in reload
      'const modelCache = createScopedArtifactCache("webllm/model", appConfig);', // tokenizer
      'const configCache = libExports$2.createArtifactCache("webllm/config"', // config and manifest, in reload
      'const wasmCache = libExports$2.createArtifactCache("webllm/wasm"',
    ])
      expect(WEBLLM_SRC).toContain(opened);
  });

  it('with a mirror, the keys are the mirror URLs (what web-llm then requests)', () => {
    const m = applyModelMirror([LLAMA_F16], { weightsBase: 'http://mirror.lan/hf/', libsBase: 'http://mirror.lan/gh/' });
    if (!m.ok) throw new Error('mirror');
    const p = plan(folder(), { record: m.records[0]! });
    expect(p.problems).toEqual([]);
    expect(p.entries[0]!.url).toBe(`http://mirror.lan/hf/mlc-ai/${ID}/resolve/main/mlc-chat-config.json`);
    expect(p.entries.at(-1)!.url).toBe(`http://mirror.lan/gh/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/${LIB}`);
  });

  it('an older ndarray-cache.json is stored under tensor-cache.json', () => {
    const p = plan(folder({ 'tensor-cache.json': undefined, 'ndarray-cache.json': 150000 }));
    expect(p.problems).toEqual([]);
    expect(p.entries.find((e) => e.path.endsWith('ndarray-cache.json'))?.url).toBe(`${HF}tensor-cache.json`);
  });

  it('finds the model inside a picked parent folder, and the library elsewhere in it', () => {
    const files = [
      ...folder({ [LIB]: undefined }).map((f) => ({ ...f, path: `models/${f.path}` })),
      { path: `models/libs/${LIB}`, size: 4 * MB },
    ];
    const p = plan(files);
    expect(p.problems).toEqual([]);
    expect(p.entries.find((e) => e.cache === 'webllm/wasm')?.path).toBe(`models/libs/${LIB}`);
    expect(filesToReadFirst(files, ID)).toEqual({ chatConfig: `models/${ID}/mlc-chat-config.json`, tensorCache: `models/${ID}/tensor-cache.json` });
  });

  it('several models in the picked folder: the one named like the model id, else a problem', () => {
    const two = [...folder().map((f) => ({ ...f, path: `all/${f.path}` })), ...folder({}, 'Other-MLC').map((f) => ({ ...f, path: `all/${f.path}` }))];
    expect(plan(two).problems).toEqual([]);
    const renamed = [...folder({}, 'a').map((f) => ({ ...f, path: `all/${f.path}` })), ...folder({}, 'b').map((f) => ({ ...f, path: `all/${f.path}` }))];
    expect(plan(renamed).problems[0]?.message).toContain('holds 2 models');
  });

  it('names each missing file', () => {
    const p = plan(folder({ 'mlc-chat-config.json': undefined, 'params_shard_1.bin': undefined, 'tokenizer.json': undefined, [LIB]: undefined }));
    expect(p.problems.map((x) => x.file)).toEqual(['mlc-chat-config.json', 'params_shard_1.bin', 'tokenizer.json', LIB]);
    expect(p.problems[0]!.message).toContain(`mlc-ai/${ID}`);
    expect(p.problems[1]!.message).toBe('params_shard_1.bin is missing (listed in tensor-cache.json).');
    expect(p.problems[3]!.message).toContain(LLAMA_F16.model_lib);
  });

  it('a missing index when the config is there', () => {
    const p = plan(folder({ 'tensor-cache.json': undefined }), { tensorCache: undefined });
    expect(p.problems.map((x) => x.file)).toEqual(['tensor-cache.json']);
  });

  it('an unreadable index', () => {
    expect(readTensorCache({ records: [{ dataPath: 'params_shard_0.bin' }] })).toBeUndefined();
    expect(readTensorCache(INDEX)).toEqual({ records: INDEX.records });
    const p = plan(folder(), { tensorCache: readTensorCache({ metadata: {} }) });
    expect(p.problems.map((x) => x.file)).toEqual(['tensor-cache.json']);
  });

  it('Git LFS pointers and short shards are caught by size', () => {
    const p = plan(folder({ 'params_shard_0.bin': 134, 'params_shard_2.bin': 5 * MB, 'tokenizer.json': 132 }));
    expect(p.problems.map((x) => x.file)).toEqual(['params_shard_0.bin', 'params_shard_2.bin', 'tokenizer.json']);
    expect(p.problems[0]!.message).toContain('git lfs pull');
    expect(p.problems[1]!.message).toBe('params_shard_2.bin is 5.0 MB but should be 8.0 MB: it is incomplete; copy or download it again.');
    expect(p.entries.some((e) => e.path.endsWith('params_shard_0.bin'))).toBe(false);
  });

  it('a library for another version is named as such; with a libs mirror a missing one is fine', () => {
    const other = 'Llama-3.2-1B-Instruct-q4f16_1-ctx4k_cs1k-webgpu.wasm';
    const p = plan(folder({ [LIB]: undefined, [other]: 4 * MB }));
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]!.message).toContain(`Found ${other}`);
    expect(plan(folder({ [LIB]: undefined }), { libsFromMirror: true }).problems).toEqual([]);
  });

  it('a library on localhost cannot be imported (web-llm never caches it)', () => {
    const record = { ...LLAMA_F16, model_lib: `http://localhost:8000/libs/${LIB}` };
    expect(plan(folder(), { record }).problems[0]?.message).toContain('fetches such libraries on every load');
  });

  it('tokenizer.model when the config lists no tokenizer.json', () => {
    const files = folder({ 'tokenizer.json': undefined, 'tokenizer.model': 499723 });
    const p = plan(files, { chatConfig: { tokenizer_files: ['tokenizer.model', 'tokenizer_config.json'] } });
    expect(p.problems).toEqual([]);
    expect(p.entries.find((e) => e.path.endsWith('tokenizer.model'))?.url).toBe(`${HF}tokenizer.model`);
    expect(plan(files).problems.map((x) => x.file)).toEqual(['tokenizer.json']); // config lists tokenizer.json
    expect(plan(files, { chatConfig: { tokenizer_files: ['vocab.json'] } }).problems[0]?.message).toContain('no tokenizer');
  });

  it('a record with a package manifest (gemma-4) needs it, stored with the config', () => {
    const lib = 'gemma-4-E2B-it-q4f32_1_cs512-webgpu.wasm';
    const files = folder({ [LIB]: undefined, [lib]: 9 * MB, 'mlc-model-manifest.json': 3000 }, GEMMA4_F32.model_id);
    const p = plan(files, { record: GEMMA4_F32 });
    expect(p.problems).toEqual([]);
    expect(p.entries[1]).toMatchObject({
      cache: 'webllm/config',
      url: `https://huggingface.co/mlc-ai/${GEMMA4_F32.model_id}/resolve/main/mlc-model-manifest.json`,
    });
    const without = plan(files.filter((f) => !f.path.endsWith('mlc-model-manifest.json')), { record: GEMMA4_F32 });
    expect(without.problems.map((x) => x.file)).toEqual(['mlc-model-manifest.json']);
  });

  it('a relative model URL is a problem', () => {
    expect(plan(folder(), { record: { ...LLAMA_F16, model: '/models/x' } }).problems[0]?.message).toContain('not absolute');
  });
});
