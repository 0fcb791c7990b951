import type { Plugin } from 'vite';

/**
 * The public path the build is served under and the absolute address of the app.
 * BASE_PATH wins for the path; otherwise SITE_URL's path is used; otherwise the site root.
 * SITE_URL defaults to `npm start`'s address, so a local build's search engine works as is.
 */
export function hostingPaths(env: Record<string, string | undefined>): { base: string; siteUrl: string } {
  const site = env.SITE_URL ? new URL(env.SITE_URL) : undefined;
  const base = withSlashes(env.BASE_PATH ?? site?.pathname ?? '/');
  const origin = site?.origin ?? 'http://127.0.0.1:4317';
  return { base, siteUrl: origin + base };
}

function withSlashes(path: string): string {
  const p = path.trim().replace(/^\/*/, '/');
  return p.endsWith('/') ? p : p + '/';
}

/**
 * The Content-Security-Policy, in one place: index.html gets it as a meta tag (works on any host),
 * `_headers` (Netlify, Cloudflare Pages) as a header with what only a header can say.
 * connect-src is open to every http(s) origin because the user's model servers can be anywhere
 * (README, "Content-Security-Policy"); scripts come only from the app's own files.
 */
export const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http: https:",
  "font-src 'self' data:",
  "media-src 'self' data: blob:",
  "connect-src 'self' http: https: ws: wss: data: blob:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
/** Directives a meta tag cannot carry. */
const HEADER_ONLY = ["frame-ancestors 'none'"];

/** Fills index.html's CSP meta tag (`content="%PARLEY_CSP%"`) and writes `_headers` for hosts that read one. */
export function cspPlugin(base: string): Plugin {
  return {
    name: 'parley-csp',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes('%PARLEY_CSP%')) throw new Error('index.html lost its CSP meta tag (content="%PARLEY_CSP%")');
        return html.replace('%PARLEY_CSP%', CSP_DIRECTIVES.join('; '));
      },
    },
    generateBundle() {
      const csp = [...CSP_DIRECTIVES, ...HEADER_ONLY].join('; ');
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: `/*\n  Content-Security-Policy: ${csp}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n${base}sw.js\n  Cache-Control: no-cache\n`,
      });
    },
  };
}

const PLACEHOLDER = /%SITE_URL%/g;

/**
 * Fills public/opensearch.xml's `%SITE_URL%` with the app's absolute address (OpenSearch needs
 * one), and writes 404.html for hosts that have no SPA fallback.
 */
export function openSearchPlugin(siteUrl: string): Plugin {
  const fill = (xml: string) => xml.replace(PLACEHOLDER, escapeXml(siteUrl));
  return {
    name: 'parley-opensearch',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        if (!(req.url ?? '').split('?')[0]!.endsWith('/opensearch.xml')) return next();
        const { readFile } = await import('node:fs/promises');
        res.setHeader('Content-Type', 'application/opensearchdescription+xml');
        res.end(fill(await readFile(new URL('./public/opensearch.xml', import.meta.url), 'utf8')));
      });
    },
    async writeBundle(options) {
      const { copyFile, readFile, writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const dir = options.dir ?? 'dist';
      const file = join(dir, 'opensearch.xml');
      await writeFile(file, fill(await readFile(file, 'utf8')));
      // Hosts such as GitHub Pages answer unknown paths with 404.html: a chat's own address
      // (…/c/<id>) then still opens the app on a first visit.
      await copyFile(join(dir, 'index.html'), join(dir, '404.html'));
    },
  };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
