/**
 * The HTML mammoth makes of a Word document → markdown. Mammoth writes a small, well-formed
 * subset (h1–h6, p, ul/ol/li, table/tr/td/th, strong/em/a/img/br, sup/sub/s), so a tiny tokenizer
 * is enough and this runs in a worker (no DOMParser there). Its own markdown writer is not used:
 * it escapes every '.', '-' and '(' ("1\.2"), which would pollute search, and inlines images.
 */

interface El {
  tag: string;
  attrs: Record<string, string>;
  children: Array<El | string>;
}

const VOID = new Set(['br', 'img', 'hr']);

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
    const l = e.toLowerCase();
    if (l[0] === '#') return String.fromCodePoint(l[1] === 'x' ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[l] ?? '';
  });
}

export function parseSimpleHtml(html: string): El {
  const root: El = { tag: '#root', attrs: {}, children: [] };
  const stack: El[] = [root];
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)|</g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) top.children.push(decodeEntities(m[5]));
    else if (m[2] === undefined) {
      if (m[0] === '<') top.children.push('<');
    } else if (m[1] === '/') {
      const tag = m[2].toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else {
      const el: El = { tag: m[2].toLowerCase(), attrs: {}, children: [] };
      for (const a of (m[3] ?? '').matchAll(/([^\s=>/]+)(?:="([^"]*)")?/g)) el.attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? '');
      top.children.push(el);
      if (!VOID.has(el.tag) && m[4] !== '/') stack.push(el);
    }
  }
  return root;
}

const BREAK = '\uE000';
const LINE = '\uE001';
const INDENT = '\uE002';

const tidy = (s: string) =>
  s
    .replace(new RegExp(`[ \\t]*${BREAK}[\\s${BREAK}${LINE}]*`, 'g'), '\n\n')
    .replace(new RegExp(`[ \\t]*${LINE}[ \\t]*`, 'g'), '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
const flat = (s: string) => s.replace(new RegExp(`[\\s${BREAK}${LINE}${INDENT}]+`, 'g'), ' ').trim();

function render(n: El | string): string {
  if (typeof n === 'string') return n.replace(/\s+/g, ' ');
  const inner = () => n.children.map(render).join('');
  const h = /^h([1-6])$/.exec(n.tag);
  if (h) return `${BREAK}${'#'.repeat(Number(h[1]))} ${flat(inner())}${BREAK}`;
  switch (n.tag) {
    case 'p':
    case 'div':
      return `${BREAK}${inner()}${BREAK}`;
    case 'br':
      return LINE;
    case 'hr':
      return `${BREAK}---${BREAK}`;
    case 'img':
      return n.attrs['alt'] ?? '';
    case 'ul':
    case 'ol':
      return `${BREAK}${list(n)}${BREAK}`;
    case 'table':
      return `${BREAK}${table(n)}${BREAK}`;
    case 'pre':
      return `${BREAK}\`\`\`\n${text(n)}\n\`\`\`${BREAK}`;
    default:
      return inner();
  }
}

const text = (n: El | string): string => (typeof n === 'string' ? n : n.children.map(text).join(''));

function list(el: El): string {
  let n = 1;
  return el.children
    .filter((c): c is El => typeof c !== 'string' && c.tag === 'li')
    .map((li) => {
      const marker = el.tag === 'ol' ? `${n++}. ` : '- ';
      const [first = '', ...rest] = tidy(li.children.map(render).join('')).replace(/\n\n+/g, '\n').split('\n');
      return [`${marker}${first}`, ...rest.map((l) => `${INDENT}${l}`)].join(LINE);
    })
    .join(LINE);
}

function rowsOf(el: El): El[] {
  return el.children.flatMap((c) => (typeof c === 'string' ? [] : c.tag === 'tr' ? [c] : ['thead', 'tbody', 'tfoot'].includes(c.tag) ? rowsOf(c) : []));
}

function table(el: El): string {
  const cells = rowsOf(el).map((tr) =>
    tr.children.filter((c): c is El => typeof c !== 'string' && (c.tag === 'td' || c.tag === 'th')).map((c) => flat(tidy(c.children.map(render).join(''))).replace(/\|/g, '\\|')),
  );
  const width = Math.max(0, ...cells.map((r) => r.length));
  if (width === 0) return '';
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  const [head = [], ...body] = cells;
  return [line(head), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
}

export function mammothHtmlToMarkdown(html: string): string {
  return tidy(render(parseSimpleHtml(html))).replaceAll(INDENT, '  ');
}
