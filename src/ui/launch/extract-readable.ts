/**
 * A page's readable text, from its HTML: what a reader of the page would read, without its
 * menus, scripts and boilerplate. DOMParser gives an inert document (no script runs, nothing
 * loads), so untrusted pages are safe to parse here.
 */

/** Never the page's content: code, styles, navigation, site header and footer, asides, forms. */
const DROP = 'script,style,noscript,template,svg,canvas,iframe,object,nav,header,footer,aside,form,button,select,dialog,[hidden],[aria-hidden="true"]';

/** Elements that start a line of their own. */
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6',
  'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TD', 'TH', 'TR', 'UL', 'SUMMARY', 'DETAILS',
]);

export interface Readable {
  /** The page's title (og:title, else `<title>`, else its first heading); '' when it has none. */
  title: string;
  /** Its text, one block per line; not yet tidied nor capped (see tidyPageText). */
  text: string;
}

export function extractReadable(html: string, parse: (html: string) => Document = (h) => new DOMParser().parseFromString(h, 'text/html')): Readable {
  const doc = parse(html);
  const flat = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const title = flat(doc.querySelector('meta[property="og:title"]')?.getAttribute('content')) || flat(doc.title) || flat(doc.querySelector('h1')?.textContent);
  return { title, text: textOf(readableRoot(doc)) };
}

/**
 * Removes what is never the page's content from `doc` and returns the part a reader would read.
 * Shared with knowledge extraction (src/ui/knowledge/extract-html.ts), which renders it as markdown.
 */
export function readableRoot(doc: Document): Node {
  for (const el of [...doc.querySelectorAll(DROP)]) el.remove();
  return rootOf(doc);
}

/** The article (the longest, when a page has several), else the main part, else the body. */
function rootOf(doc: Document): Node {
  const articles = [...doc.querySelectorAll('article')];
  if (articles.length > 0) return articles.reduce((a, b) => ((b.textContent ?? '').length > (a.textContent ?? '').length ? b : a));
  return doc.querySelector('main, [role="main"]') ?? doc.body ?? doc.documentElement;
}

function textOf(root: Node): string {
  const out: string[] = [];
  let pre = 0;
  const walk = (n: Node) => {
    if (n.nodeType === 3) {
      // Source line breaks are not the page's; inside <pre> they are.
      const v = n.nodeValue ?? '';
      out.push(pre > 0 ? v : v.replace(/\s+/g, ' '));
      return;
    }
    if (n.nodeType !== 1) return;
    const tag = (n as Element).tagName.toUpperCase();
    if (tag === 'BR') {
      out.push('\n');
      return;
    }
    const block = BLOCK.has(tag);
    if (block) out.push('\n');
    if (tag === 'LI') out.push('- ');
    if (tag === 'PRE') pre++;
    for (const c of [...n.childNodes]) walk(c);
    if (tag === 'PRE') pre--;
    if (block) out.push('\n');
    else if (tag === 'TD' || tag === 'TH') out.push(' ');
  };
  walk(root);
  return out.join('');
}
