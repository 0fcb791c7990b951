/**
 * Citation markers in a rendered answer: `[1]`, `[2, 3]`, `[1][2]` become small superscript
 * buttons (`sup.md-cite > button[data-cite=n]`). It works on the sanitized DOM, never on HTML:
 * the buttons are built with DOM calls and their labels are text, so nothing of the answer can
 * become markup. Markers inside code, links, buttons and math are left as written, and so are
 * numbers with no source behind them (`[7]` when there are three sources stays text).
 */

/** Same shape as core/rag/prompt.ts's parseCitations: not a link's text `[1](…)`, not a footnote `[^1]`. */
const MARKER = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\](?!\()/g;
const SKIP = 'code, pre, a, button, .md-math-source, .katex, .md-cite';

/** Replaces markers under `root` whose numbers are all 1..`count`. Returns how many it made. */
export function markCitations(root: ParentNode, count: number): number {
  if (count <= 0) return 0;
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root as Node, 4 /* NodeFilter.SHOW_TEXT */);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n as Text;
    if (!t.data.includes('[')) continue;
    if (t.parentElement?.closest(SKIP)) continue;
    // A block's own top-level node is tracked by the stream renderer: never swapped out.
    if (t.parentElement?.matches('.md-chunk, .md-tail')) continue;
    texts.push(t);
  }
  let made = 0;
  for (const t of texts) made += replaceIn(t, count, doc);
  return made;
}

function replaceIn(t: Text, count: number, doc: Document): number {
  const data = t.data;
  const parts: Array<string | Node> = [];
  let last = 0;
  let made = 0;
  for (const m of data.matchAll(MARKER)) {
    const nums = m[1]!.split(',').map((s) => Number(s.trim()));
    if (!nums.every((n) => Number.isInteger(n) && n >= 1 && n <= count)) continue;
    if (m.index > last) parts.push(data.slice(last, m.index));
    parts.push(citation(nums, doc));
    last = m.index + m[0].length;
    made++;
  }
  if (made === 0) return 0;
  if (last < data.length) parts.push(data.slice(last));
  t.replaceWith(...parts);
  return made;
}

function citation(nums: number[], doc: Document): HTMLElement {
  const sup = doc.createElement('sup');
  sup.className = 'md-cite';
  nums.forEach((n, i) => {
    if (i > 0) sup.append(doc.createTextNode(','));
    const b = doc.createElement('button');
    b.type = 'button';
    b.setAttribute('data-cite', String(n));
    b.setAttribute('aria-label', `Source ${n}`);
    b.textContent = String(n);
    sup.append(b);
  });
  return sup;
}

/** Clicks on citation buttons under `container` (by delegation: later blocks work too). */
export function onCitationClick(container: HTMLElement, open: (n: number) => void): () => void {
  const onClick = (e: MouseEvent) => {
    const el = e.target instanceof Element ? e.target.closest('sup.md-cite > button[data-cite]') : null;
    if (!el || !container.contains(el)) return;
    e.preventDefault();
    open(Number(el.getAttribute('data-cite')));
  };
  container.addEventListener('click', onClick);
  return () => container.removeEventListener('click', onClick);
}
