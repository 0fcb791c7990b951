/**
 * A PDF page's text from the positioned runs pdf.js gives (getTextContent items), in their
 * content order: a change of baseline starts a new line; a gap between lines clearly larger than
 * the line spacing, or a jump back up the page (a new column), starts a paragraph (blank line);
 * a horizontal gap between runs on one line becomes a space; lines set clearly larger than the
 * page's body text become markdown headings. Pure, so it is tested without pdf.js.
 */

/** The fields of a pdf.js TextItem this needs. transform = [a, b, c, d, x, y] (PDF user space, y up). */
export interface PdfTextRun {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL?: boolean;
}

/** A baseline move larger than this share of the font size starts a new line. */
const NEW_LINE = 0.5;
/** A line gap over this multiple of the usual gap on the page is a paragraph break… */
const PARAGRAPH_GAP = 1.3;
/** …and never one under this many font sizes (a superscript, a taller line). */
const MIN_PARAGRAPH = 1.25;
/** The usual gap is taken as at most this many font sizes… */
const MAX_USUAL = 1.5;
/** …and as this many (common leading) when the page has one line. */
const LEADING = 1.2;
/** Lines this much larger than the body text are headings: #, ##, ### (HTML's h1, h2, h3 print at 2, 1.5, 1.17 em). */
const HEADING_1 = 1.8;
const HEADING_2 = 1.4;
const HEADING_3 = 1.15;
/** Longer "headings" are large-print text, not headings. */
const MAX_HEADING = 120;
/** A horizontal gap over this share of the font size between two runs on a line is a space. */
const SPACE_GAP = 0.15;

export function pageTextFromRuns(items: readonly unknown[]): string {
  const lines = linesOf(items.filter(isRun));
  if (lines.length === 0) return '';
  // The page's usual line gap: the median of downward baseline steps, but at most 1.5 font sizes
  // (on a page of one-line paragraphs the median is itself a paragraph gap).
  const steps = lines.slice(1).map((l, i) => lines[i]!.y - l.y).filter((s) => s > 0).sort((a, b) => a - b);
  const median = steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : undefined;
  const body = bodySize(lines);
  const blocks: Array<{ level: number; lines: string[] }> = [];
  lines.forEach((l, i) => {
    const text = l.text.replace(/[ \t]+/g, ' ').trim();
    const level = headingLevel(l.size, body, text);
    let paragraph = i === 0;
    if (i > 0) {
      const prev = lines[i - 1]!;
      const step = prev.y - l.y;
      const size = Math.min(prev.size, l.size);
      const usual = median === undefined ? LEADING * size : Math.min(median, MAX_USUAL * size);
      paragraph = step < 0 || step > Math.max(usual * PARAGRAPH_GAP, MIN_PARAGRAPH * size);
    }
    const last = blocks[blocks.length - 1];
    // A heading is a block of its own; its wrapped lines (same size, no gap) join into one.
    if (last && !paragraph && last.level === level) last.lines.push(text);
    else blocks.push({ level, lines: [text] });
  });
  return blocks
    .map((b) => {
      const heading = b.lines.join(' ');
      return b.level > 0 && heading.length <= MAX_HEADING ? `${'#'.repeat(b.level)} ${heading}` : b.lines.join('\n');
    })
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

interface Line {
  y: number;
  /** The font size most of the line's characters have (a drop cap or superscript does not count). */
  size: number;
  text: string;
}

function linesOf(runs: PdfTextRun[]): Line[] {
  const lines: Line[] = [];
  let cur: { y: number; size: number; text: string; endX: number; chars: Map<number, number> } | undefined;
  const close = () => {
    if (!cur) return;
    let size = cur.size;
    let most = -1;
    for (const [s, n] of cur.chars) if (n > most) [size, most] = [s, n];
    lines.push({ y: cur.y, size, text: cur.text });
  };
  for (const r of runs) {
    const [, , c = 0, d = 0, x = 0, y = 0] = r.transform;
    const size = Math.round((Math.hypot(c, d) || r.height || 10) * 10) / 10;
    // pdf.js emits empty runs to mark line ends; the positions of the next run decide.
    if (r.str === '') continue;
    if (!cur || Math.abs(y - cur.y) > NEW_LINE * Math.min(size, cur.size)) {
      close();
      cur = { y, size, text: r.str, endX: x + r.width, chars: new Map([[size, r.str.length]]) };
      continue;
    }
    const gap = x - cur.endX;
    const needsSpace = gap > SPACE_GAP * size && !/\s$/.test(cur.text) && !/^\s/.test(r.str);
    cur.text += (needsSpace ? ' ' : '') + r.str;
    cur.endX = Math.max(cur.endX, x + r.width);
    cur.size = Math.max(cur.size, size);
    cur.chars.set(size, (cur.chars.get(size) ?? 0) + r.str.length);
  }
  close();
  return lines;
}

/** The page's body text size: the size most of its characters have. */
function bodySize(lines: Line[]): number {
  const chars = new Map<number, number>();
  for (const l of lines) chars.set(l.size, (chars.get(l.size) ?? 0) + l.text.length);
  let body = 0;
  let most = -1;
  for (const [s, n] of chars) if (n > most) [body, most] = [s, n];
  return body;
}

/** Markdown heading level of a line from its size against the body's; 0 for body text. */
function headingLevel(size: number, body: number, text: string): number {
  if (body <= 0 || text.length > MAX_HEADING || !/\p{L}/u.test(text)) return 0;
  const ratio = size / body;
  return ratio >= HEADING_1 ? 1 : ratio >= HEADING_2 ? 2 : ratio >= HEADING_3 ? 3 : 0;
}

function isRun(x: unknown): x is PdfTextRun {
  return typeof x === 'object' && x !== null && typeof (x as PdfTextRun).str === 'string' && Array.isArray((x as PdfTextRun).transform);
}

/** Pages' texts joined with blank lines, with where each page starts, and the pages that had none. */
export function joinPages(pages: readonly string[]): { text: string; pageStarts: number[]; empty: number[] } {
  let text = '';
  const pageStarts: number[] = [];
  const empty: number[] = [];
  pages.forEach((p, i) => {
    if (p.trim() === '') empty.push(i + 1);
    if (text !== '' && p !== '') text += '\n\n';
    pageStarts.push(text.length);
    text += p;
  });
  return { text, pageStarts, empty };
}

/** "Page 3 has" / "Pages 3, 5–7 have" no text layer…, for the document's warnings. */
export function emptyPagesWarning(empty: readonly number[], total: number): string | undefined {
  if (empty.length === 0) return undefined;
  const ranges: string[] = [];
  for (let i = 0; i < empty.length; ) {
    let j = i;
    while (j + 1 < empty.length && empty[j + 1] === empty[j]! + 1) j++;
    ranges.push(i === j ? `${empty[i]}` : `${empty[i]}–${empty[j]}`);
    i = j + 1;
  }
  const which = empty.length === 1 ? `Page ${ranges[0]} has` : `Pages ${ranges.join(', ')} have`;
  return `${which} no text layer (scanned?) and ${empty.length === 1 ? 'was' : 'were'} skipped: ${empty.length} of ${total} pages.`;
}
