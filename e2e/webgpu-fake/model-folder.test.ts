import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyModelMirror, modelFiles, type ModelRecordLike } from '../../src/core/webgpu/model-source';
import { planFolderImport, readTensorCache } from '../../src/core/webgpu/plan-folder-import';
import { fakeLibrary, writeModelFolder, type ModelFolder } from './model-folder';

const list = prebuiltAppConfig.model_list as ModelRecordLike[];
const record = list.find((r) => r.model_id === 'Llama-3.2-1B-Instruct-q4f32_1-MLC')!;
const gemma = list.find((r) => r.model_manifest)!;

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'gpu-standin-folder-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function plan(folder: ModelFolder, r: ModelRecordLike, indexName = 'tensor-cache.json') {
  const index = folder.files.find((f) => f.name === indexName);
  const config = folder.files.find((f) => f.name === 'mlc-chat-config.json');
  return planFolderImport({
    files: folder.files.map((f) => ({ path: f.rel, size: f.size })),
    record: r,
    ...(index ? { tensorCache: readTensorCache(JSON.parse(await readFile(index.path, 'utf8'))) } : {}),
    ...(config ? { chatConfig: JSON.parse(await readFile(config.path, 'utf8')) as { tokenizer_files: string[] } } : {}),
  });
}

describe('writeModelFolder, import layout', () => {
  it('writes a folder planFolderImport accepts whole, every file under the URL web-llm requests', async () => {
    const folder = await writeModelFolder({ record, layout: 'import', dir: await tempDir() });
    expect(folder.files.map((f) => f.rel)).toEqual(
      ['mlc-chat-config.json', 'Llama-3.2-1B-Instruct-q4f32_1_cs1k-webgpu.wasm', 'tokenizer.json', 'tensor-cache.json', 'params_shard_0.bin', 'params_shard_1.bin', 'params_shard_2.bin', 'params_shard_3.bin'].map(
        (n) => `${record.model_id}/${n}`,
      ),
    );
    const p = await plan(folder, record);
    expect(p.problems).toEqual([]);
    expect(p.ignored).toEqual([]);
    const expected = modelFiles(record, { tensorCache: folder.tensorCache });
    expect(p.entries.map((e) => [e.cache, e.url]).sort()).toEqual(expected.map((f) => [f.cache, f.url]).sort());
    expect(folder.weightBytes).toBe(4 * 1024 * 1024);
    expect(folder.files.filter((f) => f.name.startsWith('params_')).map((f) => f.size)).toEqual([1, 1, 1, 1].map(() => 1024 * 1024));
  });

  it('writes tensor-cache.json in web-llm’s shape: shards with nbytes and md5, records covering each shard', async () => {
    const folder = await writeModelFolder({ record, layout: 'import', dir: await tempDir(), shards: 2, shardBytes: 4096, recordsPerShard: 3 });
    const json = JSON.parse(await readFile(folder.files.find((f) => f.name === 'tensor-cache.json')!.path, 'utf8'));
    expect(json.records).toHaveLength(2);
    for (const shard of json.records) {
      expect(shard).toMatchObject({ format: 'raw-shard', nbytes: 4096 });
      expect(shard.md5sum).toMatch(/^[0-9a-f]{32}$/);
      const recs = shard.records as Array<{ byteOffset: number; nbytes: number }>;
      expect(recs.map((r) => r.byteOffset)).toEqual([0, 1364, 2728]);
      expect(recs.at(-1)!.byteOffset + recs.at(-1)!.nbytes).toBe(4096);
    }
    const again = await writeModelFolder({ record, layout: 'import', dir: await tempDir(), shards: 2, shardBytes: 4096, recordsPerShard: 3 });
    expect(again.tensorCache).toEqual(folder.tensorCache); // deterministic bytes, same md5s
  });

  it('writes a library WebAssembly accepts, of the size asked', async () => {
    for (const size of [1100, 4096, 200_000]) {
      const lib = fakeLibrary(size);
      expect(lib.length).toBe(size);
      expect(WebAssembly.validate(new Uint8Array(lib))).toBe(true);
    }
  });

  it('omits and truncates files, and planFolderImport names them', async () => {
    const folder = await writeModelFolder({
      record,
      layout: 'import',
      dir: await tempDir(),
      omit: ['tokenizer.json'],
      truncate: { 'params_shard_2.bin': 4000 },
    });
    expect(folder.files.find((f) => f.name === 'tokenizer.json')).toBeUndefined();
    const p = await plan(folder, record);
    expect(p.problems.map((x) => x.file).sort()).toEqual(['params_shard_2.bin', 'tokenizer.json']);
    expect(p.problems.find((x) => x.file === 'params_shard_2.bin')?.message).toContain('incomplete');
  });

  it('names the index ndarray-cache.json on request and writes the manifest a record names', async () => {
    const old = await writeModelFolder({ record, layout: 'import', dir: await tempDir(), indexName: 'ndarray-cache.json', folderName: 'picked' });
    expect(old.root.endsWith('/picked')).toBe(true);
    expect((await plan(old, record, 'ndarray-cache.json')).problems).toEqual([]);
    const g = await writeModelFolder({ record: gemma, layout: 'import', dir: await tempDir() });
    expect(g.files[0]?.name).toBe(gemma.model_manifest);
    expect((await plan(g, gemma)).problems).toEqual([]);
  });
});

describe('writeModelFolder, mirror layout', () => {
  it('puts every file at the path web-llm requests from a mirror (applyModelMirror + modelFiles)', async () => {
    for (const r of [record, gemma]) {
      const dir = await tempDir();
      const folder = await writeModelFolder({ record: r, layout: 'mirror', dir });
      expect(folder.root).toBe(dir);
      const base = 'http://127.0.0.1:8999/';
      const mirrored = applyModelMirror([r], { weightsBase: base, libsBase: base });
      if (!mirrored.ok) throw new Error('mirror refused');
      const urls = modelFiles(mirrored.records[0]!, { tensorCache: folder.tensorCache }).map((f) => f.url);
      expect(urls.every((u) => u.startsWith(base))).toBe(true);
      expect(folder.files.map((f) => `${base}${f.rel}`)).toEqual(urls);
      expect(folder.files.map((f) => f.path)).toEqual(folder.files.map((f) => join(dir, ...f.rel.split('/'))));
    }
    const one = await writeModelFolder({ record, layout: 'mirror', dir: await tempDir(), shards: 1, shardBytes: 1024 });
    expect(one.files.map((f) => f.rel)).toContain(`mlc-ai/${record.model_id}/resolve/main/params_shard_0.bin`);
    expect(one.files.map((f) => f.rel)).toContain('mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3.2-1B-Instruct-q4f32_1_cs1k-webgpu.wasm');
  });
});
