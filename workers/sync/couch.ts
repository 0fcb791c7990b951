import * as z from 'zod/mini';
import { SyncError, serverName, statusError } from './sync-error';

/**
 * The CouchDB HTTP client sync needs, over an injected fetch: the handful of endpoints of the
 * replication protocol Parley uses, with Basic auth, a client-side timeout on every request
 * (some servers ignore a longpoll's `timeout=`), response shapes checked, and counters for the bench.
 */

export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;

/** A `_changes` sequence: a number on PouchDB Server, an opaque string on CouchDB 2+. */
export type Seq = string | number;

const docSchema = z.looseObject({
  _id: z.string(),
  _rev: z.string(),
  _conflicts: z.optional(z.array(z.string())),
  _deleted: z.optional(z.boolean()),
});
/** A document as the server returns it; the body's fields are left to the caller to check. */
export type CouchDoc = z.infer<typeof docSchema>;

const bulkResultSchema = z.union([
  z.object({ id: z.string(), ok: z.literal(true), rev: z.string() }),
  z.object({ id: z.string(), error: z.string(), reason: z.optional(z.string()), rev: z.optional(z.string()) }),
]);
export type BulkResult = z.infer<typeof bulkResultSchema>;
const bulkResultsSchema = z.array(bulkResultSchema);

const seqSchema = z.union([z.string(), z.number()]);
const changeSchema = z.object({
  id: z.string(),
  seq: seqSchema,
  changes: z.array(z.object({ rev: z.string() })),
  deleted: z.optional(z.boolean()),
  doc: z.optional(z.nullable(docSchema)),
});
export type ChangeRow = z.infer<typeof changeSchema>;
const changesSchema = z.object({ results: z.array(changeSchema), last_seq: seqSchema, pending: z.optional(z.number()) });

/** `_all_docs` with keys: a row per key, in order; a deleted document has `doc: null`, a missing one an error. */
const allDocsRowSchema = z.union([
  z.object({ id: z.string(), key: z.string(), value: z.object({ rev: z.string(), deleted: z.optional(z.boolean()) }), doc: z.optional(z.nullable(docSchema)) }),
  z.object({ key: z.string(), error: z.string() }),
]);
const allDocsSchema = z.object({ rows: z.array(allDocsRowSchema) });

export interface ChangesResult {
  results: ChangeRow[];
  lastSeq: Seq;
  /** How many changes are left after these, when the server says (CouchDB does, PouchDB Server not). */
  pending?: number;
  /** A longpoll that ended by the client-side timeout with no news. */
  timedOut?: boolean;
}

export interface ChangesOptions {
  since: Seq;
  limit?: number;
  includeDocs?: boolean;
  conflicts?: boolean;
  /** 'all_docs': every leaf revision of each document in its row (conflicts, and deleted former conflicts), not only the winner. */
  style?: 'main_only' | 'all_docs';
  /** Wait for the first change (feed=longpoll) instead of answering at once. */
  longpoll?: boolean;
  /** Longpoll: how long the server may wait (`timeout=`); the client gives up `longpollGraceMs` later. */
  timeoutMs?: number;
  /** Ends the request early (the live loop stopping); rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface CouchOptions {
  /** The server's base URL (no database), e.g. `https://couch.example.net` or `http://127.0.0.1:5984/`. */
  url: string;
  db: string;
  username?: string;
  password?: string;
  fetch: FetchPort;
  /** Client-side limit for a request other than a longpoll. Default 60 s. */
  requestTimeoutMs?: number;
  /** How much longer than its `timeout=` a longpoll may stay open. Default 5 s. */
  longpollGraceMs?: number;
}

export interface CouchStats {
  requests: number;
  /** Request body bytes (UTF-8); headers are not counted. */
  bytesSent: number;
  /** Response body bytes. */
  bytesReceived: number;
}

export interface Couch {
  /** The base URL as given, without trailing slashes (names the server in checkpoints). */
  readonly url: string;
  /** `host[:port]`, for messages. */
  readonly server: string;
  readonly db: string;
  /** Makes sure the database exists: reads it, creates it if missing (412 = someone else just did). */
  ensureDb(): Promise<void>;
  /** A document (the winning revision unless `rev`), or null if it does not exist or is deleted. */
  getDoc(id: string, opts?: { conflicts?: boolean; rev?: string }): Promise<CouchDoc | null>;
  /**
   * Several documents in one request (`POST _all_docs?include_docs=true` with the ids as keys):
   * one entry per id, in order — the winning revision (with `_conflicts` if asked), or null when
   * the document is deleted or does not exist.
   */
  getDocs(ids: readonly string[], opts?: { conflicts?: boolean }): Promise<Array<CouchDoc | null>>;
  /** `_bulk_docs`: one result per document, in order; a conflict is a result, not a throw. */
  bulkDocs(docs: readonly object[], opts?: { newEdits?: boolean }): Promise<BulkResult[]>;
  changes(opts: ChangesOptions): Promise<ChangesResult>;
  /** `_local/<id>`: never replicated, not in `_changes`. Null if absent. */
  getLocal(id: string): Promise<Record<string, unknown> | null>;
  putLocal(id: string, body: Record<string, unknown>): Promise<void>;
  /** Deletes these revisions of a document (the losers of a conflict). */
  removeRevs(id: string, revs: readonly string[]): Promise<BulkResult[]>;
  stats(): CouchStats;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_LONGPOLL_GRACE_MS = 5_000;

/** Basic credentials; UTF-8 first, since btoa takes only Latin-1. */
function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

interface Answer {
  status: number;
  body: unknown;
}

export function createCouch(opts: CouchOptions): Couch {
  const base = opts.url.trim().replace(/\/+$/, '');
  const dbUrl = `${base}/${encodeURIComponent(opts.db)}`;
  const server = serverName(base);
  const auth = opts.username ? basicAuth(opts.username, opts.password ?? '') : undefined;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const graceMs = opts.longpollGraceMs ?? DEFAULT_LONGPOLL_GRACE_MS;
  const counters: CouchStats = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  /** The `_rev` of each `_local` doc as last read or written: CouchDB wants it to update one. */
  const localRevs = new Map<string, string>();

  /** One request; rejects only with SyncError (or the caller's abort reason). Any status is an answer. */
  async function request(method: string, url: string, what: string, body?: unknown, limits: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Answer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (text !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) headers.Authorization = auth;
    const timeoutMs = limits.timeoutMs ?? requestTimeoutMs;
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    const outer = limits.signal;
    const onOuterAbort = (): void => ctrl.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort);
    if (outer?.aborted) onOuterAbort();
    counters.requests++;
    if (text !== undefined) counters.bytesSent += new TextEncoder().encode(text).byteLength;
    try {
      let res: Response;
      try {
        res = await opts.fetch(url, { method, headers, body: text, signal: ctrl.signal, credentials: 'omit', cache: 'no-store' });
      } catch (err) {
        if (outer?.aborted) throw outer.reason;
        if (timedOut) throw new SyncError('timeout', `The sync server at ${server} did not answer within ${Math.round(timeoutMs / 1000)} s.`, undefined, what);
        throw new SyncError(
          'cors-or-offline',
          `Could not reach the sync server at ${server}: the device is offline, the address is wrong, or the server does not allow this app’s origin (CORS).`,
          undefined,
          `${what}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      let raw: ArrayBuffer;
      try {
        raw = await res.arrayBuffer();
      } catch (err) {
        if (outer?.aborted) throw outer.reason;
        if (timedOut) throw new SyncError('timeout', `The sync server at ${server} did not finish its answer within ${Math.round(timeoutMs / 1000)} s.`, res.status, what);
        throw new SyncError('network', `The connection to the sync server at ${server} broke off in the middle of an answer.`, res.status, `${what}: ${String(err)}`);
      }
      counters.bytesReceived += raw.byteLength;
      const bodyText = new TextDecoder().decode(raw);
      let parsed: unknown;
      try {
        parsed = bodyText ? JSON.parse(bodyText) : null;
      } catch {
        // A proxy's HTML error page is the usual suspect; its status says more than its body.
        if (res.status >= 400) throw statusError(server, opts.db, res.status, null, what);
        throw badResponse(what, bodyText.slice(0, 200));
      }
      return { status: res.status, body: parsed };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  function badResponse(what: string, detail: string): SyncError {
    return new SyncError('bad-response', `The sync server at ${server} sent an answer that is not CouchDB’s (to ${what}). Check the address.`, undefined, detail);
  }

  function parse<T>(schema: z.ZodMiniType<T>, answer: Answer, what: string): T {
    const r = z.safeParse(schema, answer.body);
    if (!r.success) throw badResponse(what, JSON.stringify(answer.body).slice(0, 300));
    return r.data;
  }

  const docUrl = (id: string): string => `${dbUrl}/${encodeURIComponent(id)}`;
  const localUrl = (id: string): string => `${dbUrl}/_local/${encodeURIComponent(id.replace(/^_local\//, ''))}`;

  async function bulkDocs(docs: readonly object[], o: { newEdits?: boolean } = {}): Promise<BulkResult[]> {
    const what = `POST /${opts.db}/_bulk_docs`;
    const body = o.newEdits === false ? { docs, new_edits: false } : { docs };
    const a = await request('POST', `${dbUrl}/_bulk_docs`, what, body);
    if (a.status !== 201 && a.status !== 202) throw statusError(server, opts.db, a.status, a.body, what);
    const results = parse(bulkResultsSchema, a, what);
    // new_edits=false answers only errors; otherwise one result per document.
    if (o.newEdits !== false && results.length !== docs.length) throw badResponse(what, `${results.length} results for ${docs.length} documents`);
    return results;
  }

  return {
    url: base,
    server,
    db: opts.db,

    async ensureDb() {
      const what = `GET /${opts.db}`;
      const got = await request('GET', dbUrl, what);
      if (got.status === 200) return;
      if (got.status !== 404) throw statusError(server, opts.db, got.status, got.body, what);
      const made = await request('PUT', dbUrl, `PUT /${opts.db}`);
      if (made.status === 201 || made.status === 202 || made.status === 412) return;
      if (made.status === 401 || made.status === 403) {
        throw new SyncError(
          'auth',
          `The database “${opts.db}” does not exist on ${server}, and this user may not create it (HTTP ${made.status}). Ask the server’s admin to create it, or use an existing one.`,
          made.status,
        );
      }
      throw statusError(server, opts.db, made.status, made.body, `PUT /${opts.db}`);
    },

    async getDoc(id, o = {}) {
      const q = new URLSearchParams();
      if (o.conflicts) q.set('conflicts', 'true');
      if (o.rev) q.set('rev', o.rev);
      const qs = q.toString() ? `?${q}` : '';
      const what = `GET /${opts.db}/${id}`;
      const a = await request('GET', docUrl(id) + qs, what);
      if (a.status === 404) {
        // A missing database is an error; a missing (or deleted) document is an answer.
        if ((a.body as { reason?: unknown } | null)?.reason === 'no_db_file' || (a.body as { reason?: unknown } | null)?.reason === 'Database does not exist.') {
          throw statusError(server, opts.db, 404, a.body, what);
        }
        return null;
      }
      if (a.status !== 200) throw statusError(server, opts.db, a.status, a.body, what);
      return parse(docSchema, a, what);
    },

    async getDocs(ids, o = {}) {
      if (ids.length === 0) return [];
      const q = new URLSearchParams({ include_docs: 'true' });
      if (o.conflicts) q.set('conflicts', 'true');
      const what = `POST /${opts.db}/_all_docs`;
      const a = await request('POST', `${dbUrl}/_all_docs?${q}`, what, { keys: ids });
      if (a.status !== 200) throw statusError(server, opts.db, a.status, a.body, what);
      const { rows } = parse(allDocsSchema, a, what);
      if (rows.length !== ids.length) throw badResponse(what, `${rows.length} rows for ${ids.length} keys`);
      return rows.map((row, i) => {
        if (row.key !== ids[i]) throw badResponse(what, `row ${i} is “${row.key}”, asked for “${ids[i]}”`);
        if ('error' in row) {
          if (row.error === 'not_found') return null;
          throw badResponse(what, `${row.key}: ${row.error}`);
        }
        return row.value.deleted || !row.doc ? null : row.doc;
      });
    },

    bulkDocs,

    async changes(o) {
      const q = new URLSearchParams({ since: String(o.since) });
      if (o.limit !== undefined) q.set('limit', String(o.limit));
      if (o.includeDocs) q.set('include_docs', 'true');
      if (o.conflicts) q.set('conflicts', 'true');
      if (o.style) q.set('style', o.style);
      const serverTimeout = o.timeoutMs ?? 25_000;
      if (o.longpoll) {
        q.set('feed', 'longpoll');
        q.set('timeout', String(serverTimeout));
      }
      const what = `GET /${opts.db}/_changes`;
      let a: Answer;
      try {
        a = await request('GET', `${dbUrl}/_changes?${q}`, what, undefined, {
          timeoutMs: o.longpoll ? serverTimeout + graceMs : undefined,
          signal: o.signal,
        });
      } catch (err) {
        // A server that ignores timeout= keeps a quiet longpoll open: ending it ourselves is no error.
        if (o.longpoll && err instanceof SyncError && err.kind === 'timeout') return { results: [], lastSeq: o.since, timedOut: true };
        throw err;
      }
      if (a.status !== 200) throw statusError(server, opts.db, a.status, a.body, what);
      const r = parse(changesSchema, a, what);
      return { results: r.results, lastSeq: r.last_seq, ...(r.pending === undefined ? {} : { pending: r.pending }) };
    },

    async getLocal(id) {
      const what = `GET /${opts.db}/_local/${id}`;
      const a = await request('GET', localUrl(id), what);
      if (a.status === 404) return null;
      if (a.status !== 200) throw statusError(server, opts.db, a.status, a.body, what);
      const doc = parse(z.looseObject({ _rev: z.optional(z.string()) }), a, what);
      if (doc._rev) localRevs.set(id, doc._rev);
      return doc;
    },

    async putLocal(id, body) {
      const what = `PUT /${opts.db}/_local/${id}`;
      for (let attempt = 0; ; attempt++) {
        const { _id: _ignoredId, _rev: _ignoredRev, ...fields } = body;
        const rev = localRevs.get(id);
        const a = await request('PUT', localUrl(id), what, rev ? { ...fields, _rev: rev } : fields);
        if (a.status === 201 || a.status === 200) {
          const written = a.body as { rev?: unknown } | null;
          if (typeof written?.rev === 'string') localRevs.set(id, written.rev);
          return;
        }
        // Another tab or device wrote it since: learn its revision and write over it once.
        if (a.status === 409 && attempt === 0) {
          localRevs.delete(id);
          const current = await request('GET', localUrl(id), what);
          const currentRev = (current.body as { _rev?: unknown } | null)?._rev;
          if (current.status === 200 && typeof currentRev === 'string') localRevs.set(id, currentRev);
          continue;
        }
        throw statusError(server, opts.db, a.status, a.body, what);
      }
    },

    removeRevs(id, revs) {
      return bulkDocs(revs.map((rev) => ({ _id: id, _rev: rev, _deleted: true })));
    },

    stats: () => ({ ...counters }),
  };
}
