import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer, type StaticServer } from './static-server';

let root = '';
let server: StaticServer | undefined;

beforeAll(async () => {
  const outer = await mkdtemp(join(tmpdir(), 'static-server-'));
  root = join(outer, 'app');
  await mkdir(root);
  // Beside the root, so '..' tricks would reach it.
  await writeFile(join(outer, 'static-server-secret.txt'), 'secret');
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>app</title>',
    'app.js': 'console.log(1)',
    'chunk.mjs': 'export {}',
    'style.css': 'body{}',
    'icon.svg': '<svg/>',
    'icon.png': 'png',
    'manifest.webmanifest': '{}',
    'data.json': '{}',
    'a.wasm': 'wasm',
    'sitemap.xml': '<x/>',
    'robots.txt': 'ok',
    'blob.bin': 'bin',
    'sw.js': 'self.version = 1;',
    'sub/index.html': '<p>sub</p>',
  };
  await mkdir(join(root, 'sub'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A browser's page load. (fetch() cannot send it: it sets Sec-Fetch-Mode: cors itself.) */
function navigate(url: string, headers: Record<string, string> = { 'sec-fetch-mode': 'navigate', accept: 'text/html' }) {
  return new Promise<{ status: number; type: string; text: string }>((ok, ko) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).toString() }));
    })
      .on('error', ko)
      .end();
  });
}

describe('startStaticServer', () => {
  it('serves files with their content type, no-cache and on 127.0.0.1', async () => {
    server = await startStaticServer({ root });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.url).toBe(`${server.origin}/`);
    const types: Record<string, string> = {
      '': 'text/html; charset=utf-8',
      'index.html': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'chunk.mjs': 'text/javascript; charset=utf-8',
      'style.css': 'text/css; charset=utf-8',
      'icon.svg': 'image/svg+xml',
      'icon.png': 'image/png',
      'manifest.webmanifest': 'application/manifest+json',
      'data.json': 'application/json',
      'a.wasm': 'application/wasm',
      'sitemap.xml': 'application/xml',
      'robots.txt': 'text/plain; charset=utf-8',
      'blob.bin': 'application/octet-stream',
      'sub/': 'text/html; charset=utf-8',
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await fetch(server.url + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toBe(type);
      expect(r.headers.get('cache-control'), path).toBe('no-cache');
    }
    expect(await (await fetch(`${server.url}app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${server.url}sub/`)).text()).toBe('<p>sub</p>');
  });

  it('falls back to index.html for navigations only, 404 for missing files', async () => {
    server = await startStaticServer({ root });
    const page = await navigate(`${server.url}c/some-chat-id`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>app</title>');
    // Without Sec-Fetch-Mode, an Accept asking for HTML counts as a navigation.
    expect((await navigate(`${server.url}settings`, { accept: 'text/html,*/*' })).status).toBe(200);
    expect((await navigate(`${server.url}settings`, { accept: '*/*' })).status).toBe(404);
    const missing = await navigate(`${server.url}assets/missing.js`, { 'sec-fetch-mode': 'no-cors', accept: 'text/html' });
    expect(missing.status).toBe(404);
    expect((await fetch(`${server.url}missing.png`)).status).toBe(404);
  });

  it('serves only under its base', async () => {
    server = await startStaticServer({ root, base: '/parley' });
    expect(server.url).toBe(`${server.origin}/parley/`);
    expect((await fetch(`${server.url}app.js`)).status).toBe(200);
    expect((await fetch(`${server.origin}/app.js`)).status).toBe(404);
    expect((await navigate(`${server.origin}/elsewhere`)).status).toBe(404);
    const deep = await navigate(`${server.url}c/1`);
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('<title>app</title>');
  });

  it('never serves outside its root', async () => {
    server = await startStaticServer({ root });
    for (const path of ['..%2fstatic-server-secret.txt', '%2e%2e/static-server-secret.txt', 'sub/..%2f..%2fstatic-server-secret.txt']) {
      const r = await fetch(server.url + path);
      expect(r.status, path).toBe(404);
      expect(await r.text(), path).not.toContain('secret');
    }
    expect((await fetch(`${server.url}%E0%A4%A`)).status).toBe(400);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    server = await startStaticServer({ root });
    const head = await fetch(`${server.url}app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('console.log(1)'.length));
    expect(await head.text()).toBe('');
    expect((await fetch(`${server.url}app.js`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('applies the transform given at start, then the one set later', async () => {
    const seen: string[] = [];
    server = await startStaticServer({
      root,
      transform: (path, body) => {
        seen.push(path);
        return path === '/sw.js' ? Buffer.concat([body, Buffer.from('\n// v1')]) : undefined;
      },
    });
    const v1 = await fetch(`${server.url}sw.js`);
    expect(await v1.text()).toBe('self.version = 1;\n// v1');
    expect(v1.headers.get('content-length')).toBe(String('self.version = 1;\n// v1'.length));
    expect(await (await fetch(`${server.url}app.js`)).text()).toBe('console.log(1)');
    await navigate(`${server.url}some/route`);
    await fetch(server.url);
    expect(seen).toEqual(['/sw.js', '/app.js', '/index.html', '/index.html']);

    server.setTransform((path, body) => (path === '/sw.js' ? Buffer.from(`${body.toString()}\n// v2 ✓`) : undefined));
    const v2 = await fetch(`${server.url}sw.js`);
    const text = await v2.text();
    expect(text).toBe('self.version = 1;\n// v2 ✓');
    expect(Number(v2.headers.get('content-length'))).toBe(Buffer.byteLength(text));

    server.setTransform(undefined);
    expect(await (await fetch(`${server.url}sw.js`)).text()).toBe('self.version = 1;');
  });

  it('close() ends even with a half-sent request open', async () => {
    const s = await startStaticServer({ root });
    const socket = connect(Number(new URL(s.origin).port), '127.0.0.1');
    await new Promise<void>((ok) => socket.once('connect', () => ok()));
    socket.write('GET /app.js HTTP/1.1\r\nHost: x\r\n'); // headers never finished
    const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
    socket.on('error', () => undefined);
    await s.close();
    await closed;
    await expect(fetch(s.url)).rejects.toThrow();
  });
});
