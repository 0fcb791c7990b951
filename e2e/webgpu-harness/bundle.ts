import { build } from 'esbuild';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from '../static-server';

/**
 * Bundles entry.ts with esbuild (in memory, well under a second) into a temp folder with an
 * empty page, and serves it from 127.0.0.1 on a free port: http://127.0.0.1 is a secure
 * context, so the page gets navigator.gpu. close() stops the server and removes the folder.
 */
export async function serveGpuHarness(): Promise<StaticServer> {
  const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  const js = out.outputFiles[0]?.text;
  if (!js) throw new Error('webgpu harness: esbuild produced no output');
  const root = await mkdtemp(join(tmpdir(), 'parley-gpu-harness-'));
  await writeFile(join(root, 'harness.js'), js);
  await writeFile(join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><title>WebGPU harness</title><script type="module" src="./harness.js"></script>\n');
  const server = await startStaticServer({ root });
  return {
    ...server,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
