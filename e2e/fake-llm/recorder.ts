/** Recording of incoming requests (everything except /__fake/* control calls). */

import type { IncomingMessage } from 'node:http';

import type { Scenario } from './scenario';

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
  /**
   * Set (true) once the connection closed before the answer was complete: the client aborted it
   * (e.g. a cancelled request to a hanging scenario), or close() destroyed it. Absent otherwise.
   */
  closedEarly?: true;
}

export interface ArrivedRequest {
  req: IncomingMessage;
  method: string;
  /** The routed path (prefix and query removed). */
  path: string;
  /** The request target as sent. */
  target: string;
  query: Record<string, string>;
  json: unknown;
  text: string;
  prefix: Scenario | undefined;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Append the request to `recorded` unless it is a /__fake/* control call; the record, or undefined. */
export function recordRequest(recorded: RecordedRequest[], a: ArrivedRequest): RecordedRequest | undefined {
  if (a.path.startsWith('/__fake/')) return undefined;
  const rec: RecordedRequest = {
    method: a.method,
    path: a.path,
    url: a.target,
    query: a.query,
    headers: headerRecord(a.req),
    body: a.json !== undefined ? a.json : a.text === '' ? null : a.text,
    at: Date.now(),
  };
  if (a.prefix) rec.scenario = a.prefix;
  recorded.push(rec);
  return rec;
}
