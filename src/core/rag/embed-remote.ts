import * as z from 'zod/mini';
import { appError, type AppError } from '../errors';
import { buildAzureEmbeddingsRequest } from '../providers/azure';
import { baseUrl, httpRequest } from '../providers/base-url';
import { fetchJson } from '../providers/fetch-json';
import { abortedError } from '../providers/transport-errors';
import { excerpt } from '../providers/json-fields';
import { readErrorEnvelope } from '../providers/read-error-envelope';
import type { Endpoint, FetchPort, HttpRequest } from '../providers/types';
import type { Embedder } from './types';

/**
 * The two remote embedding engines: an OpenAI-compatible `/embeddings` (OpenAI, Azure, vLLM,
 * llama.cpp, LM Studio, Ollama's /v1 …) and Ollama's own `/api/embed`. Both take a list of
 * inputs per call, send the connection's key and headers exactly as chat does (same request
 * builders), and give L2-normalized Float32Arrays in input order.
 */

/** A stored connection as the embedders need it: its id (for `Embedder.id`) and its endpoint. */
export interface EmbedConnection extends Endpoint {
  id: string;
}

export interface RemoteEmbedderOptions {
  /** Texts per HTTP call (default 64); `embed` splits longer lists itself. */
  batch?: number;
  /** How long one HTTP call may take, answer body included (default REMOTE_EMBED_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The part of Embedder a caller may also want to read: the vector size, once the first answer came. */
export interface RemoteEmbedder extends Embedder {
  /** Dimensions of this model's vectors: undefined until the first answer. */
  readonly dims: number | undefined;
}

export const DEFAULT_EMBED_BATCH = 64;

/**
 * How long one embeddings request (up to DEFAULT_EMBED_BATCH texts) may take before it is given
 * up: 2 minutes. Generous on purpose: a CPU-only Ollama embeds 64 passages of 1,000 characters
 * in tens of seconds, and its first request also loads the model from disk. A server that stops
 * answering would otherwise hold the embedding queue (ingestion and searches) for good.
 */
export const REMOTE_EMBED_TIMEOUT_MS = 120_000;

/** What a document shows when its embeddings request timed out. */
export function embedTimeoutMessage(ms: number): string {
  const within = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
  return `The embedding server did not answer within ${within}: it may be overloaded, or still loading the model. Retry the file when it answers again.`;
}

/** OpenAI's `embedding` is a number list, or base64 little-endian float32 with `encoding_format: base64`. */
const openAIEmbeddingsSchema = z.object({
  data: z.array(z.object({ index: z.int().check(z.gte(0)), embedding: z.union([z.array(z.number()), z.string()]) })),
});

const ollamaEmbedSchema = z.object({ embeddings: z.array(z.array(z.number())) });

/** POST `${base}/embeddings` (or Azure's deployment path) with `{model, input}`. */
export function buildOpenAIEmbeddingsRequest(endpoint: Endpoint, model: string, input: string[]): HttpRequest {
  const body = JSON.stringify({ model, input });
  return endpoint.azure ? buildAzureEmbeddingsRequest(endpoint, model, body) : httpRequest(endpoint, `${baseUrl(endpoint)}/embeddings`, 'POST', body);
}

/** POST `${base}/api/embed` with `{model, input}`. */
export function buildOllamaEmbedRequest(endpoint: Endpoint, model: string, input: string[]): HttpRequest {
  return httpRequest(endpoint, `${baseUrl(endpoint)}/api/embed`, 'POST', JSON.stringify({ model, input }));
}

/** An `/embeddings` body → one vector per input, ordered by `index`. */
export function parseOpenAIEmbeddings(json: unknown, expected: number): number[][] {
  const parsed = openAIEmbeddingsSchema.safeParse(json);
  if (!parsed.success) throw shapeError(json, 'The server’s embeddings answer is not in the expected format (no "data" list of embeddings).');
  const out: Array<number[] | undefined> = new Array<number[] | undefined>(parsed.data.data.length);
  for (const item of parsed.data.data) {
    if (item.index >= out.length || out[item.index] !== undefined) {
      throw appError('protocol', 'The server’s embeddings answer has missing or repeated indexes.', { detail: `index ${item.index} of ${out.length}` });
    }
    out[item.index] = typeof item.embedding === 'string' ? fromBase64(item.embedding) : item.embedding;
  }
  checkCount(out.length, expected);
  return out as number[][];
}

/** An `/api/embed` body → one vector per input. */
export function parseOllamaEmbeddings(json: unknown, expected: number): number[][] {
  const parsed = ollamaEmbedSchema.safeParse(json);
  if (!parsed.success) throw shapeError(json, 'The server’s embeddings answer is not in the expected format (no "embeddings" list).');
  checkCount(parsed.data.embeddings.length, expected);
  return parsed.data.embeddings;
}

/** An OpenAI-compatible embedder: id `openai:<connectionId>:<model>`. */
export function openaiEmbedder(conn: EmbedConnection, model: string, fetch: FetchPort, opts: RemoteEmbedderOptions = {}): RemoteEmbedder {
  return remoteEmbedder(`openai:${conn.id}:${model}`, opts, (texts, signal) =>
    call(fetch, buildOpenAIEmbeddingsRequest(conn, model, texts), signal, opts.timeoutMs, (json) => parseOpenAIEmbeddings(json, texts.length)),
  );
}

/** An Ollama embedder on `/api/embed`: id `ollama:<connectionId>:<model>`. */
export function ollamaEmbedder(conn: EmbedConnection, model: string, fetch: FetchPort, opts: RemoteEmbedderOptions = {}): RemoteEmbedder {
  return remoteEmbedder(`ollama:${conn.id}:${model}`, opts, (texts, signal) =>
    call(fetch, buildOllamaEmbedRequest(conn, model, texts), signal, opts.timeoutMs, (json) => parseOllamaEmbeddings(json, texts.length)),
  );
}

/** Scales `v` to length 1 in place; an all-zero vector stays zero (it matches nothing). */
export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

type Batch = (texts: string[], signal: AbortSignal) => Promise<number[][]>;

function remoteEmbedder(id: string, opts: RemoteEmbedderOptions, batch: Batch): RemoteEmbedder {
  const maxBatch = Math.max(1, Math.floor(opts.batch ?? DEFAULT_EMBED_BATCH));
  let dims: number | undefined;
  return {
    id,
    maxBatch,
    get dims() {
      return dims;
    },
    async embed(texts, signal = new AbortController().signal) {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += maxBatch) {
        if (signal.aborted) throw abortedError();
        const rows = await batch(texts.slice(start, start + maxBatch), signal);
        for (const row of rows) {
          // The same model always gives the same size: anything else would corrupt the index.
          if (dims === undefined) {
            if (row.length === 0) throw appError('protocol', 'The server returned an empty embedding.');
            dims = row.length;
          } else if (row.length !== dims) {
            throw appError('protocol', `The embedding model changed its vector size mid-run (${dims} → ${row.length} dimensions): was the model replaced on the server? Re-index with one model.`, {
              code: 'dimension_mismatch',
            });
          }
          const v = Float32Array.from(row);
          if (!v.every(Number.isFinite)) throw appError('protocol', 'The server returned an embedding with non-numeric values (NaN or infinity).');
          out.push(l2normalize(v));
        }
      }
      return out;
    },
  };
}

/**
 * One request (transport, status and body checks shared with listModels), then `parse` on the
 * JSON. The request is aborted by `signal`, or after `timeoutMs` with a `timeout` AppError.
 */
async function call<T>(fetch: FetchPort, request: HttpRequest, signal: AbortSignal, timeoutMs = REMOTE_EMBED_TIMEOUT_MS, parse: (json: unknown) => T): Promise<T> {
  if (signal.aborted) throw abortedError();
  const own = new AbortController();
  const stop = () => own.abort();
  signal.addEventListener('abort', stop, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    own.abort();
  }, timeoutMs);
  // Also when a fetch (or its body) ignores the abort: the caller is never held past it.
  const stopped = new Promise<never>((_, reject) => own.signal.addEventListener('abort', () => reject(abortedError()), { once: true }));
  try {
    return parse(await Promise.race([fetchJson(fetch, request, own.signal, 'The server’s embeddings answer'), stopped]));
  } catch (err) {
    if (timedOut && !signal.aborted) throw appError('timeout', embedTimeoutMessage(timeoutMs), { code: 'embed_timeout', detail: `POST ${request.url}` });
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}

/** A 200 that is not embeddings: the server's own words when it sent an error envelope. */
function shapeError(json: unknown, fallback: string): AppError {
  const env = readErrorEnvelope(json);
  if (env) return appError('protocol', env.message, { detail: fallback });
  return appError('protocol', fallback, { detail: excerpt(JSON.stringify(json) ?? '') });
}

function checkCount(got: number, expected: number): void {
  if (got !== expected) {
    throw appError('protocol', `The server returned ${got} embeddings for ${expected} texts.`, { code: 'count_mismatch' });
  }
}

function fromBase64(b64: string): number[] {
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw appError('protocol', 'The server’s base64 embedding could not be decoded.');
  }
  if (bin.length % 4 !== 0) throw appError('protocol', 'The server’s base64 embedding is not a list of 32-bit floats.');
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return Array.from(new Float32Array(bytes.buffer));
}
