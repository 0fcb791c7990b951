import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import expressPouchDB from 'express-pouchdb';

/**
 * A real CouchDB-protocol server for tests and the bench: express-pouchdb over in-memory
 * PouchDB, on 127.0.0.1 only, with CORS for any origin (credentials allowed) and an optional
 * Basic-auth check like CouchDB's `require_valid_user`. Like pouchdb-server it ignores the
 * `timeout=` of a longpoll `_changes`, so clients need their own timeout.
 */

export interface CouchServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** When set, every request but a CORS preflight needs these Basic credentials (else 401). */
  auth?: { user: string; password: string };
  /** The server closes itself after this long, so a forgotten one cannot keep a run alive. Default 30 min. */
  ttlMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** The URL path with its query, e.g. `/parley/_changes?since=0`. */
  path: string;
  /** Body bytes received (its Content-Length; browsers send one for string bodies) and sent back (headers not counted). For the bench. */
  bytesIn?: number;
  bytesOut?: number;
  /** The Basic user name sent, if any (tells devices apart in the bench). */
  user?: string;
  /** Set once the response ended or the connection closed: a long-poll still waiting has none. */
  done?: boolean;
}

export interface CouchServer {
  /** `http://127.0.0.1:PORT` (no trailing slash, no database). */
  url: string;
  port: number;
  /** Every request received, in order (preflights included). */
  requests: RecordedRequest[];
  /** Stops for good and frees the databases. */
  close(): Promise<void>;
  /** Stops listening and cuts open connections (a pending longpoll too); the data stays. */
  stop(): Promise<void>;
  /** Listens again on the same port with the same data. */
  restart(): Promise<void>;
  /**
   * The next `n` requests (preflights excepted; only those `match` accepts, when given) fail with
   * `status` and a CouchDB-style error body; status 0 cuts the connection instead (a network error).
   */
  failNext(n: number, status?: number, match?: (req: RecordedRequest) => boolean): void;
}

const DEFAULT_TTL_MS = 30 * 60_000;

/** A plain database name at the root: `/<db>`, which PUT creates and DELETE drops. */
const DB_PATH = /^\/([a-z][a-z0-9_$()+%-]*)\/?(?:\?.*)?$/;

function basicUser(req: IncomingMessage): string | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}

/** Adds what the response's body writes to `rec.bytesOut`. */
function countBytesOut(res: ServerResponse, rec: RecordedRequest): void {
  const size = (chunk: unknown, encoding?: unknown): number =>
    typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk instanceof Uint8Array ? chunk.byteLength : 0;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    rec.bytesOut = (rec.bytesOut ?? 0) + size(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && typeof chunk !== 'function') rec.bytesOut = (rec.bytesOut ?? 0) + size(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as typeof res.end;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function allowCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin) return;
  // Credentials need the origin spelled out, not '*'.
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, HEAD, DELETE, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Accept, Authorization, Content-Type, Origin, Referer');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Type, Cache-Control, ETag, X-Couch-Request-ID');
  res.setHeader('Access-Control-Max-Age', '600');
  res.setHeader('Vary', 'Origin');
}

function authorized(req: IncomingMessage, auth: { user: string; password: string }): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m?.[1]) return false;
  return Buffer.from(m[1], 'base64').toString('utf8') === `${auth.user}:${auth.password}`;
}

export async function startCouchServer(opts: CouchServerOptions = {}): Promise<CouchServer> {
  // Each server gets its own storage names (the memory adapter's store is process-wide) and its
  // own list of databases: express-pouchdb's default list (pouchdb-all-dbs) listens to a
  // process-wide event, so a second server would see the first one's databases.
  const dbNames = new Set<string>();
  const Pouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory', prefix: `couch-${randomUUID()}-` });
  Pouch.allDbs = (cb?: (err: Error | null, dbs: string[]) => void): Promise<string[]> => {
    const dbs = [...dbNames];
    cb?.(null, dbs);
    return Promise.resolve(dbs);
  };
  const app = expressPouchDB(Pouch, { mode: 'minimumForPouchDB', inMemoryConfig: true });

  const requests: RecordedRequest[] = [];
  const failures: Array<{ status: number; match: ((req: RecordedRequest) => boolean) | undefined }> = [];
  const sockets = new Set<Socket>();
  let closed = false;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', bytesIn: Number(req.headers['content-length'] ?? 0) || 0, bytesOut: 0, user: basicUser(req) };
    requests.push(rec);
    countBytesOut(res, rec);
    res.on('close', () => (rec.done = true));
    allowCors(req, res);
    if (rec.method === 'OPTIONS') {
      res.writeHead(204, { 'Content-Length': '0' });
      res.end();
      return;
    }
    const failAt = failures.findIndex((f) => !f.match || f.match(rec));
    const failure = failAt >= 0 ? failures.splice(failAt, 1)[0] : undefined;
    if (failure) {
      if (failure.status === 0) {
        req.socket.destroy();
        return;
      }
      sendJson(res, failure.status, { error: 'test_failure', reason: `The test server was told to fail with ${failure.status}.` });
      return;
    }
    if (opts.auth && !authorized(req, opts.auth)) {
      const reason = req.headers.authorization ? 'Name or password is incorrect.' : 'Authentication required.';
      sendJson(res, 401, { error: 'unauthorized', reason });
      return;
    }
    // Keep the list of databases as CouchDB would: a PUT /<db> that answers 201 creates one, a
    // DELETE /<db> that answers 200 drops it. Recorded as the status is written, before the client can ask again.
    const dbPath = DB_PATH.exec(rec.path);
    const dbName = dbPath?.[1] ? decodeURIComponent(dbPath[1]) : undefined;
    if (dbName !== undefined && (rec.method === 'PUT' || rec.method === 'DELETE')) {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        if (rec.method === 'PUT' && status === 201) dbNames.add(dbName);
        if (rec.method === 'DELETE' && status === 200) dbNames.delete(dbName);
        return writeHead(status, ...rest);
      }) as typeof res.writeHead;
    }
    app(req, res);
  };

  const server = createServer(handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        resolve();
      });
    });
  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
      sockets.clear();
    });

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(ttl);
    await stop();
    const open = Pouch.__dbCacheMap ? [...Pouch.__dbCacheMap.values()] : [];
    await Promise.all(open.map((db) => db.destroy().catch(() => undefined)));
  };

  const ttl = setTimeout(() => void close(), opts.ttlMs ?? DEFAULT_TTL_MS);
  ttl.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close,
    stop,
    async restart() {
      if (closed) throw new Error('The couch server was closed; start a new one.');
      if (!server.listening) await listen(port);
    },
    failNext(n, status = 500, match) {
      for (let i = 0; i < n; i++) failures.push({ status, match });
    },
  };
}
