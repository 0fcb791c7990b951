import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';
import { cspPlugin, hostingPaths, openSearchPlugin } from './vite.hosting.ts';

// Where the built app will live: BASE_PATH=/parley/ for a sub-path, SITE_URL for the absolute
// address OpenSearch needs (see README, "Hosting").
const { base, siteUrl } = hostingPaths(process.env);

export default defineConfig({
  base,
  plugins: [
    solid(),
    cspPlugin(base),
    openSearchPlugin(siteUrl),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: base,
        name: 'Parley',
        short_name: 'Parley',
        description: 'A local-first chat client for large language models.',
        theme_color: '#1f2430',
        background_color: '#1f2430',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
        // Sharing text or a link to the installed app opens a new chat with it in the composer
        // (the launcher reads title, text and url like any other URL parameter).
        share_target: { action: '.', method: 'GET', params: { title: 'title', text: 'text', url: 'url' } },
      },
      workbox: {
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,woff2,webmanifest}'],
        // onnxruntime's wasm (≈ 25 MB) and its loader are for the in-browser embedder only: they
        // are fetched (and cached, below) the first time someone uses it, never at install.
        globIgnores: ['404.html', '**/ort-wasm*', '**/web-llm-*'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            // Hashed names: a cached copy is always the right one, so the cache answers first (offline too).
            urlPattern: ({ url }) => /\/assets\/ort-wasm[^/]*\.(?:wasm|mjs)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'parley-ml-runtime', expiration: { maxEntries: 8 } },
          },
          {
            // web-llm, for in-browser chat models: loaded (and kept for offline use) when the
            // In-browser models are first used, not at install. The model libraries (.wasm) and
            // weights are web-llm's own business: it keeps them in its Cache API caches.
            urlPattern: ({ url }) => /\/assets\/web-llm-[^/]*\.js$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'parley-webllm', expiration: { maxEntries: 2 } },
          },
          {
            // pdf.js's CMap files (169, 1.7 MB; CJK fonts with predefined encodings): fetched one by
            // one only when a PDF names one, kept for offline use after. pdf.js itself (≈ 480 KB gz)
            // and mammoth (≈ 95 KB gz) stay precached: adding a PDF or DOCX offline must work.
            urlPattern: ({ url }) => /\/assets\/[^/]+\.bcmap$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'parley-pdf-cmaps', expiration: { maxEntries: 40 } },
          },
        ],
      },
    }),
  ],
  worker: {
    format: 'es',
    rollupOptions: {
      output: {
        // web-llm (6 MB) gets a name of its own so the service worker can leave it out of the
        // precache (below) and cache it when the in-browser model worker first loads it.
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => id.includes('/@mlc-ai/web-llm/')) ? 'assets/web-llm-[hash].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  build: { target: 'es2022', sourcemap: false },
});
