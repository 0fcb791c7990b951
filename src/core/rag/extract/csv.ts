/**
 * CSV → markdown tables. Rows go in groups, each a table of its own with the header repeated,
 * separated by blank lines: the chunker splits at blank lines, so every chunk stays a readable
 * table whose columns are named. Parsing follows RFC 4180 (quoted fields with "" escapes and line
 * breaks inside quotes); the delimiter (comma, semicolon, tab, pipe) is sniffed unless given.
 */

export interface CsvOptions {
  delimiter?: string;
  /** A group closes once its text reaches this many characters (or MAX_GROUP_ROWS rows). */
  groupChars?: number;
}

const DEFAULT_GROUP_CHARS = 800;
const MAX_GROUP_ROWS = 50;
const CANDIDATES = [',', ';', '\t', '|'] as const;

/** RFC 4180 records. A lone CR or LF ends a record too; a trailing line break adds none. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The delimiter whose field count is most consistent (and > 1) over the first lines; comma when
 * none splits anything.
 */
export function sniffDelimiter(text: string): string {
  const head = text.slice(0, 16_384);
  let best: string = ',';
  let bestScore = 0;
  for (const d of CANDIDATES) {
    const rows = parseCsv(head, d).slice(0, 20);
    if (rows.length > 1 && head.length === 16_384) rows.pop(); // possibly cut mid-row
    const counts = rows.filter((r) => r.length > 1 || r[0] !== '').map((r) => r.length);
    if (counts.length === 0) continue;
    const first = counts[0]!;
    if (first < 2) continue;
    const same = counts.filter((c) => c === first).length / counts.length;
    const score = same * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

const cell = (s: string) => s.replace(/\r\n|\r|\n/g, ' ').replace(/\|/g, '\\|').trim();

/** The markdown text of a CSV file, plus how many data rows it had. */
export function csvToMarkdown(text: string, options: CsvOptions = {}): { text: string; rows: number } {
  const delimiter = options.delimiter ?? sniffDelimiter(text);
  const groupChars = options.groupChars ?? DEFAULT_GROUP_CHARS;
  const records = parseCsv(text, delimiter).filter((r) => r.some((f) => f.trim() !== ''));
  if (records.length === 0) return { text: '', rows: 0 };
  const width = Math.max(...records.map((r) => r.length));
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => cell(r[i] ?? '')).join(' | ')} |`;
  const headerCells = records[0]!.map((h, i) => h.trim() || `column ${i + 1}`);
  const header = `${line(headerCells)}\n|${' --- |'.repeat(width)}`;
  const data = records.slice(1);
  if (data.length === 0) return { text: header, rows: 0 };
  const groups: string[] = [];
  let group: string[] = [];
  let size = header.length;
  for (const r of data) {
    const l = line(r);
    if (group.length > 0 && (size + l.length + 1 > groupChars || group.length >= MAX_GROUP_ROWS)) {
      groups.push(`${header}\n${group.join('\n')}`);
      group = [];
      size = header.length;
    }
    group.push(l);
    size += l.length + 1;
  }
  groups.push(`${header}\n${group.join('\n')}`);
  return { text: groups.join('\n\n'), rows: data.length };
}
