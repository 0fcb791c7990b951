import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Builds e2e/extract-page into a fresh temporary folder and returns it. */
export async function buildExtractPage(prefix = 'extract-page-'): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)), build: { outDir, emptyOutDir: true } });
  return outDir;
}
