import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
 * Rewrites a served file: `path` is the URL path of the file sent (base included, e.g.
 * `/sw.js`; `<base>index.html` for the SPA fallback). Returning undefined sends it unchanged.
 */
export type Transform = (path: string, body: Buffer) => Buffer | undefined;

export interface StaticServerOptions {
  /** The folder served, e.g. a copy of the built app. */
  root: string;
  /** The URL path the app lives under; default '/'. */
  base?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  transform?: Transform;
}

export interface StaticServer {
  /** `origin` + base, e.g. http://127.0.0.1:PORT/ */
  url: string;
  origin: string;
  /** Stops listening and destroys open sockets, so a test run can end. */
  close(): Promise<void>;
  /** Replaces the transform (undefined: none) for the requests that follow. */
  setTransform(fn: Transform | undefined): void;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A page load rather than a script, style or fetch asking for a file. */
function isNavigation(req: IncomingMessage): boolean {
  const mode = req.headers['sec-fetch-mode'];
  if (mode) return mode === 'navigate';
  return (req.headers.accept ?? '').includes('text/html');
}

/** A small static file server for e2e tests, like a static host: no caching, SPA fallback, 127.0.0.1 only. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const base = `/${(options.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  let transform = options.transform;
  const sockets = new Set<Socket>();

  const send = async (req: IncomingMessage, res: ServerResponse, file: string, urlPath: string) => {
    const raw = await readFile(file);
    const body = transform?.(urlPath, raw) ?? raw;
    res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const fail = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return fail(res, 400, 'bad path');
    }
    if (!path.startsWith(base)) return fail(res, 404, 'not found');
    const rel = path.slice(base.length);
    const file = resolve(root, `./${rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel}`);
    // '..' (also encoded) must not leave the root.
    if (file !== root && !file.startsWith(root + sep)) return fail(res, 404, 'not found');
    if (await isFile(file)) return send(req, res, file, rel === '' || rel.endsWith('/') ? `${path}index.html` : path);
    if (isNavigation(req) && (await isFile(resolve(root, 'index.html')))) {
      return send(req, res, resolve(root, 'index.html'), `${base}index.html`);
    }
    return fail(res, 404, 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) fail(res, 500, String(e));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server: no port');
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    url: origin + base,
    origin,
    setTransform: (fn) => {
      transform = fn;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        for (const s of sockets) s.destroy();
      }),
  };
}
