import { fileName } from './gpu-errors';
import { isLibraryCached, modelBaseUrl, modelFileUrl, type CacheName, type ModelRecordLike } from './model-source';

/**
 * Importing a model from a local folder: which picked file goes into which of web-llm's caches
 * under which URL, so that web-llm, asked to load the model, finds everything cached and makes
 * no request (its Cache API backend looks files up by URL: see model-source.ts for the URLs).
 * Pure: the caller reads the picked files (<input type="file" webkitdirectory>, whose
 * `webkitRelativePath` is "<picked folder>/<path>") and writes `new Response(file)` under
 * `new Request(entry.url)` into `caches.open(entry.cache)`.
 *
 * FOLDER LAYOUT (README text; also in notes/readme-gpu-env.md)
 *
 *   <any folder name>/                   <- pick this folder (or one that contains it)
 *     mlc-chat-config.json               required
 *     tensor-cache.json                  required (older conversions call it ndarray-cache.json;
 *                                        same content, renamed in mlc-llm 2025; either works)
 *     params_shard_0.bin … params_shard_N.bin
 *                                        every shard tensor-cache.json lists, with its full size
 *     tokenizer.json                     required (or tokenizer.model, if mlc-chat-config.json's
 *                                        tokenizer_files lists no tokenizer.json)
 *     mlc-model-manifest.json            only for models whose record names one (e.g. gemma-4)
 *     <model library>.wasm               the file named by the model's model_lib, e.g.
 *                                        Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm; may sit
 *                                        anywhere in the picked folder; not needed when a mirror
 *                                        for model libraries is set
 *   Anything else (.git/, README.md, tokenizer_config.json, vocab.json, merges.txt, …) is ignored:
 *   web-llm does not request it.
 */

export interface PickedFile {
  /** `webkitRelativePath`: the picked folder's name, then the path inside it, "/"-separated. */
  path: string;
  size: number;
}

/** The shape of tensor-cache.json (ndarray-cache.json) that matters here. */
export interface TensorCacheLike {
  records: Array<{ dataPath: string; nbytes: number }>;
}

export interface ImportEntry {
  /** The picked file (its `path` as given). */
  path: string;
  cache: CacheName;
  /** The URL web-llm will look up: the cache key. */
  url: string;
  size: number;
}

export interface ImportProblem {
  /** The file the problem is about (name as in the folder, or as expected). */
  file: string;
  message: string;
}

export interface ImportPlan {
  entries: ImportEntry[];
  /** Paths of picked files that are not written (web-llm would never ask for them). */
  ignored: string[];
  problems: ImportProblem[];
  /** Sum of `entries` sizes: what the import adds to storage. */
  totalBytes: number;
}

export interface FolderImportInput {
  files: readonly PickedFile[];
  /** The record the model will be loaded with (after the mirror rewrite, if one is set). */
  record: ModelRecordLike;
  /** Parsed tensor-cache.json of the folder; without it, shards cannot be checked. */
  tensorCache?: TensorCacheLike;
  /** Parsed mlc-chat-config.json, for `tokenizer_files`. */
  chatConfig?: { tokenizer_files?: readonly string[] };
  /** A mirror for model libraries is set: a missing .wasm is then fetched from it. */
  libsFromMirror?: boolean;
}

const INDEX_NAMES = ['tensor-cache.json', 'ndarray-cache.json'] as const;

/** Path inside the picked folder ("Model/params_shard_0.bin" → "params_shard_0.bin"). */
function inner(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(1).join('/');
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i + 1);
}

/**
 * Where the model's files are: the folder holding mlc-chat-config.json. When the picked folder
 * holds several models, the one named like the model id wins; otherwise it is a problem.
 */
export function findModelRoot(files: readonly PickedFile[], modelId: string): { root: string } | { problem: ImportProblem } {
  const roots = files
    .map((f) => inner(f.path))
    .filter((p) => !p.split('/').includes('.git') && (p === 'mlc-chat-config.json' || p.endsWith('/mlc-chat-config.json')))
    .map(dirOf);
  if (roots.length === 0)
    return { problem: { file: 'mlc-chat-config.json', message: 'mlc-chat-config.json is missing: pick the model’s folder (a copy of the Hugging Face repository mlc-ai/' + modelId + ').' } };
  if (roots.length === 1) return { root: roots[0]! };
  const named = roots.filter((r) => r.split('/').filter(Boolean).pop() === modelId);
  if (named.length === 1) return { root: named[0]! };
  return { problem: { file: 'mlc-chat-config.json', message: `The folder holds ${roots.length} models (${roots.map((r) => r || './').join(', ')}): pick the folder of ${modelId} itself.` } };
}

/**
 * The paths to read before planning: the tensor cache index and the chat config of the model
 * root (the caller parses them and passes them back in `tensorCache` and `chatConfig`).
 */
export function filesToReadFirst(files: readonly PickedFile[], modelId: string): { chatConfig?: string; tensorCache?: string } {
  const r = findModelRoot(files, modelId);
  if (!('root' in r)) return {};
  const at = (name: string) => files.find((f) => inner(f.path) === r.root + name)?.path;
  const tensorCache = at('tensor-cache.json') ?? at('ndarray-cache.json');
  const chatConfig = at('mlc-chat-config.json');
  return { ...(chatConfig ? { chatConfig } : {}), ...(tensorCache ? { tensorCache } : {}) };
}

/** Checks the parsed tensor-cache.json has the fields the import and web-llm rely on. */
export function readTensorCache(json: unknown): TensorCacheLike | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const records = (json as { records?: unknown }).records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const ok = records.every(
    (r) => typeof r === 'object' && r !== null && typeof (r as { dataPath?: unknown }).dataPath === 'string' && typeof (r as { nbytes?: unknown }).nbytes === 'number',
  );
  return ok ? { records: records as TensorCacheLike['records'] } : undefined;
}

/**
 * Below this size a tokenizer, library or shard cannot be real: it is the text file Git leaves
 * in place of a large file when git-lfs is not installed ("version https://git-lfs…", ~130 bytes).
 */
const LFS_POINTER_MAX = 1024;

function lfsPointer(file: string, size: number): ImportProblem {
  return {
    file,
    message: `${file} is only ${size} bytes: it is a Git LFS pointer, not the file. Run "git lfs pull" in the model folder (with git-lfs installed) and pick it again.`,
  };
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}

/** The plan: entries to write, files ignored, and every problem found (import only when none). */
export function planFolderImport(input: FolderImportInput): ImportPlan {
  const { files, record } = input;
  const entries: ImportEntry[] = [];
  const problems: ImportProblem[] = [];
  const used = new Set<string>();
  const add = (file: PickedFile, cache: CacheName, url: string) => {
    entries.push({ path: file.path, cache, url, size: file.size });
    used.add(file.path);
  };

  if (!/^https?:\/\//.test(record.model)) {
    problems.push({ file: record.model, message: `The model URL "${record.model}" is not absolute: web-llm would resolve it against the page, so imported files could not be found.` });
  }
  const rootResult = findModelRoot(files, record.model_id);
  if ('problem' in rootResult) problems.push(rootResult.problem);
  const root = 'root' in rootResult ? rootResult.root : '';
  const byName = new Map<string, PickedFile>();
  for (const f of files) {
    const p = inner(f.path);
    if (p.startsWith(root) && !p.split('/').includes('.git')) byName.set(p.slice(root.length), f);
  }
  const base = /^https?:\/\//.test(record.model) ? modelBaseUrl(record.model) : undefined;
  const url = (name: string) => (base ? modelFileUrl(record, name) : name);

  // The configuration (and the package manifest, when the record names one): cache "webllm/config".
  const config = byName.get('mlc-chat-config.json');
  if (config) add(config, 'webllm/config', url('mlc-chat-config.json'));
  if (record.model_manifest) {
    const manifest = byName.get(record.model_manifest);
    if (manifest) add(manifest, 'webllm/config', url(record.model_manifest));
    else problems.push({ file: record.model_manifest, message: `${record.model_manifest} is missing: this model's record needs it.` });
  }

  // The weights index, always stored as tensor-cache.json, the name web-llm 0.2.86 requests.
  const indexName = INDEX_NAMES.find((n) => byName.has(n));
  if (indexName) add(byName.get(indexName)!, 'webllm/model', url('tensor-cache.json'));
  else if (config) problems.push({ file: 'tensor-cache.json', message: 'tensor-cache.json (or ndarray-cache.json) is missing: it lists the weight files.' });

  // The shards the index lists, each with at least the size it declares.
  if (indexName && !input.tensorCache) {
    problems.push({ file: indexName, message: `${indexName} could not be read as a weights index (it needs a "records" list of files with dataPath and nbytes).` });
  }
  for (const shard of input.tensorCache?.records ?? []) {
    const file = byName.get(shard.dataPath);
    if (!file) {
      problems.push({ file: shard.dataPath, message: `${shard.dataPath} is missing (listed in ${indexName ?? 'tensor-cache.json'}).` });
      continue;
    }
    if (file.size < shard.nbytes) {
      problems.push(
        file.size < LFS_POINTER_MAX
          ? lfsPointer(shard.dataPath, file.size)
          : { file: shard.dataPath, message: `${shard.dataPath} is ${mb(file.size)} but should be ${mb(shard.nbytes)}: it is incomplete; copy or download it again.` },
      );
      continue;
    }
    add(file, 'webllm/model', url(shard.dataPath));
  }

  // The tokenizer web-llm will ask for: tokenizer.json if the config lists it (or says nothing).
  const listed = input.chatConfig?.tokenizer_files;
  const wants = !listed || listed.includes('tokenizer.json') ? 'tokenizer.json' : listed.includes('tokenizer.model') ? 'tokenizer.model' : undefined;
  if (!wants) {
    problems.push({ file: 'mlc-chat-config.json', message: `mlc-chat-config.json lists no tokenizer web-llm can use (tokenizer.json or tokenizer.model): ${JSON.stringify(listed)}.` });
  } else {
    const tok = byName.get(wants) ?? (!listed ? byName.get('tokenizer.model') : undefined);
    if (tok && tok.size < LFS_POINTER_MAX) problems.push(lfsPointer(fileName(tok.path), tok.size));
    else if (tok) add(tok, 'webllm/model', url(fileName(tok.path)));
    else problems.push({ file: wants, message: `${wants} is missing: web-llm needs it to read and write text.` });
  }

  // The model library: the .wasm named by model_lib, anywhere in the picked folder.
  const libName = fileName(record.model_lib);
  const lib = files.find((f) => fileName(f.path) === libName && !f.path.split('/').includes('.git'));
  if (lib && lib.size < LFS_POINTER_MAX) {
    problems.push(lfsPointer(libName, lib.size));
  } else if (lib) {
    if (isLibraryCached(record.model_lib)) add(lib, 'webllm/wasm', new URL(record.model_lib).href);
    else
      problems.push({
        file: libName,
        message: `${libName} cannot be imported: its URL (${record.model_lib}) is on localhost or relative, and web-llm fetches such libraries on every load instead of caching them. Serve it from the model library mirror.`,
      });
  } else if (!input.libsFromMirror) {
    const other = files.filter((f) => f.path.endsWith('.wasm')).map((f) => fileName(f.path));
    problems.push({
      file: libName,
      message:
        `The model library ${libName} is missing: download it from ${record.model_lib} and put it in the folder, or set a mirror for model libraries.` +
        (other.length ? ` Found ${other.join(', ')}, which is a library for another model or web-llm version; libraries only work with the version they were built for.` : ''),
    });
  }

  const ignored = files.filter((f) => !used.has(f.path)).map((f) => f.path);
  return { entries, ignored, problems, totalBytes: entries.reduce((n, e) => n + e.size, 0) };
}
