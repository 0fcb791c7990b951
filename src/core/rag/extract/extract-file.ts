import { toAppError } from '../../errors';
import type { ExtractedDocument } from '../types';
import { fenceCode } from './code';
import { csvToMarkdown } from './csv';
import { decodeText } from './decode-text';
import { detectKind, SNIFF_BYTES, type Detected } from './detect-kind';
import { failed, MAX_FILE_BYTES, MESSAGES, type ExtractResult } from './extract-error';
import { jsonToMarkdown } from './json';
import { isDocx } from './zip-entries';

/** What extraction needs of a file: a DOM File or Blob fits, and so does a test's fake. */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The kinds that need a runtime: PDF and DOCX run in a worker (workers/extract/*), HTML on the
 * main thread (DOMParser; src/ui/knowledge/extract-html.ts). Where one is missing, that kind
 * fails with an internal error naming it.
 */
export interface Extractors {
  pdf?: (bytes: Uint8Array, name: string, signal?: AbortSignal) => Promise<ExtractResult>;
  docx?: (bytes: Uint8Array, name: string, signal?: AbortSignal) => Promise<ExtractResult>;
  /** HTML source → its readable text as markdown. */
  html?: (html: string) => string | Promise<string>;
}

/** Refusals decided by the size alone, before reading: empty files and files over the limit. */
export function precheck(file: { name: string; size: number }): ExtractResult | undefined {
  if (file.size === 0) return failed('empty', MESSAGES.empty(file.name));
  if (file.size > MAX_FILE_BYTES) return failed('too-large', MESSAGES.tooLarge(file.name, file.size));
  return undefined;
}

/** A file → its text. Sizes are checked first, then the kind from the first bytes, then the whole file is read. */
export async function extractFile(file: FileLike, extractors: Extractors, signal?: AbortSignal): Promise<ExtractResult> {
  const refused = precheck(file);
  if (refused) return refused;
  try {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const detected = detectKind(file.name, file.type, head);
    if (!detected.ok) return { ok: false, error: detected.error };
    signal?.throwIfAborted();
    const bytes = new Uint8Array(await file.arrayBuffer());
    return await extractDetected(file.name, detected, bytes, extractors, signal);
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

/** The same for bytes already in memory (e.g. handed to a worker). */
export async function extractBytes(name: string, mime: string, bytes: Uint8Array, extractors: Extractors, signal?: AbortSignal): Promise<ExtractResult> {
  const refused = precheck({ name, size: bytes.length });
  if (refused) return refused;
  const detected = detectKind(name, mime, bytes.subarray(0, SNIFF_BYTES));
  if (!detected.ok) return { ok: false, error: detected.error };
  try {
    return await extractDetected(name, detected, bytes, extractors, signal);
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

async function extractDetected(name: string, d: Detected & { ok: true }, bytes: Uint8Array, ex: Extractors, signal?: AbortSignal): Promise<ExtractResult> {
  const missing = (kind: string): ExtractResult => ({ ok: false, error: { kind: 'internal', message: `Reading ${kind} files is not available here.` } });
  let result: ExtractResult;
  if (d.kind === 'pdf') {
    if (!ex.pdf) return missing('PDF');
    result = await ex.pdf(bytes, name, signal);
  } else if (d.kind === 'docx') {
    if (!isDocx(bytes)) return failed('corrupt', MESSAGES.notDocx(name));
    if (!ex.docx) return missing('Word');
    result = await ex.docx(bytes, name, signal);
  } else {
    const decoded = decodeText(bytes);
    if (!decoded.ok) return failed('binary', MESSAGES.binary(name));
    const text = decoded.text.replace(/\r\n?/g, '\n');
    const warnings = decoded.warning ? [decoded.warning] : [];
    if (d.kind === 'html') {
      if (!ex.html) return missing('HTML');
      result = { ok: true, doc: { text: await ex.html(text) } };
    } else result = { ok: true, doc: textKind(d, text, warnings) };
    if (result.ok && warnings.length > 0) result.doc.warnings = [...warnings, ...(result.doc.warnings ?? []).filter((w) => !warnings.includes(w))];
  }
  if (result.ok && result.doc.text.trim() === '') return failed('blank', MESSAGES.blank(name));
  if (result.ok && result.doc.warnings?.length === 0) delete result.doc.warnings;
  return result;
}

function textKind(d: Detected & { ok: true }, text: string, warnings: string[]): ExtractedDocument {
  switch (d.kind) {
    case 'csv':
      return { text: csvToMarkdown(text, d.delimiter ? { delimiter: d.delimiter } : {}).text, warnings };
    case 'json': {
      const j = jsonToMarkdown(text, { lines: d.lines ?? false });
      if (j.ok) return { text: j.text, warnings };
      return { text, warnings: [...warnings, `Not valid JSON (${j.detail}); indexed as plain text.`] };
    }
    case 'code':
      return { text: text.trim() === '' ? '' : fenceCode(text, d.language ?? ''), warnings };
    default:
      // text and markdown: as they are.
      return { text, warnings };
  }
}
