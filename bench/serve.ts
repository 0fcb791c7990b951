/**
 * Serves the built app with `vite preview` in a child process for the length of a bench run.
 * The child is killed by `close()`, and also when this process exits for any reason it can
 * observe (normal end, uncaught error, Ctrl-C, SIGTERM).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Preview {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** The directory served (absolute). */
  distDir: string;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vite preview exited (${child.exitCode ?? child.signalCode}) before serving:\n${log()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`vite preview did not answer on ${url} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `vite preview --host 127.0.0.1 --port <port> --strictPort [--outDir <distDir>]`. */
export async function startPreview(opts: { port: number; distDir?: string; root?: string }): Promise<Preview> {
  hookExit();
  const root = opts.root ?? process.cwd();
  const distDir = path.resolve(root, opts.distDir ?? 'dist');
  const vitePkg = createRequire(path.join(root, 'package.json')).resolve('vite/package.json');
  const viteBin = path.join(path.dirname(vitePkg), 'bin', 'vite.js');
  const args = [viteBin, 'preview', '--host', '127.0.0.1', '--port', String(opts.port), '--strictPort', '--outDir', distDir];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(url + '/', child, 20_000, () => output);
  } catch (err) {
    killAll();
    throw err;
  }

  return {
    url,
    distDir,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      live.delete(child);
    },
  };
}
