/**
 * Cuts an extracted document into chunks for embedding and keyword search: by structure first,
 * then by size with overlap.
 *
 * 1. Blocks: markdown headings, fenced code blocks, tables (consecutive `|` rows) and paragraphs.
 *    Every character belongs to exactly one block (blank lines go with the block before them).
 * 2. Sections: a heading starts a new one; no chunk spans two sections, and each chunk carries
 *    the heading path of its section. A heading with nothing under it joins the next section.
 * 3. Pieces: a block that fits stays whole (code and tables when they fit in `size`, other
 *    blocks when they fit in `size - overlap`); a longer one is cut at sentences (code and tables:
 *    at lines, so never mid-row), then at words, then anywhere but inside a surrogate pair.
 * 4. Packing: pieces are added to a chunk while it stays within `size`. The next chunk of the
 *    same section starts up to `overlap` characters back, at a word start inside the previous
 *    chunk's new text (or on a code point boundary when that text has no spaces, as in CJK).
 *
 * Chunks' [start, end) offsets slice `doc.text` back to their text, and together they cover
 * every character of a document that has any non-space text. Deterministic: the same input
 * always gives the same chunks.
 */

import type { ChunkOptions, ChunkText, ExtractedDocument } from './types';

type Kind = 'heading' | 'code' | 'table' | 'text';
type Level = 'sentence' | 'line' | 'word' | 'char';

interface Block {
  kind: Kind;
  start: number;
  end: number;
  /** Headings only: 1–6 and the title text. */
  level?: number;
  title?: string;
}

interface Section {
  start: number;
  end: number;
  headings: string[];
  blocks: Block[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const TABLE_ROW = /^\s*\|/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const BLANK = /^\s*$/;
/** After a sentence end (with closing quotes/brackets) and its spaces, after CJK full stops, after a newline. */
const SENTENCE_END = /[.!?…]+["'”’)\]]*\s+|[。！？]+\s*|\n+/g;
const LINE_END = /\n+/g;

function lineEndAt(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i === -1 ? text.length : i;
}

/** The blocks of `text`, tiling it from 0 to its length. */
function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const n = text.length;
  let i = 0;
  const startsBlock = (line: string): boolean => FENCE.test(line) || HEADING.test(line) || TABLE_ROW.test(line);
  while (i < n) {
    let le = lineEndAt(text, i);
    const line = text.slice(i, le);
    if (BLANK.test(line)) {
      i = le + 1;
      continue;
    }
    const start = i;
    const fence = FENCE.exec(line);
    const heading = fence ? null : HEADING.exec(line);
    if (fence) {
      const mark = fence[1]!;
      const close = new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}\\s*$`);
      let j = le + 1;
      let end = n;
      while (j < n) {
        const je = lineEndAt(text, j);
        if (close.test(text.slice(j, je))) {
          end = je;
          break;
        }
        j = je + 1;
      }
      blocks.push({ kind: 'code', start, end });
      i = end + 1;
    } else if (heading) {
      const title = (heading[2] ?? '').replace(/[ \t]+#+$/, '').replace(/^#+$/, '').trim();
      blocks.push({ kind: 'heading', start, end: le, level: heading[1]!.length, title });
      i = le + 1;
    } else if (TABLE_ROW.test(line) || (line.includes('|') && TABLE_RULE.test(text.slice(le + 1, lineEndAt(text, le + 1))) && le < n)) {
      let end = le;
      let j = le + 1;
      while (j < n) {
        const je = lineEndAt(text, j);
        const l = text.slice(j, je);
        if (BLANK.test(l) || !l.includes('|')) break;
        end = je;
        j = je + 1;
      }
      blocks.push({ kind: 'table', start, end });
      i = end + 1;
    } else {
      let end = le;
      let j = le + 1;
      while (j < n) {
        const je = lineEndAt(text, j);
        const l = text.slice(j, je);
        if (BLANK.test(l) || startsBlock(l)) break;
        end = je;
        j = je + 1;
      }
      le = end;
      blocks.push({ kind: 'text', start, end: le });
      i = le + 1;
    }
  }
  // Tile: leading space joins the first block, each gap joins the block before it.
  for (let b = 0; b < blocks.length; b++) blocks[b]!.end = b + 1 < blocks.length ? blocks[b + 1]!.start : n;
  if (blocks.length > 0) blocks[0]!.start = 0;
  return blocks;
}

function sectionsOf(blocks: Block[]): Section[] {
  const sections: Section[] = [];
  const stack: Array<{ level: number; title: string }> = [];
  let cur: Section | null = null;
  for (const b of blocks) {
    if (b.kind === 'heading') {
      while (stack.length > 0 && stack[stack.length - 1]!.level >= b.level!) stack.pop();
      stack.push({ level: b.level!, title: b.title! });
      const headings = stack.map((h) => h.title);
      // A heading with nothing under it joins the next section (whose path then includes it when nested).
      if (cur && cur.blocks.length === 1 && cur.blocks[0]!.kind === 'heading') {
        cur.blocks.push(b);
        cur.end = b.end;
        cur.headings = headings;
        continue;
      }
      cur = { start: b.start, end: b.end, headings, blocks: [b] };
      sections.push(cur);
    } else {
      if (!cur) {
        cur = { start: b.start, end: b.end, headings: [], blocks: [] };
        sections.push(cur);
      }
      cur.blocks.push(b);
      cur.end = b.end;
    }
  }
  return sections;
}

const LEVELS: Record<Kind, Level[]> = {
  text: ['sentence', 'word', 'char'],
  heading: ['word', 'char'],
  code: ['line', 'word', 'char'],
  table: ['line', 'word', 'char'],
};

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** `pos`, or one after when it would fall between the halves of a surrogate pair. */
function codePointBoundary(text: string, pos: number): number {
  return pos > 0 && pos < text.length && isLowSurrogate(text.charCodeAt(pos)) && isHighSurrogate(text.charCodeAt(pos - 1)) ? pos + 1 : pos;
}

/** Cut positions strictly inside (start, end), after each match of `re` (searched in the span only). */
function cutsOf(text: string, start: number, end: number, re: RegExp): number[] {
  const cuts: number[] = [];
  const span = text.slice(start, end);
  re.lastIndex = 0;
  for (let m = re.exec(span); m !== null; m = re.exec(span)) {
    const at = start + m.index + m[0].length;
    if (at > start && at < end && at !== cuts[cuts.length - 1]) cuts.push(at);
    if (m[0].length === 0) re.lastIndex++;
  }
  return cuts;
}

/** Cut positions strictly inside (start, end) where a run of spaces ends (a plain loop: words are the most numerous cuts). */
function wordCuts(text: string, start: number, end: number): number[] {
  const cuts: number[] = [];
  let prevSpace = false;
  for (let i = start; i < end; i++) {
    const space = isSpace(text, i);
    if (prevSpace && !space && i > start) cuts.push(i);
    prevSpace = space;
  }
  return cuts;
}

/** Appends to `out` the end offsets of pieces of [start, end), each at most `max` long where it can be. */
function splitSpan(text: string, start: number, end: number, levels: readonly Level[], li: number, max: number, out: number[]): void {
  if (end - start <= max) {
    out.push(end);
    return;
  }
  const level = levels[li]!;
  if (level === 'char') {
    let s = start;
    while (end - s > max) {
      let cut = codePointBoundary(text, s + max);
      // max = 1 and a surrogate pair: the pair is one unsplittable piece of 2.
      if (cut <= s) cut = s + 1;
      out.push(cut);
      s = cut;
    }
    if (s < end) out.push(end);
    return;
  }
  const cuts = level === 'word' ? wordCuts(text, start, end) : cutsOf(text, start, end, level === 'sentence' ? SENTENCE_END : LINE_END);
  let s = start;
  for (const c of [...cuts, end]) {
    splitSpan(text, s, c, levels, li + 1, max, out);
    s = c;
  }
}

function isSpace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c > 127 && /\s/.test(text[i]!));
}

/** Where the next chunk starts: up to `want` characters before `end`, not before `floor`. */
function overlapStart(text: string, floor: number, end: number, want: number): number {
  if (want <= 0) return end;
  const lo = Math.max(floor, end - want);
  let anySpace = false;
  for (let p = lo; p < end; p++) {
    if (isSpace(text, p)) {
      anySpace = true;
      continue;
    }
    if (p === 0 || isSpace(text, p - 1)) return p;
  }
  if (anySpace) return end;
  const p = codePointBoundary(text, lo);
  return p < end ? p : end;
}

function pageAt(pageStarts: readonly number[] | undefined, pos: number): number | undefined {
  if (!pageStarts || pageStarts.length === 0) return undefined;
  let lo = 0;
  let hi = pageStarts.length - 1;
  if (pos < pageStarts[0]!) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pageStarts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Validated options: a positive integer size, an overlap of at most half of it. */
export function normalizeChunkOptions(opts: ChunkOptions): ChunkOptions {
  const size = Math.max(1, Math.floor(Number.isFinite(opts.size) ? opts.size : 1));
  const overlap = Math.min(Math.floor(size / 2), Math.max(0, Math.floor(Number.isFinite(opts.overlap) ? opts.overlap : 0)));
  return { size, overlap };
}

export function chunkDocument(doc: ExtractedDocument, options: ChunkOptions): ChunkText[] {
  const { text } = doc;
  if (BLANK.test(text)) return [];
  const { size, overlap } = normalizeChunkOptions(options);
  const chunks: ChunkText[] = [];
  for (const section of sectionsOf(parseBlocks(text))) {
    // Piece ends, and for each piece whether it is a whole code block or table (kept whole when ≤ size).
    const ends: number[] = [];
    for (const b of section.blocks) {
      const whole = (b.kind === 'code' || b.kind === 'table') && b.end - b.start <= size;
      splitSpan(text, b.start, b.end, LEVELS[b.kind], 0, whole ? size : Math.max(1, size - overlap), ends);
    }
    let start = section.start;
    let core = section.start;
    let end = section.start;
    const emit = (): void => {
      let first = core;
      while (first < end && isSpace(text, first)) first++;
      const page = pageAt(doc.pageStarts, first < end ? first : core);
      const chunk: ChunkText = { index: chunks.length, text: text.slice(start, end), start, end, headings: [...section.headings] };
      if (page !== undefined) chunk.page = page;
      chunks.push(chunk);
    };
    for (const pieceEnd of ends) {
      if (pieceEnd - start <= size || end === core) {
        end = pieceEnd;
        continue;
      }
      emit();
      const len = pieceEnd - end;
      start = overlapStart(text, core, end, Math.min(overlap, size - len));
      core = end;
      end = pieceEnd;
    }
    if (end > core) emit();
  }
  return chunks;
}
