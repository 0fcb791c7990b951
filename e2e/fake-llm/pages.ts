/**
 * A small web page for `?load-url=` tests: an article among the site's menus, header, footer,
 * aside and a script, so a test can see what is read and what is left out. Served with the
 * server's CORS headers; through a `/x/{"cors":false}` prefix without them (a site that does
 * not let other sites read it).
 */

import { send, type Ctx } from './request-context';

export const ARTICLE_PATH = '/page/article';

export const ARTICLE_HTML = `<!doctype html>
<html><head><title>Otters at work</title><style>body { color: red }</style>
<script>window.secret = 'script text never read';</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<header>Site header never read</header>
<main>
  <article>
    <h1>Otters at work</h1>
    <p>Sea otters   use stones
      as tools to open shells.</p>
    <ul><li>They keep a favourite stone</li><li>in a pouch under the arm.</li></ul>
  </article>
  <aside>Aside never read</aside>
</main>
<footer>Footer never read</footer>
</body></html>
`;

/** Answers the page routes; false when `ctx` is not one of them. */
export function page(ctx: Ctx): boolean {
  if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path !== ARTICLE_PATH) return false;
  send(ctx, 200, { 'content-type': 'text/html; charset=utf-8' }, ARTICLE_HTML);
  return true;
}
