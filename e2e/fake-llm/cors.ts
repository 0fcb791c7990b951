/** CORS headers: the Origin echoed (else `*`), preflight answers, Private Network Access. */

import type { IncomingMessage } from 'node:http';

import type { Scenario } from './scenario';

export function corsHeaders(req: IncomingMessage, s: Scenario | undefined, preflight: boolean): Record<string, string> {
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
