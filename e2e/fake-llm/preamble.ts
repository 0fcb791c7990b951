/** The scenario fields that act before any body: hang, delayMs, html, status. */

import type { IncomingMessage } from 'node:http';

import { LOGIN_PAGE_HTML, errorResponse, type ServerKind } from './error-bodies';
import { send, sendError, type Ctx } from './request-context';
import type { Scenario } from './scenario';

function bearer(req: IncomingMessage): string | undefined {
  const a = req.headers.authorization;
  if (!a) return undefined;
  const m = /^Bearer\s+(.*)$/i.exec(a);
  return m ? (m[1] ?? '').trim() : a.trim();
}

/** hang / delayMs / html / status. Returns true when the response has been dealt with. */
export async function preamble(ctx: Ctx, s: Scenario, kind: ServerKind, model: string | undefined, listing: boolean): Promise<boolean> {
  if (s.hang) return true; // never answer; close() or the client ends the socket
  if (s.delayMs) {
    await ctx.sleep(s.delayMs);
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
