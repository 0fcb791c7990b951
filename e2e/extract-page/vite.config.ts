import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/** Builds the extraction test page (e2e/extract.spec.ts, bench/measure-pdf-ingest.ts) like the app builds its workers. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: false },
  logLevel: 'warn',
});
