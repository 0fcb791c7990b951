/** The per-request context and the one-shot responses (whole body, content-length set). */

import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ErrorResponse } from './error-bodies';
import type { Scenario } from './scenario';

export interface Ctx {
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
  /** A timer the server cancels on close(). */
  sleep(ms: number): Promise<void>;
}

export function send(ctx: Ctx, status: number, headers: Record<string, string>, body: string | Buffer): void {
  if (ctx.gone || ctx.res.headersSent) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  ctx.res.writeHead(status, { ...headers, 'content-length': String(buf.length), ...ctx.cors });
  ctx.res.end(buf);
}

export function sendJson(ctx: Ctx, status: number, value: unknown, pretty = 0): void {
  send(ctx, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value, null, pretty));
}

export function sendError(ctx: Ctx, e: ErrorResponse): void {
  send(ctx, e.status, { 'content-type': e.contentType, ...(e.headers ?? {}) }, e.body);
}
