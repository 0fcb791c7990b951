import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { contentType } from '../static-server';

/**
 * A model mirror for e2e tests: serves a folder (model-folder.ts's 'mirror' layout) from
 * 127.0.0.1 on a free port, to any origin (Access-Control-Allow-Origin: *, OPTIONS answered),
 * optionally throttled so a test can cancel in the middle of a download. Every request is logged.
 * A path can be made to fail with a status (404 by default) or to stall (headers sent, then no
 * bytes until close()). close() destroys open sockets, so a run ends even with stalled requests.
 */

export interface MirrorOptions {
  /** The folder served: a request for /a/b is <root>/a/b. */
  root: string;
  /** Body bytes per second for every answer (default: unthrottled). */
  bytesPerSecond?: number;
}

export interface MirrorRequest {
  method: string;
  /** The decoded URL path, e.g. /mlc-ai/X-MLC/resolve/main/params_shard_0.bin */
  path: string;
  status: number;
}

export interface Mirror {
  /** http://127.0.0.1:PORT/ (a weights or library base for applyModelMirror). */
  url: string;
  origin: string;
  /** Every request so far (OPTIONS too), in arrival order; status is what was answered. */
  readonly requests: readonly MirrorRequest[];
  /** The paths of GET requests so far. */
  gets(): string[];
  /** Resolves with the next request whose path ends with `suffix` (or any, when omitted). */
  nextRequest(suffix?: string): Promise<MirrorRequest>;
  /** Answers `pathOrUrl` with `status` (default 404) from now on. */
  fail(pathOrUrl: string, status?: number): void;
  /** Sends headers for `pathOrUrl`, then nothing (until clear() or close()). */
  stall(pathOrUrl: string): void;
  /** Serves `pathOrUrl` normally again (a stalled answer then completes). */
  clear(pathOrUrl: string): void;
  setBytesPerSecond(n: number | undefined): void;
  close(): Promise<void>;
}

const CHUNK = 16 * 1024;

function pathOf(pathOrUrl: string): string {
  const p = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl;
  return decodeURIComponent(p.startsWith('/') ? p : `/${p}`);
}

export async function startMirror(options: MirrorOptions): Promise<Mirror> {
  const root = resolve(options.root);
  let rate = options.bytesPerSecond;
  const requests: MirrorRequest[] = [];
  const failures = new Map<string, number>();
  const stalled = new Map<string, Array<() => void>>();
  const stallPaths = new Set<string>();
  const waiters: Array<{ suffix: string | undefined; resolve: (r: MirrorRequest) => void }> = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const record = (r: MirrorRequest) => {
    requests.push(r);
    for (const w of [...waiters]) {
      if (w.suffix === undefined || r.path.endsWith(w.suffix)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
    }
  };
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': '*',
    'Access-Control-Expose-Headers': 'Content-Length, Content-Type',
    'Access-Control-Allow-Private-Network': 'true',
    'Cache-Control': 'no-cache',
  };
  const plain = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...cors, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  const wait = (ms: number) =>
    new Promise<void>((ok) => {
      const t = setTimeout(() => {
        timers.delete(t);
        ok();
      }, ms);
      timers.add(t);
    });

  const sendBody = async (req: IncomingMessage, res: ServerResponse, body: Buffer, path: string) => {
    if (stallPaths.has(path)) {
      res.flushHeaders();
      await new Promise<void>((ok) => stalled.set(path, [...(stalled.get(path) ?? []), ok]));
    }
    for (let at = 0; at < body.length && !res.destroyed; at += CHUNK) {
      const chunk = body.subarray(at, at + CHUNK);
      if (rate) await wait((chunk.length * 1000) / rate);
      if (res.destroyed || req.destroyed) return;
      if (!res.write(chunk)) {
        await new Promise<void>((ok) => {
          const done = () => {
            res.off('drain', done).off('close', done);
            ok();
          };
          res.on('drain', done).on('close', done);
        });
      }
    }
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      record({ method, path: req.url ?? '', status: 400 });
      return plain(res, 400, 'bad path');
    }
    if (method === 'OPTIONS') {
      record({ method, path, status: 204 });
      res.writeHead(204, cors);
      return res.end();
    }
    if (method !== 'GET' && method !== 'HEAD') {
      record({ method, path, status: 405 });
      return plain(res, 405, 'method not allowed');
    }
    const failure = failures.get(path);
    if (failure !== undefined) {
      record({ method, path, status: failure });
      return plain(res, failure, `mirror: ${path} fails with ${failure}`);
    }
    const file = resolve(root, `.${path}`);
    const inside = file.startsWith(root + sep);
    const isFile = inside && (await stat(file).then((s) => s.isFile(), () => false));
    if (!isFile) {
      record({ method, path, status: 404 });
      return plain(res, 404, 'not found');
    }
    const body = await readFile(file);
    record({ method, path, status: 200 });
    res.writeHead(200, { ...cors, 'Content-Type': contentType(file), 'Content-Length': body.length });
    if (method === 'HEAD') return res.end();
    await sendBody(req, res, body, path);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) plain(res, 500, String(e));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('mirror: no port');
  const origin = `http://127.0.0.1:${address.port}`;

  const release = (path: string) => {
    stallPaths.delete(path);
    for (const ok of stalled.get(path) ?? []) ok();
    stalled.delete(path);
  };

  return {
    url: `${origin}/`,
    origin,
    requests,
    gets: () => requests.filter((r) => r.method === 'GET').map((r) => r.path),
    nextRequest: (suffix) => new Promise((ok) => waiters.push({ suffix, resolve: ok })),
    fail: (p, status = 404) => failures.set(pathOf(p), status),
    stall: (p) => stallPaths.add(pathOf(p)),
    clear: (p) => {
      failures.delete(pathOf(p));
      release(pathOf(p));
    },
    setBytesPerSecond: (n) => {
      rate = n;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
