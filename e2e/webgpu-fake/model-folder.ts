import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { modelBaseUrl, type ModelRecordLike } from '../../src/core/webgpu/model-source';
import type { TensorCacheFile, TensorCacheShard } from './standin-core';

/**
 * A fake model folder for one web-llm record, written to disk: what the stand-in (standin-core.ts)
 * downloads from a mirror, or what a user picks for a folder import. Small (default 4 shards of
 * 1 MiB), deterministic bytes, real shapes:
 *   mlc-chat-config.json   tokenizer_files ["tokenizer.json"], context_window_size, conv_template …
 *   tensor-cache.json      { metadata, records: [{ dataPath, format: "raw-shard", nbytes, md5sum,
 *                            records: [{ name, shape, dtype, format: "raw", nbytes, byteOffset }] }] }
 *   params_shard_<i>.bin   `shardBytes` each, split in `recordsPerShard` records
 *   tokenizer.json         a small BPE tokenizer (over 1 KiB: smaller reads as a Git LFS pointer)
 *   <model_lib file>.wasm  a valid empty WebAssembly module padded with a custom section
 *   mlc-model-manifest.json  only when the record names one
 * Layouts:
 *   'import'  <dir>/<folderName>/<file>, the library beside the weights (plan-folder-import.ts);
 *             a file's `rel` is its webkitRelativePath when <dir>/<folderName> is picked.
 *   'mirror'  <dir>/<URL path>: weights at mlc-ai/<model-id>/resolve/main/<file> and the library at
 *             the path of model_lib's URL, so a server of <dir> is a mirror (applyModelMirror keeps
 *             the paths of the public URLs).
 * `omit` leaves files out (they stay listed in tensor-cache.json), `truncate` cuts files short.
 */

export type FolderLayout = 'import' | 'mirror';

export interface ModelFolderOptions {
  record: ModelRecordLike & { overrides?: { context_window_size?: number } };
  layout: FolderLayout;
  /** Where to write (created when missing). */
  dir: string;
  /** Number of shards (default 4) and bytes per shard (default 1 MiB). */
  shards?: number;
  shardBytes?: number;
  /** Tensor records per shard (default 2). */
  recordsPerShard?: number;
  /** The tokenizer file (default tokenizer.json); tokenizer_files lists it. */
  tokenizer?: 'tokenizer.json' | 'tokenizer.model';
  /** The weights index's name in an import folder (default tensor-cache.json). */
  indexName?: 'tensor-cache.json' | 'ndarray-cache.json';
  /** The picked folder's name in the import layout (default the model id). */
  folderName?: string;
  /** Bytes of the library (default 4096). */
  libBytes?: number;
  /** File names not to write (e.g. "params_shard_1.bin", the library's name). */
  omit?: readonly string[];
  /** File name → bytes kept (e.g. { "params_shard_2.bin": 1000 }). */
  truncate?: Readonly<Record<string, number>>;
}

export interface ModelFolderFile {
  /** The file's name in the model folder ("params_shard_0.bin"; the library's file name). */
  name: string;
  /** Absolute path on disk. */
  path: string;
  /** Path relative to `dir`, "/"-separated (the import layout: its webkitRelativePath). */
  rel: string;
  size: number;
}

export interface ModelFolder {
  /** import: <dir>/<folderName> (the folder to pick); mirror: <dir> (the folder to serve). */
  root: string;
  /** Every file written, in web-llm's request order (manifest, config, library, tokenizer, index, shards). */
  files: ModelFolderFile[];
  tensorCache: TensorCacheFile;
  chatConfig: Record<string, unknown> & { tokenizer_files: string[] };
  /** Sum of the shards' nbytes (as tensor-cache.json says). */
  weightBytes: number;
}

const MIB = 1024 * 1024;

export function fileNameOf(url: string): string {
  return url.split(/[?#]/)[0]!.split('/').pop() ?? url;
}

/** Deterministic bytes of shard `index` (the same on every run). */
export function shardBytes(index: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let j = 0; j < size; j++) b[j] = (j * 131 + index * 17 + 7) & 255;
  return b;
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** A valid WebAssembly module (no imports, no exports) of exactly `size` bytes (at least 64). */
export function fakeLibrary(size: number): Buffer {
  const name = Buffer.from('parley.fake-model-library');
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // section = id 0, LEB128 length, name length, name, payload: find the payload that fits.
  for (let payload = Math.max(0, size - header.length - name.length - 3); payload >= 0; payload--) {
    const content = 1 + name.length + payload;
    const total = header.length + 1 + leb128(content).length + content;
    if (total === size) return Buffer.concat([Buffer.from(header), Buffer.from([0, ...leb128(content), name.length]), name, Buffer.alloc(payload, 0x2a)]);
  }
  throw new Error(`fakeLibrary: cannot make a module of ${size} bytes`);
}

function tokenizerJson(): string {
  const vocab: Record<string, number> = {};
  for (let i = 0; i < 256; i++) vocab[`<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`] = i;
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 256, content: '<|begin_of_text|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 257, content: '<|eot_id|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: true, vocab, merges: [] },
  });
}

function chatConfigFor(record: ModelFolderOptions['record'], tokenizer: string): ModelFolder['chatConfig'] {
  return {
    version: '0.1.0',
    model_type: 'llama',
    quantization: /q\d+f\d+_\d/.exec(record.model_id)?.[0] ?? 'q4f32_1',
    model_config: { hidden_size: 64, intermediate_size: 128, num_attention_heads: 4, num_hidden_layers: 2, vocab_size: 258 },
    vocab_size: 258,
    context_window_size: record.overrides?.context_window_size ?? 4096,
    sliding_window_size: -1,
    prefill_chunk_size: 1024,
    attention_sink_size: -1,
    tensor_parallel_shards: 1,
    temperature: 0.6,
    top_p: 0.9,
    repetition_penalty: 1.0,
    presence_penalty: 0.0,
    frequency_penalty: 0.0,
    tokenizer_files: [tokenizer],
    tokenizer_info: { token_postproc_method: 'byte_level', prepend_space_in_encode: false, strip_space_in_decode: false },
    conv_template: { name: 'llama-3', system_template: '{system_message}', system_message: 'You are a helpful assistant.', roles: { user: 'user', assistant: 'assistant' }, seps: ['<|eot_id|>'], stop_str: [], stop_token_ids: [257] },
    pad_token_id: 0,
    bos_token_id: 256,
    eos_token_id: [257],
  };
}

/** The tensor-cache.json for `shards` shards of `size` bytes, `perShard` records each. */
export function tensorCacheFor(shards: number, size: number, perShard: number, bodies?: Buffer[]): TensorCacheFile {
  const records: TensorCacheShard[] = [];
  let param = 0;
  for (let i = 0; i < shards; i++) {
    const step = Math.floor(size / perShard / 4) * 4;
    const recs = Array.from({ length: perShard }, (_, k) => {
      const byteOffset = k * step;
      const nbytes = k === perShard - 1 ? size - byteOffset : step;
      return { name: `model.layers.${param++}.weight`, shape: [nbytes / 4], dtype: 'uint32', format: 'raw', nbytes, byteOffset };
    });
    const body = bodies?.[i];
    records.push({ dataPath: `params_shard_${i}.bin`, format: 'raw-shard', nbytes: size, records: recs, ...(body ? { md5sum: createHash('md5').update(body).digest('hex') } : {}) });
  }
  return { metadata: { ParamSize: param, ParamBytes: shards * size, BitsPerParam: 4.5 }, records };
}

export async function writeModelFolder(options: ModelFolderOptions): Promise<ModelFolder> {
  const { record, layout, dir } = options;
  const shards = options.shards ?? 4;
  const size = options.shardBytes ?? MIB;
  if (size % 4 !== 0 || size < 8) throw new Error('writeModelFolder: shardBytes must be a multiple of 4 (at least 8)');
  const tokenizer = options.tokenizer ?? 'tokenizer.json';
  const libName = fileNameOf(record.model_lib);
  const folderName = options.folderName ?? record.model_id;
  const root = layout === 'import' ? join(dir, folderName) : dir;
  const weightsDir = layout === 'import' ? folderName : decodeURIComponent(new URL(modelBaseUrl(record.model)).pathname).replace(/^\/+|\/+$/g, '');
  const libRel = layout === 'import' ? `${folderName}/${libName}` : decodeURIComponent(new URL(record.model_lib).pathname).replace(/^\/+/, '');

  const bodies = Array.from({ length: shards }, (_, i) => shardBytes(i, size));
  const tensorCache = tensorCacheFor(shards, size, options.recordsPerShard ?? 2, bodies);
  const chatConfig = chatConfigFor(record, tokenizer);
  const planned: Array<{ name: string; rel: string; body: Buffer }> = [];
  const weight = (name: string, body: Buffer | string) => planned.push({ name, rel: `${weightsDir}/${name}`, body: Buffer.from(body) });
  if (record.model_manifest) {
    weight(record.model_manifest, JSON.stringify({ schema: 'mlc.model-package', schema_version: 1, chat_config: 'mlc-chat-config.json', weights: { manifest: 'tensor-cache.json' } }));
  }
  weight('mlc-chat-config.json', JSON.stringify(chatConfig, null, 2));
  planned.push({ name: libName, rel: libRel, body: fakeLibrary(options.libBytes ?? 4096) });
  weight(tokenizer, tokenizer === 'tokenizer.json' ? tokenizerJson() : shardBytes(99, 4096));
  weight(layout === 'import' ? (options.indexName ?? 'tensor-cache.json') : 'tensor-cache.json', JSON.stringify(tensorCache));
  bodies.forEach((body, i) => weight(`params_shard_${i}.bin`, body));

  const files: ModelFolderFile[] = [];
  for (const f of planned) {
    if (options.omit?.includes(f.name)) continue;
    const keep = options.truncate?.[f.name];
    const body = keep === undefined ? f.body : f.body.subarray(0, keep);
    const path = join(dir, ...f.rel.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    files.push({ name: f.name, path, rel: f.rel, size: body.length });
  }
  return { root, files, tensorCache, chatConfig, weightBytes: shards * size };
}
