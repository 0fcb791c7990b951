import { mergeConfig } from 'vite';
import app from '../../vite.config.ts';

/**
 * The app's own build (same plugins, CSP, service worker, worker format) plus one more page,
 * e2e/tiny-embedder/harness/index.html, that starts the embedding worker for e2e/embedder.spec.ts.
 * Build: `npx vite build --config e2e/tiny-embedder/harness.vite.config.ts --outDir <dir>`.
 */
export default mergeConfig(app, {
  build: { rollupOptions: { input: { main: 'index.html', 'embed-harness': 'e2e/tiny-embedder/harness/index.html' } } },
});
