/**
 * An HTML file's readable text as markdown, for knowledge bases: headings become '#' lines,
 * lists '-' / '1.' items (nested ones indented), <pre> a fenced block (language from a
 * `language-x` class), tables markdown tables, blockquotes '>' lines. Which part of the page is
 * read (article, main, body; no menus, scripts, header, footer) is the launcher's rule
 * (readableRoot). Runs on the main thread: workers have no DOMParser.
 */
import { readableRoot } from '../launch/extract-readable';
import { fenceCode } from '../../core/rag/extract/code';

/** Marks a block boundary while rendering; runs of them (and the blank space around) become one blank line. */
const BREAK = '\uE000';
/** A line break that must stay one (a <br>, a list item's end). */
const LINE = '\uE001';
/** One level of list indentation: not blank space, so tidying around line breaks keeps it; two spaces at the end. */
const INDENT = '\uE002';

export function extractHtml(html: string, parse: (html: string) => Document = (h) => new DOMParser().parseFromString(h, 'text/html')): string {
  const doc = parse(html);
  const title = (doc.title ?? '').replace(/\s+/g, ' ').trim();
  const body = tidy(render(readableRoot(doc))).replaceAll(INDENT, '  ');
  // A document without a heading of its own gets its title as one, so chunks carry it.
  if (title && !/^#{1,6} /m.test(body)) return body ? `# ${title}\n\n${body}` : `# ${title}`;
  return body;
}

function tidy(s: string): string {
  return s
    .replace(new RegExp(`[ \\t]*${BREAK}[\\s${BREAK}${LINE}]*`, 'g'), '\n\n')
    .replace(new RegExp(`[ \\t]*${LINE}[ \\t]*`, 'g'), '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const HEADINGS: Record<string, number> = { H1: 1, H2: 2, H3: 3, H4: 4, H5: 5, H6: 6 };
const BLOCKS = new Set(['P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'ADDRESS', 'FIGURE', 'FIGCAPTION', 'DL', 'DT', 'DD', 'DETAILS', 'SUMMARY', 'CENTER']);

function render(n: Node): string {
  if (n.nodeType === 3) return (n.nodeValue ?? '').replace(/\s+/g, ' ');
  if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) return '';
  const el = n as Element;
  const tag = el.tagName?.toUpperCase() ?? '';
  const inner = () => [...n.childNodes].map(render).join('');
  const level = HEADINGS[tag];
  if (level) return `${BREAK}${'#'.repeat(level)} ${flat(inner())}${BREAK}`;
  switch (tag) {
    case 'BR':
      return LINE;
    case 'HR':
      return `${BREAK}---${BREAK}`;
    case 'PRE':
      return `${BREAK}${fenceCode(el.textContent ?? '', languageOf(el))}${BREAK}`;
    case 'CODE':
      return inlineCode(el.textContent ?? '');
    case 'UL':
    case 'OL':
      return `${BREAK}${list(el)}${BREAK}`;
    case 'TABLE':
      return `${BREAK}${table(el)}${BREAK}`;
    case 'BLOCKQUOTE':
      return `${BREAK}${tidy(inner()).split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n')}${BREAK}`;
    case 'TITLE':
      return '';
    case 'IMG':
      return el.getAttribute('alt') ?? '';
    default:
      return BLOCKS.has(tag) ? `${BREAK}${inner()}${BREAK}` : inner();
  }
}

const flat = (s: string) => s.replace(new RegExp(`[\\s${BREAK}${LINE}${INDENT}]+`, 'g'), ' ').trim();

function inlineCode(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const tick = '`'.repeat(longest + 1);
  return longest > 0 ? `${tick} ${t} ${tick}` : `${tick}${t}${tick}`;
}

function languageOf(pre: Element): string {
  const cls = `${pre.getAttribute('class') ?? ''} ${pre.querySelector('code')?.getAttribute('class') ?? ''}`;
  return /(?:^|\s)(?:language|lang)-([\w+#-]+)/.exec(cls)?.[1] ?? '';
}

function list(el: Element): string {
  const ordered = el.tagName.toUpperCase() === 'OL';
  let n = Number(el.getAttribute('start') ?? 1) || 1;
  const items: string[] = [];
  for (const li of [...el.children]) {
    if (li.tagName.toUpperCase() !== 'LI') continue;
    const marker = ordered ? `${n++}. ` : '- ';
    // Everything under the item's first line (nested lists included) is indented under it.
    const body = tidy([...li.childNodes].map(render).join('')).replace(/\n\n+/g, '\n');
    const [first = '', ...rest] = body.split('\n');
    items.push([`${marker}${first}`, ...rest.map((l) => `${INDENT}${l}`)].join(LINE));
  }
  return items.join(LINE);
}

function table(el: Element): string {
  const rows = [...el.querySelectorAll('tr')].filter((tr) => tr.closest('table') === el);
  const cells = rows.map((tr) => [...tr.children].filter((c) => /^(TD|TH)$/i.test(c.tagName)).map((c) => flat(render(c)).replace(/\|/g, '\\|')));
  const width = Math.max(0, ...cells.map((r) => r.length));
  if (width === 0) return '';
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}
