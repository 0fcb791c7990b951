import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMirror, type Mirror } from './mirror';

let root: string;
let mirror: Mirror;
const BIG = Buffer.alloc(64 * 1024, 7);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpu-standin-mirror-'));
  await mkdir(join(root, 'mlc-ai', 'M-MLC', 'resolve', 'main'), { recursive: true });
  await writeFile(join(root, 'mlc-ai', 'M-MLC', 'resolve', 'main', 'mlc-chat-config.json'), '{"tokenizer_files":["tokenizer.json"]}');
  await writeFile(join(root, 'mlc-ai', 'M-MLC', 'resolve', 'main', 'params_shard_0.bin'), BIG);
  await writeFile(join(root, 'outside.txt'), 'x');
});
afterEach(async () => {
  await mirror?.close();
  await rm(root, { recursive: true, force: true });
});

describe('startMirror', () => {
  it('serves the folder on 127.0.0.1 to any origin, answers OPTIONS, logs every request', async () => {
    mirror = await startMirror({ root });
    expect(mirror.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${mirror.url}mlc-ai/M-MLC/resolve/main/mlc-chat-config.json`, { headers: { Origin: 'http://127.0.0.1:1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ tokenizer_files: ['tokenizer.json'] });
    const pre = await fetch(`${mirror.url}mlc-ai/M-MLC/resolve/main/params_shard_0.bin`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('GET');
    expect((await fetch(`${mirror.url}nope.bin`)).status).toBe(404);
    expect((await fetch(`${mirror.url}..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect(mirror.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /mlc-ai/M-MLC/resolve/main/mlc-chat-config.json 200',
      'OPTIONS /mlc-ai/M-MLC/resolve/main/params_shard_0.bin 204',
      'GET /nope.bin 404',
      'GET /../../etc/passwd 404',
    ]);
    expect(mirror.gets()).toEqual(['/mlc-ai/M-MLC/resolve/main/mlc-chat-config.json', '/nope.bin', '/../../etc/passwd']);
  });

  it('fails a path with 404 (or the status given) by path or full URL, until cleared', async () => {
    mirror = await startMirror({ root });
    const url = `${mirror.url}mlc-ai/M-MLC/resolve/main/params_shard_0.bin`;
    mirror.fail(url);
    const failed = await fetch(url);
    expect(failed.status).toBe(404);
    expect(failed.headers.get('access-control-allow-origin')).toBe('*');
    mirror.fail('/mlc-ai/M-MLC/resolve/main/params_shard_0.bin', 503);
    expect((await fetch(url)).status).toBe(503);
    mirror.clear(url);
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect((await ok.arrayBuffer()).byteLength).toBe(BIG.length);
    expect(mirror.requests.map((r) => r.status)).toEqual([404, 503, 200]);
  });

  it('throttles: a slow answer can be cancelled after its first bytes, then served whole at full speed', async () => {
    mirror = await startMirror({ root, bytesPerSecond: 16 * 1024 });
    const controller = new AbortController();
    const seen = mirror.nextRequest('params_shard_0.bin');
    const res = await fetch(`${mirror.url}mlc-ai/M-MLC/resolve/main/params_shard_0.bin`, { signal: controller.signal });
    expect((await seen).status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(BIG.length));
    const reader = res.body!.getReader();
    const first = await reader.read();
    // One 16 KiB chunk per second at this rate: the first read cannot hold the whole file.
    expect(first.value!.byteLength).toBeGreaterThan(0);
    expect(first.value!.byteLength).toBeLessThan(BIG.length);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    mirror.setBytesPerSecond(undefined);
    expect((await (await fetch(`${mirror.url}mlc-ai/M-MLC/resolve/main/params_shard_0.bin`)).arrayBuffer()).byteLength).toBe(BIG.length);
  });

  it('stalls a path after its headers until cleared; close() ends with a stalled request open', async () => {
    mirror = await startMirror({ root });
    const path = '/mlc-ai/M-MLC/resolve/main/params_shard_0.bin';
    mirror.stall(path);
    const res = await fetch(`${mirror.url}${path.slice(1)}`);
    expect(res.status).toBe(200);
    let done = false;
    const body = res.arrayBuffer().then((b) => {
      done = true;
      return b.byteLength;
    });
    // The config is not stalled: it arrives while the shard waits.
    expect((await fetch(`${mirror.url}mlc-ai/M-MLC/resolve/main/mlc-chat-config.json`)).status).toBe(200);
    expect(done).toBe(false);
    mirror.clear(path);
    expect(await body).toBe(BIG.length);

    mirror.stall(path);
    const stuck = fetch(`${mirror.url}${path.slice(1)}`).then((r) => r.arrayBuffer());
    await mirror.nextRequest('params_shard_0.bin');
    await mirror.close();
    await expect(stuck).rejects.toThrow();
  });
});
