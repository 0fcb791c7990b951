import katex from 'katex';
import 'katex/dist/katex.min.css';

// Loaded lazily (see load-markdown-extras.ts), with its CSS, the first time math is seen.

/**
 * Memo of renderMath's output. The open block of a streaming answer is re-rendered every
 * frame, and each time it would re-typeset every finished formula in it; KaTeX is a pure
 * function of (source, mode), so caching its output is safe. Bounded: cleared when full.
 */
const cache = new Map<string, string>();
const CACHE_LIMIT = 500;

/** KaTeX HTML+MathML for `tex`; a malformed formula renders as its source in red, never throws. */
export function renderMath(tex: string, displayMode: boolean): string {
  const key = (displayMode ? 'D' : 'I') + tex;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    output: 'htmlAndMathml',
    // Model output is untrusted: no \href, \url, \includegraphics, \htmlClass….
    trust: false,
    strict: 'ignore',
    // Bounds on what one formula can cost: macro expansion steps, and sizes in em.
    maxExpand: 1000,
    maxSize: 20,
  });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, html);
  return html;
}
