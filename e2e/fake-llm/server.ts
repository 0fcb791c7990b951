/**
 * fake-llm: a real HTTP server on 127.0.0.1 that speaks OpenAI-compatible SSE (under /v1) and
 * Ollama's native NDJSON API (under /api), with real CORS, real error bodies and scripted
 * misbehaviour (pacing, odd splits, mid-stream errors, drops, hangs). See README.md.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { parseScenario, parseScenarioJson, type Scenario } from './scenario';
import {
  LOGIN_PAGE_HTML,
  OLLAMA_STREAM_ERROR,
  OPENAI_STREAM_ERROR,
  badRequest,
  errorResponse,
  goJson,
  ollamaErrorResponse,
  ollamaNotFoundPage,
  openAiErrorResponse,
  openAiInvalidUrl,
  type ErrorResponse,
  type ServerKind,
} from './error-bodies';
import { countTokens, loremMarkdown, tokenize } from './tokens';

export type { Scenario } from './scenario';
export type ModelKind = ServerKind;

export interface RecordedRequest {
  method: string;
  /** The routed path, without any `/x/<scenario>` prefix, without the query. */
  path: string;
  /** The request target as sent (prefix and query included). */
  url: string;
  query: Record<string, string>;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else its text; null when empty. */
  body: unknown;
  /** Date.now() when the request (body included) had arrived. */
  at: number;
  /** The scenario given by a `/x/<scenario>` URL prefix, if any. */
  scenario?: Scenario;
}

export interface FakeLlmOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  /** Default: <repo>/../shared/fixtures. */
  fixturesDir?: string;
  /** The server closes itself after this long (default 30 minutes). */
  ttlMs?: number;
}

export interface FakeLlm {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  port: number;
  /** Stop listening and destroy every open socket (hung ones too). Idempotent. */
  close(): Promise<void>;
  /** Every request so far except /__fake/* control calls, oldest first. */
  requests(): RecordedRequest[];
  /** Forget requests, queue and per-model scenarios; default model lists again. */
  reset(): void;
  setModels(kind: ModelKind, ids: readonly string[]): void;
  /** Scenario for every chat request naming this model (null removes it). */
  setScenario(modelId: string, s: Scenario | null): void;
  /** Scenario for the next chat request (FIFO). */
  queue(s: Scenario): void;
}

export const DEFAULT_MODELS: Readonly<Record<ModelKind, readonly string[]>> = {
  openai: ['gpt-4o-mini', 'fake-reasoner'],
  ollama: ['llama3.2:latest', 'qwen3:0.6b'],
};

export const DEFAULT_FIXTURES_DIR = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/fixtures');

const DEFAULT_TTL_MS = 30 * 60 * 1000;
const OLLAMA_VERSION = '0.12.0';

// ---------------------------------------------------------------------------------------------
// Small helpers

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(seed: string, length: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[(bytes[i % bytes.length] ?? 0) % 62];
  return out;
}

/** Go's time.RFC3339Nano in UTC: nanoseconds (microsecond-accurate here), trailing zeros trimmed. */
function goTime(): string {
  const t = performance.timeOrigin + performance.now(); // ms, monotonic with sub-ms precision
  const ms = Math.floor(t);
  const iso = new Date(ms).toISOString(); // 2025-08-20T13:48:24.316Z
  const subMs = Math.floor((t - ms) * 1e6)
    .toString()
    .padStart(6, '0');
  const frac = (iso.slice(20, 23) + subMs).replace(/0+$/, '');
  return iso.slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}

/** Text of a message `content`: a string, or OpenAI content parts (text parts joined). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isRecord(p) && typeof p['text'] === 'string' ? p['text'] : ''))
      .filter((t) => t !== '')
      .join('\n');
  }
  return '';
}

function messagesOf(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const m = body['messages'];
  return Array.isArray(m) ? m.filter(isRecord) : [];
}

function lastUserText(body: Record<string, unknown>, endpoint: Endpoint): string {
  if (endpoint === 'ollama-generate') return typeof body['prompt'] === 'string' ? body['prompt'] : '';
  const msgs = messagesOf(body);
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (m && m['role'] === 'user') return contentText(m['content']);
  }
  return '';
}

function promptTokens(body: Record<string, unknown>, endpoint: Endpoint): number {
  if (endpoint === 'ollama-generate') {
    const p = typeof body['prompt'] === 'string' ? body['prompt'] : '';
    const sys = typeof body['system'] === 'string' ? body['system'] : '';
    return countTokens(sys) + countTokens(p) + 8;
  }
  let n = 3;
  for (const m of messagesOf(body)) n += 4 + countTokens(contentText(m['content']));
  return n;
}

// ---------------------------------------------------------------------------------------------
// Writing bodies: steps, truncation, pacing, awkward splitting

type StepKind = 'head' | 'token' | 'tail';
interface Step {
  kind: StepKind;
  /** Bytes, or a function making them at write time (timestamps, measured durations). */
  data: Buffer | (() => Buffer);
}
type Ending = 'end' | 'drop' | 'hang';

function bytesOf(step: Step): Buffer {
  return typeof step.data === 'function' ? step.data() : step.data;
}

/** Apply errorAfterTokens / dropAfterTokens / hangAfterTokens (the smallest N wins). */
function truncate(steps: Step[], s: Scenario, errorSteps: Step[]): { steps: Step[]; ending: Ending } {
  const triggers: Array<[number, 'error' | 'drop' | 'hang']> = [];
  if (s.errorAfterTokens !== undefined) triggers.push([s.errorAfterTokens, 'error']);
  if (s.dropAfterTokens !== undefined) triggers.push([s.dropAfterTokens, 'drop']);
  if (s.hangAfterTokens !== undefined) triggers.push([s.hangAfterTokens, 'hang']);
  if (triggers.length === 0) return { steps, ending: 'end' };
  triggers.sort((a, b) => a[0] - b[0]);
  const [n, what] = triggers[0] ?? [0, 'error'];
  const tokenIdx: number[] = [];
  steps.forEach((st, i) => {
    if (st.kind === 'token') tokenIdx.push(i);
  });
  let cut = tokenIdx[Math.floor(n)];
  if (cut === undefined) {
    const firstTail = steps.findIndex((st) => st.kind === 'tail');
    cut = firstTail >= 0 ? firstTail : steps.length;
  }
  const kept = steps.slice(0, cut);
  if (what === 'error') return { steps: [...kept, ...errorSteps], ending: 'end' };
  return { steps: kept, ending: what };
}

const ODD_SIZES = [1, 5, 2, 11, 3, 7, 17, 4, 13, 9, 23, 6];

/** Cuts buffers at awkward offsets: mid-line, inside multi-byte UTF-8 characters, between CR and LF. */
export class Splitter {
  private i = 0;
  constructor(private readonly mode: 'odd' | number) {}

  cut(buf: Buffer): Buffer[] {
    if (buf.length <= 1) return [buf];
    const cuts = new Set<number>();
    if (typeof this.mode === 'number') {
      for (let at = this.mode; at < buf.length; at += this.mode) cuts.add(at);
    } else {
      // Scale the piece sizes with the body so huge bodies do not take minutes.
      const scale = Math.max(1, Math.ceil(buf.length / 1024));
      let at = 0;
      for (;;) {
        at += (ODD_SIZES[this.i++ % ODD_SIZES.length] ?? 1) * scale;
        if (at >= buf.length) break;
        cuts.add(at);
      }
      // Always cut inside the first few multi-byte characters and after the first CR.
      let forced = 0;
      for (let j = 0; j < buf.length - 1 && forced < 4; j++) {
        if ((buf[j] ?? 0) >= 0xc0) {
          cuts.add(j + 1);
          forced++;
        }
      }
      const cr = buf.indexOf(0x0d);
      if (cr >= 0 && cr + 1 < buf.length) cuts.add(cr + 1);
    }
    const sorted = [...cuts].filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b);
    const pieces: Buffer[] = [];
    let prev = 0;
    for (const c of sorted) {
      pieces.push(buf.subarray(prev, c));
      prev = c;
    }
    pieces.push(buf.subarray(prev));
    return pieces;
  }
}

/** Events of a recorded body: SSE events end with a blank line, NDJSON lines with "\n". */
function cutEvents(buf: Buffer, contentType: string): Buffer[] {
  const ct = contentType.toLowerCase();
  const out: Buffer[] = [];
  let start = 0;
  if (ct.includes('event-stream')) {
    let lineStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      let end = i + 1;
      if (b === 0x0d && buf[i + 1] === 0x0a) end = i + 2;
      const empty = i === lineStart;
      i = end - 1;
      lineStart = end;
      if (empty) {
        out.push(buf.subarray(start, end));
        start = end;
      }
    }
  } else if (ct.includes('ndjson')) {
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 0x0a) {
        out.push(buf.subarray(start, i + 1));
        start = i + 1;
      }
    }
  } else {
    return [buf];
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The server

type Endpoint = 'openai-chat' | 'ollama-chat' | 'ollama-generate';

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  prefix: Scenario | undefined;
  /** Parsed JSON body (undefined when empty or not JSON). */
  json: unknown;
  text: string;
  jsonError: string | undefined;
  cors: Record<string, string>;
  gone: boolean;
}

function corsHeaders(req: IncomingMessage, s: Scenario | undefined, preflight: boolean): Record<string, string> {
  if (s?.cors === false) return {};
  const origin = req.headers.origin;
  const h: Record<string, string> = { 'access-control-allow-origin': origin ?? '*' };
  if (origin) h['vary'] = 'Origin';
  if (preflight) {
    const requested = (req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter((x) => x !== '');
    const allow = new Set(['authorization', 'content-type', ...requested]);
    h['access-control-allow-methods'] = 'GET,POST,OPTIONS';
    h['access-control-allow-headers'] = [...allow].join(', ');
    h['access-control-max-age'] = '600';
    if (req.headers['access-control-request-private-network'] === 'true') {
      h['access-control-allow-private-network'] = 'true';
    }
  } else {
    h['access-control-expose-headers'] =
      'x-request-id, retry-after, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests';
  }
  return h;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function bearer(req: IncomingMessage): string | undefined {
  const a = req.headers.authorization;
  if (!a) return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(a);
  return m ? (m[1] ?? '').trim() : a.trim();
}

export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const fixturesDir = opts.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const models: Record<ModelKind, string[]> = {
    openai: [...DEFAULT_MODELS.openai],
    ollama: [...DEFAULT_MODELS.ollama],
  };
  const scenarios = new Map<string, Scenario>();
  let queued: Scenario[] = [];
  let recorded: RecordedRequest[] = [];
  let counter = 0;
  let closing: Promise<void> | undefined;

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, Math.max(0, ms));
      timers.add(t);
    });
  }

  // --- low-level writing ---------------------------------------------------------------------

  function send(ctx: Ctx, status: number, headers: Record<string, string>, body: string | Buffer): void {
    if (ctx.gone || ctx.res.headersSent) return;
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    ctx.res.writeHead(status, { ...headers, 'content-length': String(buf.length), ...ctx.cors });
    ctx.res.end(buf);
  }

  function sendJson(ctx: Ctx, status: number, value: unknown, pretty = 0): void {
    send(ctx, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value, null, pretty));
  }

  function sendError(ctx: Ctx, e: ErrorResponse): void {
    send(ctx, e.status, { 'content-type': e.contentType, ...(e.headers ?? {}) }, e.body);
  }

  function write(ctx: Ctx, buf: Buffer): Promise<void> {
    if (ctx.gone || buf.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        ctx.res.off('close', done);
        resolve();
      };
      ctx.res.once('close', done);
      ctx.res.write(buf, () => done());
    });
  }

  async function writeBytes(ctx: Ctx, buf: Buffer, splitter: Splitter | undefined): Promise<void> {
    if (!splitter) return write(ctx, buf);
    const pieces = splitter.cut(buf);
    // ~1 ms between pieces so they reach the client separately; for very many pieces only every
    // few pieces, so one body never spends more than ~0.25 s in these pauses.
    const every = Math.max(1, Math.ceil(pieces.length / 250));
    for (let i = 0; i < pieces.length; i++) {
      if (ctx.gone) return;
      await write(ctx, pieces[i] ?? Buffer.alloc(0));
      if (i < pieces.length - 1 && i % every === every - 1) await sleep(1);
    }
  }

  /** Send a body as a series of steps, honouring tokensPerSecond, split and the ending. */
  async function writeSteps(
    ctx: Ctx,
    status: number,
    headers: Record<string, string>,
    steps: Step[],
    s: Scenario,
    ending: Ending,
    contentLength?: number,
  ): Promise<void> {
    if (ctx.gone) return;
    const head: Record<string, string> = { ...headers, ...ctx.cors };
    if (contentLength !== undefined && ending === 'end') head['content-length'] = String(contentLength);
    ctx.res.writeHead(status, head);
    ctx.res.flushHeaders();
    const splitter = s.split !== undefined ? new Splitter(s.split) : undefined;
    const tps = s.tokensPerSecond ?? 0;
    if (tps > 0) {
      const interval = 1000 / tps;
      const t0 = performance.now();
      let k = 0;
      for (const st of steps) {
        if (st.kind === 'token') {
          k++;
          const wait = t0 + k * interval - performance.now();
          if (wait > 0) await sleep(wait);
        }
        if (ctx.gone) return;
        await writeBytes(ctx, bytesOf(st), splitter);
      }
    } else if (steps.length > 0) {
      await writeBytes(ctx, Buffer.concat(steps.map(bytesOf)), splitter);
    }
    if (ctx.gone) return;
    if (ending === 'end') ctx.res.end();
    else if (ending === 'drop') ctx.req.socket.destroy();
    // 'hang': leave the response open; the client or close() ends it.
  }

  // --- scenario handling ---------------------------------------------------------------------

  /** hang / delayMs / html / status. Returns true when the response has been dealt with. */
  async function preamble(ctx: Ctx, s: Scenario, kind: ServerKind, model: string | undefined, listing: boolean): Promise<boolean> {
    if (s.hang) return true; // never answer; close() or the client ends the socket
    if (s.delayMs) {
      await sleep(s.delayMs);
      if (ctx.gone) return true;
    }
    if (s.html) {
      send(ctx, 200, { 'content-type': 'text/html; charset=utf-8' }, LOGIN_PAGE_HTML);
      return true;
    }
    if (s.status !== undefined) {
      sendError(ctx, errorResponse(kind, s.status, { model, apiKey: bearer(ctx.req), quota: s.quota, method: ctx.method, path: ctx.path, listing }));
      return true;
    }
    return false;
  }

  async function serveFixture(ctx: Ctx, s: Scenario, name: string): Promise<void> {
    let body: Buffer;
    let contentType = 'application/octet-stream';
    let status = 200;
    try {
      body = await readFile(path.join(fixturesDir, 'streams', `${name}.txt`));
      const sidecar: unknown = JSON.parse(await readFile(path.join(fixturesDir, 'streams', `${name}.json`), 'utf8'));
      if (isRecord(sidecar)) {
        if (typeof sidecar['contentType'] === 'string') contentType = sidecar['contentType'];
        if (typeof sidecar['status'] === 'number') status = sidecar['status'];
      }
    } catch (err) {
      send(
        ctx,
        500,
        { 'content-type': 'text/plain; charset=utf-8', 'x-fake-llm-error': 'fixture' },
        `fake-llm: cannot read fixture "${name}" in ${fixturesDir}: ${err instanceof Error ? err.message : String(err)}`,
      );
      return;
    }
    const streaming = /event-stream|ndjson/i.test(contentType);
    const steps: Step[] = cutEvents(body, contentType).map((b) => ({ kind: 'token', data: b }));
    const errorSteps: Step[] = /ndjson/i.test(contentType)
      ? [{ kind: 'tail', data: Buffer.from(goJson(OLLAMA_STREAM_ERROR) + '\n') }]
      : [
          { kind: 'tail', data: Buffer.from(`data: ${JSON.stringify(OPENAI_STREAM_ERROR)}\n\n`) },
          { kind: 'tail', data: Buffer.from('data: [DONE]\n\n') },
        ];
    const t = truncate(steps, s, errorSteps);
    const untouched = t.steps === steps;
    await writeSteps(ctx, status, { 'content-type': contentType }, t.steps, s, t.ending, !streaming && untouched ? body.length : undefined);
  }

  // --- chat ----------------------------------------------------------------------------------

  async function chat(ctx: Ctx, endpoint: Endpoint): Promise<void> {
    const kind: ServerKind = endpoint === 'openai-chat' ? 'openai' : 'ollama';
    const body = isRecord(ctx.json) ? ctx.json : undefined;
    const model = body && typeof body['model'] === 'string' ? body['model'] : undefined;
    const s: Scenario = ctx.prefix ?? queued.shift() ?? (model !== undefined ? scenarios.get(model) : undefined) ?? {};

    if (s.cors === false) ctx.cors = {};
    if (await preamble(ctx, s, kind, model, false)) return;
    if (s.fixture !== undefined) return serveFixture(ctx, s, s.fixture);

    if (!body) return sendError(ctx, badRequest(kind, 'json', ctx.jsonError));
    if (model === undefined || model === '') return sendError(ctx, badRequest(kind, 'model'));
    if (endpoint !== 'ollama-generate' && !Array.isArray(body['messages'])) {
      if (kind === 'openai') return sendError(ctx, badRequest(kind, 'messages'));
    }

    const n = ++counter;
    const think = body['think'];
    const defaultReasoning =
      (kind === 'openai' && model.includes('reasoner')) || (kind === 'ollama' && think !== undefined && think !== false);
    const userText = lastUserText(body, endpoint);
    const reply = s.reply ?? (s.tokens !== undefined ? loremMarkdown(s.tokens) : `You said: ${userText}`);
    const reasoning = s.reasoning ?? (defaultReasoning ? `The user wrote "${userText}". I will echo it back.` : '');
    const contentToks = tokenize(reply);
    const reasoningToks = tokenize(reasoning);
    const finishReason = s.finishReason ?? 'stop';
    const pTokens = promptTokens(body, endpoint);
    const evalCount = contentToks.length + reasoningToks.length;
    const stream = kind === 'openai' ? body['stream'] === true : body['stream'] !== false; // Ollama streams by default

    if (kind === 'openai') {
      const id = `chatcmpl-${base62(`chatcmpl-${n}`, 29)}`;
      const created = Math.floor(Date.now() / 1000);
      const fingerprint = `fp_${sha256(model).slice(0, 10)}`;
      const usage = {
        prompt_tokens: pTokens,
        completion_tokens: evalCount,
        total_tokens: pTokens + evalCount,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: reasoningToks.length,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      };
      const headers = { 'x-request-id': `req_${sha256(`req-${n}`).slice(0, 32)}`, 'openai-processing-ms': '42' };

      if (!stream) {
        if (s.hangAfterTokens !== undefined) return; // never answers
        if (s.dropAfterTokens !== undefined) {
          ctx.req.socket.destroy();
          return;
        }
        if (s.errorAfterTokens !== undefined) return sendError(ctx, openAiErrorResponse(500, { method: ctx.method, path: ctx.path, model }));
        if (s.tokensPerSecond) await sleep((evalCount / s.tokensPerSecond) * 1000);
        const message: Record<string, Json> = { role: 'assistant', content: reply };
        if (reasoning) message['reasoning_content'] = reasoning;
        message['refusal'] = null;
        message['annotations'] = [];
        const completion = {
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
          usage,
          service_tier: 'default',
          system_fingerprint: fingerprint,
        };
        const text = JSON.stringify(completion, null, 2);
        const steps: Step[] = [{ kind: 'head', data: Buffer.from(text) }];
        return writeSteps(ctx, 200, { 'content-type': 'application/json', ...headers }, steps, { split: s.split }, 'end', Buffer.byteLength(text));
      }

      const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
      const includeUsage = streamOptions['include_usage'] === true;
      const obfuscate = streamOptions['include_obfuscation'] !== false;
      let chunkNo = 0;
      const chunk = (choices: Json[], usageValue?: Json): Step['data'] => {
        const o: Record<string, Json> = {
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          service_tier: 'default',
          system_fingerprint: fingerprint,
          choices,
        };
        if (usageValue !== undefined) o['usage'] = usageValue;
        else if (includeUsage) o['usage'] = null;
        if (obfuscate) {
          const k = chunkNo++;
          o['obfuscation'] = base62(`${id}-${k}`, 1 + (k * 7) % 12);
        }
        return Buffer.from(`data: ${JSON.stringify(o)}\n\n`);
      };
      const choice = (delta: Json, finish: string | null = null): Json => ({ index: 0, delta, logprobs: null, finish_reason: finish });
      const steps: Step[] = [];
      if (reasoningToks.length > 0) {
        steps.push({ kind: 'head', data: chunk([choice({ role: 'assistant', content: null, reasoning_content: '' })]) });
        for (const t of reasoningToks) steps.push({ kind: 'token', data: chunk([choice({ content: null, reasoning_content: t })]) });
        for (const t of contentToks) steps.push({ kind: 'token', data: chunk([choice({ content: t, reasoning_content: null })]) });
      } else {
        steps.push({ kind: 'head', data: chunk([choice({ role: 'assistant', content: '', refusal: null })]) });
        for (const t of contentToks) steps.push({ kind: 'token', data: chunk([choice({ content: t })]) });
      }
      steps.push({ kind: 'tail', data: chunk([choice({}, finishReason)]) });
      if (includeUsage) steps.push({ kind: 'tail', data: chunk([], usage) });
      steps.push({ kind: 'tail', data: Buffer.from('data: [DONE]\n\n') });
      const errorSteps: Step[] = [
        { kind: 'tail', data: Buffer.from(`data: ${JSON.stringify(OPENAI_STREAM_ERROR)}\n\n`) },
        { kind: 'tail', data: Buffer.from('data: [DONE]\n\n') },
      ];
      const t = truncate(steps, s, errorSteps);
      return writeSteps(
        ctx,
        200,
        { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers },
        t.steps,
        s,
        t.ending,
      );
    }

    // Ollama native
    const started = performance.now();
    const generate = endpoint === 'ollama-generate';
    const loadDuration = 38_473_250;
    const promptEvalDuration = pTokens * 1_725_516;
    const metrics = (): Record<string, Json> => {
      const elapsedNs = Math.round((performance.now() - started) * 1e6);
      const evalDuration = Math.max(evalCount * 4_800_000, elapsedNs);
      return {
        total_duration: loadDuration + promptEvalDuration + evalDuration + 1_052_625,
        load_duration: loadDuration,
        prompt_eval_count: pTokens,
        prompt_eval_duration: promptEvalDuration,
        eval_count: evalCount,
        eval_duration: evalDuration,
      };
    };
    const context = (): Json[] => {
      const ids: Json[] = [];
      for (let i = 0; i < Math.min(pTokens + evalCount, 4096); i++) ids.push((i * 7919 + 128000) % 151936);
      return ids;
    };
    const tokenLine = (t: string, thinking: boolean): Step['data'] => () => {
      const o: Record<string, Json> = { model, created_at: goTime() };
      if (generate) {
        o['response'] = thinking ? '' : t;
        if (thinking) o['thinking'] = t;
      } else {
        const message: Record<string, Json> = { role: 'assistant', content: thinking ? '' : t };
        if (thinking) message['thinking'] = t;
        o['message'] = message;
      }
      o['done'] = false;
      return Buffer.from(goJson(o) + '\n');
    };
    const finalObject = (full: boolean): Record<string, Json> => {
      const o: Record<string, Json> = { model, created_at: goTime() };
      if (generate) {
        o['response'] = full ? reply : '';
        if (full && reasoning) o['thinking'] = reasoning;
        o['done'] = true;
        o['done_reason'] = finishReason;
        o['context'] = context();
      } else {
        const message: Record<string, Json> = { role: 'assistant', content: full ? reply : '' };
        if (full && reasoning) message['thinking'] = reasoning;
        o['message'] = message;
        o['done_reason'] = finishReason;
        o['done'] = true;
      }
      return { ...o, ...metrics() };
    };

    if (!stream) {
      if (s.hangAfterTokens !== undefined) return;
      if (s.dropAfterTokens !== undefined) {
        ctx.req.socket.destroy();
        return;
      }
      if (s.errorAfterTokens !== undefined) return sendError(ctx, ollamaErrorResponse(500, { method: ctx.method, path: ctx.path, model }));
      if (s.tokensPerSecond) await sleep((evalCount / s.tokensPerSecond) * 1000);
      const text = goJson(finalObject(true));
      const steps: Step[] = [{ kind: 'head', data: Buffer.from(text) }];
      return writeSteps(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, steps, { split: s.split }, 'end', Buffer.byteLength(text));
    }

    const steps: Step[] = [];
    for (const t of reasoningToks) steps.push({ kind: 'token', data: tokenLine(t, true) });
    for (const t of contentToks) steps.push({ kind: 'token', data: tokenLine(t, false) });
    steps.push({ kind: 'tail', data: () => Buffer.from(goJson(finalObject(false)) + '\n') });
    const t = truncate(steps, s, [{ kind: 'tail', data: Buffer.from(goJson(OLLAMA_STREAM_ERROR) + '\n') }]);
    return writeSteps(ctx, 200, { 'content-type': 'application/x-ndjson' }, t.steps, s, t.ending);
  }

  // --- listings, embeddings ------------------------------------------------------------------

  function openAiModel(id: string): Record<string, Json> {
    const created = 1_700_000_000 + (parseInt(sha256(id).slice(0, 6), 16) % 30_000_000);
    return { id, object: 'model', created, owned_by: id.startsWith('gpt-') ? 'system' : 'fake-llm' };
  }

  function ollamaModelInfo(id: string): { family: string; parameterSize: string; details: Record<string, Json> } {
    const [base = id, tag = 'latest'] = id.split(':');
    const family = base.replace(/[\d.]+$/, '') === 'llama' ? 'llama' : base.replace(/\.\d+$/, '');
    const m = /^(\d+(?:\.\d+)?)([bm])$/i.exec(tag);
    const parameterSize = m ? `${m[1]}${(m[2] ?? 'b').toUpperCase()}` : '3.2B';
    return {
      family,
      parameterSize,
      details: {
        parent_model: '',
        format: 'gguf',
        family,
        families: [family],
        parameter_size: parameterSize,
        quantization_level: 'Q4_K_M',
      },
    };
  }

  function ollamaTag(id: string): Record<string, Json> {
    const h = sha256(id);
    return {
      name: id,
      model: id,
      modified_at: '2025-07-06T12:43:44.236577907+02:00',
      size: 500_000_000 + (parseInt(h.slice(0, 8), 16) % 8_000_000_000),
      digest: h,
      details: ollamaModelInfo(id).details,
    };
  }

  function embed(text: string, dims: number): number[] {
    const v = new Array<number>(dims).fill(0);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const w of words) {
      const h = createHash('sha256').update(w).digest();
      const idx = h.readUInt32LE(0) % dims;
      v[idx] = (v[idx] ?? 0) + ((h[4] ?? 0) & 1 ? 1 : -1);
    }
    let norm = Math.hypot(...v);
    if (norm === 0) {
      v[0] = 1;
      norm = 1;
    }
    return v.map((x) => Math.round((x / norm) * 1e7) / 1e7);
  }

  async function embeddings(ctx: Ctx, kind: ServerKind): Promise<void> {
    const body = isRecord(ctx.json) ? ctx.json : undefined;
    const model = body && typeof body['model'] === 'string' ? body['model'] : undefined;
    const s = ctx.prefix ?? (model !== undefined ? scenarios.get(model) : undefined) ?? {};
    if (s.cors === false) ctx.cors = {};
    if (await preamble(ctx, s, kind, model, false)) return;
    if (!body) return sendError(ctx, badRequest(kind, 'json', ctx.jsonError));
    if (!model) return sendError(ctx, badRequest(kind, 'model'));
    const input = body['input'];
    const inputs = Array.isArray(input) ? input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof input === 'string' ? input : ''];
    const dims = typeof body['dimensions'] === 'number' && body['dimensions'] > 0 ? Math.floor(body['dimensions']) : 768;
    const vectors = inputs.map((t) => embed(t, dims));
    const tokens = inputs.reduce((a, t) => a + countTokens(t), 0);
    if (kind === 'openai') {
      const base64 = body['encoding_format'] === 'base64';
      return sendJson(
        ctx,
        200,
        {
          object: 'list',
          data: vectors.map((v, index) => ({
            object: 'embedding',
            index,
            embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
          })),
          model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        },
        2,
      );
    }
    send(
      ctx,
      200,
      { 'content-type': 'application/json; charset=utf-8' },
      goJson({ model, embeddings: vectors, total_duration: 14_143_917, load_duration: 1_019_500, prompt_eval_count: tokens }),
    );
  }

  // --- control -------------------------------------------------------------------------------

  function reset(): void {
    recorded = [];
    queued = [];
    scenarios.clear();
    models.openai = [...DEFAULT_MODELS.openai];
    models.ollama = [...DEFAULT_MODELS.ollama];
  }

  function setModels(kind: ModelKind, ids: readonly string[]): void {
    if (kind !== 'openai' && kind !== 'ollama') throw new Error(`unknown kind ${String(kind)}`);
    models[kind] = [...ids];
  }

  function control(ctx: Ctx): void {
    const ok = (): void => sendJson(ctx, 200, { ok: true });
    const bad = (msg: string): void => sendJson(ctx, 400, { error: msg });
    const body = isRecord(ctx.json) ? ctx.json : {};
    try {
      if (ctx.method === 'GET' && ctx.path === '/__fake/requests') return sendJson(ctx, 200, recorded);
      if (ctx.method !== 'POST') return bad(`${ctx.method} ${ctx.path}: use POST`);
      switch (ctx.path) {
        case '/__fake/scenario': {
          const model = body['model'];
          if (typeof model !== 'string' || model === '') return bad('"model" must be a non-empty string');
          if (body['scenario'] === null) scenarios.delete(model);
          else scenarios.set(model, parseScenario(body['scenario']));
          return ok();
        }
        case '/__fake/queue':
          queued.push(parseScenario(body['scenario']));
          return ok();
        case '/__fake/models': {
          const kind = body['kind'];
          const ids = body['ids'];
          if (kind !== 'openai' && kind !== 'ollama') return bad('"kind" must be "openai" or "ollama"');
          if (!Array.isArray(ids) || !ids.every((x): x is string => typeof x === 'string')) return bad('"ids" must be an array of strings');
          setModels(kind, ids);
          return ok();
        }
        case '/__fake/reset':
          reset();
          return ok();
        default:
          return sendJson(ctx, 404, { error: `unknown control endpoint ${ctx.path}` });
      }
    } catch (err) {
      return bad(err instanceof Error ? err.message : String(err));
    }
  }

  // --- routing -------------------------------------------------------------------------------

  async function route(ctx: Ctx): Promise<void> {
    const { method, path: p } = ctx;
    if (p.startsWith('/__fake/')) return control(ctx);
    const kind: ServerKind | undefined = p === '/v1' || p.startsWith('/v1/') ? 'openai' : p === '/api' || p.startsWith('/api/') ? 'ollama' : undefined;
    const listingScenario = ctx.prefix ?? {};

    if (method === 'POST' && p === '/v1/chat/completions') return chat(ctx, 'openai-chat');
    if (method === 'POST' && p === '/api/chat') return chat(ctx, 'ollama-chat');
    if (method === 'POST' && p === '/api/generate') return chat(ctx, 'ollama-generate');
    if (method === 'POST' && p === '/v1/embeddings') return embeddings(ctx, 'openai');
    if (method === 'POST' && p === '/api/embed') return embeddings(ctx, 'ollama');

    if ((method === 'GET' || method === 'HEAD') && p === '/') {
      if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
      return send(ctx, 200, { 'content-type': 'text/plain; charset=utf-8' }, 'Ollama is running');
    }
    if (method === 'GET' && p === '/v1/models') {
      if (await preamble(ctx, listingScenario, 'openai', undefined, true)) return;
      return sendJson(ctx, 200, { object: 'list', data: models.openai.map(openAiModel) }, 2);
    }
    if (method === 'GET' && p.startsWith('/v1/models/')) {
      const id = decodeURIComponent(p.slice('/v1/models/'.length));
      if (await preamble(ctx, listingScenario, 'openai', id, false)) return;
      if (!models.openai.includes(id)) return sendError(ctx, openAiErrorResponse(404, { method, path: p, model: id }));
      return sendJson(ctx, 200, openAiModel(id), 2);
    }
    if (method === 'GET' && p === '/api/tags') {
      if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
      return send(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, goJson({ models: models.ollama.map(ollamaTag) }));
    }
    if (method === 'GET' && p === '/api/version') {
      if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
      return send(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, goJson({ version: OLLAMA_VERSION }));
    }
    if (method === 'POST' && p === '/api/show') {
      const body = isRecord(ctx.json) ? ctx.json : {};
      const id = typeof body['model'] === 'string' ? body['model'] : typeof body['name'] === 'string' ? body['name'] : '';
      if (await preamble(ctx, listingScenario, 'ollama', id, false)) return;
      if (!models.ollama.includes(id)) return sendError(ctx, ollamaErrorResponse(404, { method, path: p, model: id }));
      const info = ollamaModelInfo(id);
      const thinking = /qwen3|deepseek-r1|reason|gpt-oss/.test(id);
      return send(
        ctx,
        200,
        { 'content-type': 'application/json; charset=utf-8' },
        goJson({
          modelfile: `# Modelfile generated by "ollama show"\nFROM ${id}\n`,
          parameters: 'temperature 0.6\ntop_p 0.95',
          template: '{{ .Prompt }}',
          details: info.details,
          model_info: { 'general.architecture': info.family, [`${info.family}.context_length`]: 131072 },
          capabilities: ['completion', 'tools', ...(thinking ? ['thinking'] : [])],
          modified_at: '2025-07-06T12:43:44.236577907+02:00',
        }),
      );
    }

    if (kind === 'openai') return sendError(ctx, openAiInvalidUrl(method, p));
    return sendError(ctx, ollamaNotFoundPage());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const qAt = target.indexOf('?');
    let rawPath = qAt >= 0 ? target.slice(0, qAt) : target;
    const query: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(qAt >= 0 ? target.slice(qAt + 1) : '')) query[k] = v;

    let prefix: Scenario | undefined;
    let prefixError: string | undefined;
    if (rawPath.startsWith('/x/')) {
      const rest = rawPath.slice(3);
      const slash = rest.indexOf('/');
      const seg = slash < 0 ? rest : rest.slice(0, slash);
      rawPath = slash < 0 ? '/' : rest.slice(slash);
      try {
        prefix = parseScenarioJson(decodeURIComponent(seg));
      } catch (err) {
        prefixError = err instanceof Error ? err.message : String(err);
      }
    }

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    let jsonError: string | undefined;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (err) {
        jsonError = err instanceof Error ? err.message : String(err);
      }
    }

    const ctx: Ctx = {
      req,
      res,
      method,
      path: rawPath,
      prefix,
      json,
      text,
      jsonError,
      cors: corsHeaders(req, prefix, method === 'OPTIONS'),
      gone: false,
    };
    res.on('close', () => {
      ctx.gone = true;
    });

    if (!rawPath.startsWith('/__fake/')) {
      const rec: RecordedRequest = {
        method,
        path: rawPath,
        url: target,
        query,
        headers: headerRecord(req),
        body: json !== undefined ? json : text === '' ? null : text,
        at: Date.now(),
      };
      if (prefix) rec.scenario = prefix;
      recorded.push(rec);
    }

    if (prefixError !== undefined) {
      return send(ctx, 400, { 'content-type': 'text/plain; charset=utf-8', 'x-fake-llm-error': 'scenario' }, `fake-llm: bad /x/ scenario prefix: ${prefixError}\n`);
    }
    if (method === 'OPTIONS') {
      if (ctx.gone) return;
      res.writeHead(204, { ...ctx.cors, 'content-length': '0' });
      res.end();
      return;
    }
    await route(ctx);
  }

  // --- lifecycle -----------------------------------------------------------------------------

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*' });
        res.end(`fake-llm internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  function close(): Promise<void> {
    if (!closing) {
      closing = new Promise<void>((resolve) => {
        clearTimeout(ttl);
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
      });
    }
    return closing;
  }

  const ttl = setTimeout(() => void close(), opts.ttlMs ?? DEFAULT_TTL_MS);
  ttl.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close,
    requests: () => recorded.slice(),
    reset,
    setModels,
    setScenario(modelId: string, s: Scenario | null): void {
      if (s === null) scenarios.delete(modelId);
      else scenarios.set(modelId, parseScenario(s));
    },
    queue(s: Scenario): void {
      queued.push(parseScenario(s));
    },
  };
}
