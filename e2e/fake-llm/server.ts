/**
 * fake-llm: a real HTTP server on 127.0.0.1 that speaks OpenAI-compatible SSE (under /v1) and
 * Ollama's native NDJSON API (under /api), with real CORS, real error bodies and scripted
 * misbehaviour (pacing, odd splits, mid-stream errors, drops, hangs). See README.md.
 *
 * This file: the server's lifecycle and public API, and turning an incoming request into a
 * context (the `/x/<scenario>` prefix, the body, recording) for `router.ts`.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { corsHeaders } from './cors';
import { recordRequest, type RecordedRequest } from './recorder';
import { send, type Ctx } from './request-context';
import { route } from './router';
import { parseScenario, parseScenarioJson, type Scenario } from './scenario';
import { createState, resetState, setModels, type ModelKind } from './state';
import { taskKindOf } from './task';

export type { Scenario } from './scenario';
export type { RecordedRequest } from './recorder';
export type { ModelKind } from './state';
export { DEFAULT_MODELS } from './state';
export { Splitter } from './splitter';

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
  /** Every request so far except /__fake/* control calls and Parley's task requests (see taskRequests), oldest first. */
  requests(): RecordedRequest[];
  /** Forget requests, queue and per-model scenarios; default model lists again. */
  reset(): void;
  setModels(kind: ModelKind, ids: readonly string[]): void;
  /** Scenario for every chat request naming this model (null removes it). */
  setScenario(modelId: string, s: Scenario | null): void;
  /** Scenario for the next chat request (FIFO). */
  queue(s: Scenario): void;
  /** Parley's background task requests (title, tags, follow-ups), oldest first; never in `requests()`. */
  taskRequests(): RecordedRequest[];
  /** Scenario for every task request (e.g. `{ status: 500 }`, `{ reply: 'not json' }`); null: the default JSON answers. */
  setTaskScenario(s: Scenario | null): void;
}

export const DEFAULT_FIXTURES_DIR = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/fixtures');

const DEFAULT_TTL_MS = 30 * 60 * 1000;

export async function startFakeLlm(opts: FakeLlmOptions = {}): Promise<FakeLlm> {
  const state = createState(opts.fixturesDir ?? DEFAULT_FIXTURES_DIR);
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

  // --- one request ---------------------------------------------------------------------------

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
      sleep,
    };
    const rec = recordRequest(taskKindOf(json) ? state.taskRecorded : state.recorded, { req, method, path: rawPath, target, query, json, text, prefix });
    res.on('close', () => {
      ctx.gone = true;
      if (rec && !res.writableFinished) rec.closedEarly = true;
    });

    if (prefixError !== undefined) {
      return send(ctx, 400, { 'content-type': 'text/plain; charset=utf-8', 'x-fake-llm-error': 'scenario' }, `fake-llm: bad /x/ scenario prefix: ${prefixError}\n`);
    }
    if (method === 'OPTIONS') {
      if (ctx.gone) return;
      res.writeHead(204, { ...ctx.cors, 'content-length': '0' });
      res.end();
      return;
    }
    await route(ctx, state);
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
    requests: () => state.recorded.slice(),
    reset: () => resetState(state),
    setModels: (kind: ModelKind, ids: readonly string[]): void => setModels(state, kind, ids),
    setScenario(modelId: string, s: Scenario | null): void {
      if (s === null) state.scenarios.delete(modelId);
      else state.scenarios.set(modelId, parseScenario(s));
    },
    queue(s: Scenario): void {
      state.queued.push(parseScenario(s));
    },
    taskRequests: () => state.taskRecorded.slice(),
    setTaskScenario(s: Scenario | null): void {
      state.taskScenario = s === null ? null : parseScenario(s);
    },
  };
}
