import type { highlightCode } from './highlight-code';
import type { renderMath } from './render-math';

/**
 * The heavy parts of markdown rendering — highlight.js and KaTeX (~70 KB gzip with its CSS) —
 * are kept out of the first load and fetched with `import()` the first time an answer holds
 * code or math. Until they arrive, code renders as plain escaped text and math as its source.
 *
 * This is module-level state on purpose: an ES module is evaluated once per page, so the
 * handle to a loaded one is page-wide too. It is a cache of `import()`, not app state.
 */
export interface MarkdownExtras {
  highlight?: typeof highlightCode;
  math?: typeof renderMath;
}

const loaded: MarkdownExtras = {};
let highlightLoad: Promise<void> | undefined;
let mathLoad: Promise<void> | undefined;

/** The extras loaded so far (read at render time). */
export function loadedExtras(): Readonly<MarkdownExtras> {
  return loaded;
}

function settle(p: Promise<void>): Promise<void> {
  // A failed chunk load (offline, deploy replaced the chunk) leaves code plain and math as
  // source; callers that wait for an upgrade pass a rejection handler. Do not retry in a loop.
  p.catch(() => undefined);
  return p;
}

/** Starts (once) loading highlight.js; resolves when `loadedExtras().highlight` is set. */
export function loadHighlighter(): Promise<void> {
  highlightLoad ??= settle(
    import('./highlight-code').then((m) => {
      loaded.highlight = m.highlightCode;
    }),
  );
  return highlightLoad;
}

/** Starts (once) loading KaTeX and its CSS; resolves when `loadedExtras().math` is set. */
export function loadMath(): Promise<void> {
  mathLoad ??= settle(
    import('./render-math').then((m) => {
      loaded.math = m.renderMath;
    }),
  );
  return mathLoad;
}

/** Loads both extras now (tests; or an idle-time prefetch once the app has settled). */
export function preloadMarkdownExtras(): Promise<void> {
  return Promise.all([loadHighlighter(), loadMath()]).then(() => undefined);
}
