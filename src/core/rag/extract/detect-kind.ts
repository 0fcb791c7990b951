import { extractError, MESSAGES } from './extract-error';
import type { AppError } from '../../errors';
import { codeLanguageOf } from './code';

export type FileKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'csv' | 'json' | 'code';

/** A kind we read (with the fence language for code, the delimiter hint for .tsv), or why not. */
export type Detected =
  | { ok: true; kind: FileKind; language?: string; delimiter?: string; lines?: boolean }
  | { ok: false; kind: 'unsupported'; error: AppError };

/** How many leading bytes detectKind needs to see (PDF allows junk before %PDF in the first 1,024). */
export const SNIFF_BYTES = 1024;

const BY_EXTENSION: Readonly<Record<string, FileKind>> = {
  txt: 'text', text: 'text', log: 'text', rst: 'text', org: 'text', adoc: 'text', asciidoc: 'text', nfo: 'text',
  md: 'markdown', markdown: 'markdown', mdown: 'markdown', mkd: 'markdown', mdx: 'markdown',
  html: 'html', htm: 'html', xhtml: 'html',
  pdf: 'pdf', docx: 'docx',
  csv: 'csv', tsv: 'csv',
  json: 'json', jsonl: 'json', ndjson: 'json', geojson: 'json', ipynb: 'json',
};

const BY_MIME: Readonly<Record<string, FileKind>> = {
  'text/plain': 'text', 'text/markdown': 'markdown', 'text/x-markdown': 'markdown', 'text/html': 'html', 'application/xhtml+xml': 'html',
  'application/pdf': 'pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/csv': 'csv', 'text/tab-separated-values': 'csv', 'application/json': 'json', 'application/x-ndjson': 'json',
};

const BY_MIME_DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What we say about formats people often try, instead of a bare "not supported". */
const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  doc: 'old Word .doc files (save it as .docx)', rtf: 'RTF files (save it as .docx)', odt: 'OpenDocument .odt files (save it as .docx)',
  xls: 'Excel files (save the sheet as .csv)', xlsx: 'Excel files (save the sheet as .csv)', ods: 'spreadsheets (save the sheet as .csv)',
  ppt: 'PowerPoint files (save it as PDF)', pptx: 'PowerPoint files (save it as PDF)', epub: 'EPUB books',
  zip: 'zip archives (unpack it and add the files)', gz: 'compressed archives', tar: 'archives', '7z': 'archives', rar: 'archives',
  png: 'images', jpg: 'images', jpeg: 'images', gif: 'images', webp: 'images', heic: 'images', bmp: 'images', tif: 'images', tiff: 'images',
  mp3: 'audio files', wav: 'audio files', m4a: 'audio files', mp4: 'videos', mov: 'videos', webm: 'videos', exe: 'programs', dll: 'programs',
};

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
/** Content that is surely not text, by its first bytes: [signature, what it is]. */
const BINARY_MAGIC: ReadonlyArray<[readonly number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'images'], [[0xff, 0xd8, 0xff], 'images'], [[0x47, 0x49, 0x46, 0x38], 'images'],
  [[0x1f, 0x8b], 'compressed archives'], [[0x37, 0x7a, 0xbc, 0xaf], 'archives'], [[0x52, 0x61, 0x72, 0x21], 'archives'],
  [OLE_MAGIC, 'old Office files (.doc, .xls, .ppt: save it as .docx, .csv or PDF)'], [[0x7f, 0x45, 0x4c, 0x46], 'programs'], [[0x4d, 0x5a], 'programs'],
];

/** Whether %PDF- appears in the first 1,024 bytes (where the PDF spec and readers allow it). */
export function hasPdfMagic(firstBytes: Uint8Array): boolean {
  const end = Math.min(firstBytes.length, SNIFF_BYTES) - PDF_MAGIC.length;
  for (let i = 0; i <= end; i++) if (startsWith(firstBytes, PDF_MAGIC, i)) return true;
  return false;
}

export const hasZipMagic = (firstBytes: Uint8Array): boolean => startsWith(firstBytes, ZIP_MAGIC);

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * The kind of a file from its name, MIME type and first bytes (SNIFF_BYTES of them). The content's
 * magic bytes win over the name: a PDF named .txt is read as a PDF, a ".pdf" without %PDF is
 * refused as corrupt, a ".docx" must be a zip (that it holds a Word body is checked once
 * the whole file is read, see isDocx). Text-ness of text kinds is checked when decoding.
 */
export function detectKind(name: string, mime: string, firstBytes: Uint8Array): Detected {
  const ext = extensionOf(name);
  const unsupported = (what: string): Detected => ({ ok: false, kind: 'unsupported', error: extractError('unsupported', MESSAGES.unsupported(name, what)) });
  if (hasPdfMagic(firstBytes)) return { ok: true, kind: 'pdf' };
  if (ext === 'pdf') return { ok: false, kind: 'unsupported', error: extractError('corrupt', MESSAGES.notPdf(name)) };
  if (hasZipMagic(firstBytes)) {
    // A zip under any name may be a Word document (e.g. downloaded without its extension).
    if (ext === 'docx' || ext === '' || mime === BY_MIME_DOCX) return { ok: true, kind: 'docx' };
    return unsupported(KNOWN_UNSUPPORTED[ext] ?? 'zip archives (unpack it and add the files)');
  }
  // An encrypted .docx is not a zip but an OLE container (the same as an old .doc).
  if (ext === 'docx' && startsWith(firstBytes, OLE_MAGIC)) return { ok: false, kind: 'unsupported', error: extractError('password', MESSAGES.password(name)) };
  if (ext === 'docx') return { ok: false, kind: 'unsupported', error: extractError('corrupt', MESSAGES.notDocx(name)) };
  for (const [sig, what] of BINARY_MAGIC) if (startsWith(firstBytes, sig)) return unsupported(what);
  const known = BY_EXTENSION[ext];
  if (known === 'csv') return ext === 'tsv' ? { ok: true, kind: 'csv', delimiter: '\t' } : { ok: true, kind: 'csv' };
  if (known === 'json') return ext === 'jsonl' || ext === 'ndjson' ? { ok: true, kind: 'json', lines: true } : { ok: true, kind: 'json' };
  if (known) return { ok: true, kind: known };
  const language = codeLanguageOf(name);
  if (language) return { ok: true, kind: 'code', language };
  const what = KNOWN_UNSUPPORTED[ext];
  if (what) return unsupported(what);
  const bare = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  const byMime = BY_MIME[bare];
  if (byMime && byMime !== 'pdf' && byMime !== 'docx') return { ok: true, kind: byMime };
  // No extension (README, LICENSE, NOTES) or a text/* type: text, if decoding agrees.
  if (ext === '' || bare.startsWith('text/')) return { ok: true, kind: 'text' };
  return unsupported(`.${ext} files`);
}
