import { appError } from '../../src/core/errors';
import type { ModelFile, StoredModel } from '../embed-api';

/**
 * Where the in-browser embedder's model files live: one Cache Storage cache, each file under
 * a key that names only the model and the file (`https://models.parley.invalid/<model id, one
 * encoded segment>/<file>`),
 * whichever mirror it came from or whether the user imported it from a folder. transformers.js
 * reads and writes it through `env.customCache` (see `customCacheFor`): it asks for its own
 * URLs (`<mirror>/<model>/resolve/main/<file>`, or the local model path), which are mapped to
 * these keys, so a file downloaded from one mirror, or imported, serves any later load.
 */

export const MODEL_CACHE = 'parley-embed-models';
const KEY_ORIGIN = 'https://models.parley.invalid/';

/** The parts of CacheStorage used here (a fake in node tests). */
export interface CachesPort {
  open(name: string): Promise<Cache>;
}

export function storeKey(modelId: string, file: string): string {
  return `${KEY_ORIGIN}${encodeURIComponent(modelId)}/${file.replace(/^\/+/, '')}`;
}

/** A stored key → its model id and file. */
function parseKey(key: string): { modelId: string; file: string } | undefined {
  if (!key.startsWith(KEY_ORIGIN)) return undefined;
  const rest = key.slice(KEY_ORIGIN.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return { modelId: decodeURIComponent(rest.slice(0, slash)), file: rest.slice(slash + 1) };
}

/** The URL prefixes transformers.js puts before a model's files, for one configuration. */
export function filePrefixes(modelId: string, opts: { remoteHost?: string; pathTemplate: string; localModelPath?: string; revision?: string }): string[] {
  const join = (...parts: string[]) => parts.map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, ''))).filter((p) => p !== '').join('/') + '/';
  const path = opts.pathTemplate.replaceAll('{model}', modelId).replaceAll('{revision}', encodeURIComponent(opts.revision ?? 'main'));
  const out: string[] = [];
  if (opts.remoteHost) out.push(join(opts.remoteHost, path));
  if (opts.localModelPath) out.push(join(opts.localModelPath, modelId));
  return out;
}

/** A request (string or Request) → the store key, when it is one of this model's files. */
export function keyFor(request: string | Request, modelId: string, prefixes: string[]): string | undefined {
  const url = typeof request === 'string' ? request : request.url;
  for (const p of prefixes) if (url.startsWith(p)) return storeKey(modelId, url.slice(p.length));
  // transformers.js also asks with the bare `<model>/<file>` path in some versions.
  if (url.startsWith(`${modelId}/`)) return storeKey(modelId, url.slice(modelId.length + 1));
  return undefined;
}

/** The `env.customCache` object transformers.js takes: `match` and `put` with its own keys. */
export function customCacheFor(caches: CachesPort, modelId: string, prefixes: string[]) {
  const open = () => caches.open(MODEL_CACHE);
  return {
    async match(request: string | Request): Promise<Response | undefined> {
      const key = keyFor(request, modelId, prefixes);
      if (!key) return undefined;
      return (await open()).match(key);
    },
    async put(request: string | Request, response: Response): Promise<void> {
      const key = keyFor(request, modelId, prefixes);
      if (!key) return;
      await (await open()).put(key, response);
    },
  };
}

/** Files the user picked → the store, with the content types a server would send. */
export async function importModel(caches: CachesPort, modelId: string, files: ModelFile[]): Promise<StoredModel> {
  const id = modelId.trim().replace(/^\/+|\/+$/g, '');
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(id) || id.split('/').some((part) => /^\.+$/.test(part))) throw appError('invalid', `“${modelId}” is not a model id (e.g. Xenova/all-MiniLM-L6-v2).`);
  if (!files.some((f) => f.path.replace(/^\/+/, '') === 'config.json')) {
    throw appError('invalid', 'The folder has no config.json at its top: pick the model’s own folder (with config.json, tokenizer.json and onnx/).');
  }
  const cache = await caches.open(MODEL_CACHE);
  for (const f of files) {
    const type = f.path.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    await cache.put(storeKey(id, f.path), new Response(f.data, { headers: { 'content-type': type, 'content-length': String(f.data.size) } }));
  }
  return (await storedModels(caches)).find((m) => m.modelId === id) ?? { modelId: id, files: [], bytes: 0 };
}

/** Every stored model with its files and their size (from content-length, else the body). */
export async function storedModels(caches: CachesPort): Promise<StoredModel[]> {
  const cache = await caches.open(MODEL_CACHE);
  const models = new Map<string, StoredModel>();
  for (const req of await cache.keys()) {
    const parsed = parseKey(req.url);
    if (!parsed) continue;
    const { modelId, file } = parsed;
    const res = await cache.match(req);
    const length = Number(res?.headers.get('content-length') ?? NaN);
    const bytes = Number.isFinite(length) ? length : ((await res?.arrayBuffer())?.byteLength ?? 0);
    const m = models.get(modelId) ?? { modelId, files: [], bytes: 0 };
    m.files.push(file);
    m.bytes += bytes;
    models.set(modelId, m);
  }
  return [...models.values()].map((m) => ({ ...m, files: m.files.sort() })).sort((a, b) => a.modelId.localeCompare(b.modelId));
}

export async function deleteModel(caches: CachesPort, modelId: string): Promise<void> {
  const cache = await caches.open(MODEL_CACHE);
  for (const req of await cache.keys()) if (parseKey(req.url)?.modelId === modelId) await cache.delete(req);
}
