import { appError, type AppError } from '../errors';

/**
 * Where web-llm fetches a model from, and how a local mirror replaces the public hosts.
 *
 * How web-llm 0.2.86 turns a model record into requests (lib/index.js, MLCEngine.reloadInternal):
 *   base   = cleanModelUrl(record.model)       -- adds "/" and, unless the URL already has
 *                                                 "/resolve/<rev>/", "resolve/main/"
 *   config = new URL("mlc-chat-config.json", base)   cache "webllm/config"
 *   manifest (only when record.model_manifest is set, e.g. gemma-4)
 *          = new URL(record.model_manifest, base)    cache "webllm/config"
 *   index  = new URL("tensor-cache.json", base)      cache "webllm/model"
 *   shards = new URL(record.dataPath, base) for each record of tensor-cache.json, "webllm/model"
 *   tokenizer = new URL("tokenizer.json" | "tokenizer.model", base), "webllm/model"
 *   library = record.model_lib, as is,               cache "webllm/wasm"
 *             (except: a URL containing "localhost" or not starting with "http" is fetched on
 *             every load and never cached)
 * The cache keys are these URLs (Cache API: the Request's URL).
 *
 * The mirror mapping: a mirror base replaces the scheme, host and port of the public URL and
 * keeps its path, so a mirror has the same file layout as the public hosts:
 *   weights  https://huggingface.co/mlc-ai/<model-id>
 *        ->  <weightsBase>mlc-ai/<model-id>           web-llm then requests
 *            <weightsBase>mlc-ai/<model-id>/resolve/main/<file>
 *   library  https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/<lib>.wasm
 *        ->  <libsBase>mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/<lib>.wasm
 * A base may have a path of its own (http://mirror.lan/hf/); it always ends with "/" after
 * validation. A caching reverse proxy in front of each host (path unchanged) is such a mirror
 * too, and so is a public Hugging Face mirror (same paths as huggingface.co) for the weights.
 * Changing the mirror changes every URL, so models cached from another source count as not
 * cached (web-llm looks them up by URL).
 */

/** The fields of web-llm's ModelRecord this module reads; the others are passed through. */
export interface ModelRecordLike {
  model: string;
  model_id: string;
  model_lib: string;
  model_manifest?: string;
}

export interface ModelMirror {
  /** Replaces https://huggingface.co/ (weights, tokenizer, configs). */
  weightsBase?: string;
  /** Replaces https://raw.githubusercontent.com/ (model libraries, .wasm). */
  libsBase?: string;
}

export type CacheName = 'webllm/model' | 'webllm/config' | 'webllm/wasm';

/** web-llm's cleanModelUrl, the same steps (the test runs both on the same inputs). */
export function modelBaseUrl(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/** The URL web-llm requests for a file of the model folder (`file` relative, e.g. "params_shard_0.bin"). */
export function modelFileUrl(record: Pick<ModelRecordLike, 'model'>, file: string): string {
  return new URL(file, modelBaseUrl(record.model)).href;
}

/** Whether web-llm caches this model library (see the header: localhost and relative URLs are not). */
export function isLibraryCached(modelLib: string): boolean {
  return modelLib.startsWith('http') && !modelLib.includes('localhost');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host);
}

export type MirrorBaseResult = { ok: true; base: string } | { ok: false; error: AppError };

/**
 * Checks a mirror base URL a user typed and returns it normalised (ending in "/"). Refused:
 * other schemes than http/https, user:password@ (fetch refuses such URLs), a query or fragment
 * (the file path is appended, so they would end up in the middle), and for weights a path with
 * "/resolve/<x>/" (web-llm would then not add "resolve/main/" and ask for the wrong files).
 * `appOrigin`, when given, also catches an http mirror from an https page (mixed content; the
 * browser blocks it except for loopback hosts).
 */
export function validateMirrorBase(input: string, which: keyof ModelMirror, appOrigin?: string): MirrorBaseResult {
  const label = which === 'weightsBase' ? 'weights mirror' : 'model library mirror';
  const bad = (message: string, detail?: string): MirrorBaseResult => ({
    ok: false,
    error: appError('invalid', message, detail ? { detail } : {}),
  });
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad(`The ${label} is not a valid URL: enter a full address such as http://mirror.lan/hf/.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(`The ${label} must start with http:// or https:// (not ${url.protocol}).`);
  if (url.username || url.password) return bad(`The ${label} must not contain a user name or password: browsers refuse to fetch such URLs.`);
  if (url.search || url.hash || text.includes('?') || text.includes('#'))
    return bad(`The ${label} must not have a query (?…) or fragment (#…): file paths are appended to it.`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  if (which === 'weightsBase' && /\/resolve\/[^/]+\//.test(url.pathname))
    return bad(
      `The ${label} must not contain "/resolve/…/": give the address that replaces https://huggingface.co/.`,
      'web-llm adds "resolve/main/" after the model path itself; a base that already has it would make it skip that step.',
    );
  if (appOrigin?.startsWith('https:') && url.protocol === 'http:' && !isLoopback(url.hostname))
    return bad(
      `The browser blocks plain http requests from this https page, so the ${label} ${url.origin} cannot be used.`,
      'Serve the mirror over https (a reverse proxy with a certificate), or open Parley over http.',
    );
  return { ok: true, base: url.href };
}

/** The public URL with its scheme, host and port replaced by `base` (normalised, ending in "/"). */
export function mirrorUrl(publicUrl: string, base: string): string {
  const u = new URL(publicUrl);
  // Concatenated, not resolved: a relative path like "a:b" would otherwise read as a scheme.
  return new URL(`${base}${u.pathname.replace(/^\/+/, '')}${u.search}`).href;
}

export type MirroredList<R> = { ok: true; records: R[] } | { ok: false; error: AppError };

/**
 * The model list with weights and libraries pointing at the mirror; records keep every other
 * field (vram_required_MB, required_features, overrides, integrity, …). A relative URL in a
 * record (served by the app itself) is left as it is. An empty or missing base leaves that half
 * on the public host.
 */
export function applyModelMirror<R extends ModelRecordLike>(records: readonly R[], mirror: ModelMirror, appOrigin?: string): MirroredList<R> {
  const bases: Partial<Record<keyof ModelMirror, string>> = {};
  for (const which of ['weightsBase', 'libsBase'] as const) {
    const raw = mirror[which]?.trim();
    if (!raw) continue;
    const r = validateMirrorBase(raw, which, appOrigin);
    if (!r.ok) return r;
    bases[which] = r.base;
  }
  const rewrite = (url: string, base: string | undefined): string => (base && /^https?:\/\//.test(url) ? mirrorUrl(url, base) : url);
  return {
    ok: true,
    records: records.map((r) => ({ ...r, model: rewrite(r.model, bases.weightsBase), model_lib: rewrite(r.model_lib, bases.libsBase) })),
  };
}

export interface ModelFile {
  cache: CacheName;
  url: string;
  /** The file's name in the model folder (or the library's file name). */
  name: string;
}

/**
 * Every file web-llm 0.2.86 requests to load `record`, in the order reload() fetches them:
 * package manifest (if any), config, library, tokenizer, weights index, shards. The shards are
 * known only from tensor-cache.json (pass it when cached). Uses: which files are cached (the
 * first one missing after a failed load is the file that failed, since the Cache API's own
 * error names none), the download size, deleting a model completely.
 * The library is left out when web-llm does not cache it (localhost or relative URL).
 */
export function modelFiles(
  record: ModelRecordLike,
  opts: { tensorCache?: { records: ReadonlyArray<{ dataPath: string }> }; tokenizer?: 'tokenizer.json' | 'tokenizer.model' } = {},
): ModelFile[] {
  const at = (cache: CacheName, name: string): ModelFile => ({ cache, url: modelFileUrl(record, name), name });
  const files: ModelFile[] = [];
  if (record.model_manifest) files.push(at('webllm/config', record.model_manifest));
  files.push(at('webllm/config', 'mlc-chat-config.json'));
  if (isLibraryCached(record.model_lib)) {
    const name = record.model_lib.split(/[?#]/)[0]!.split('/').pop() ?? record.model_lib;
    files.push({ cache: 'webllm/wasm', url: new URL(record.model_lib).href, name });
  }
  files.push(at('webllm/model', opts.tokenizer ?? 'tokenizer.json'));
  files.push(at('webllm/model', 'tensor-cache.json'));
  for (const shard of opts.tensorCache?.records ?? []) files.push(at('webllm/model', shard.dataPath));
  return files;
}
