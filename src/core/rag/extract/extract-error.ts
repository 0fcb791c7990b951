import { appError, type AppError } from '../../errors';
import type { ExtractedDocument } from '../types';

/**
 * Why a file could not be read, as a machine-readable `code` on an AppError (kind 'invalid'):
 * the UI shows `message`; tests and the ingest pipeline branch on `code`.
 */
export type ExtractErrorCode =
  | 'empty' // 0 bytes
  | 'blank' // only whitespace
  | 'too-large' // over MAX_FILE_BYTES, refused before reading
  | 'unsupported' // a kind we do not read (extension or content)
  | 'corrupt' // the content is not what the name says, or is damaged
  | 'binary' // not text
  | 'no-text' // a PDF with no text layer at all
  | 'password'; // an encrypted PDF or DOCX

export type ExtractResult = { ok: true; doc: ExtractedDocument } | { ok: false; error: AppError };

/** Files larger than this are refused from their size alone, before a byte is read. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export function extractError(code: ExtractErrorCode, message: string, detail?: string): AppError {
  return appError('invalid', message, detail === undefined ? { code } : { code, detail });
}

export function failed(code: ExtractErrorCode, message: string, detail?: string): ExtractResult {
  return { ok: false, error: extractError(code, message, detail) };
}

/** The user-facing messages, one place, so the UI and tests agree. `name` is the file's name. */
export const MESSAGES = {
  empty: (name: string) => `"${name}" is empty (0 bytes): there is nothing to index.`,
  blank: (name: string) => `"${name}" has no text (only blank space): there is nothing to index.`,
  tooLarge: (name: string, bytes: number) =>
    `"${name}" is ${(bytes / 1024 / 1024).toFixed(0)} MB: files over ${MAX_FILE_BYTES / 1024 / 1024} MB are not accepted. Split it into smaller files.`,
  unsupported: (name: string, what: string) =>
    `"${name}": ${what} are not supported. Add text, Markdown, HTML, PDF, Word (.docx), CSV, JSON or source code files.`,
  notPdf: (name: string) => `"${name}" is corrupt or not a PDF (it does not start with %PDF).`,
  corruptPdf: (name: string) => `"${name}" is a damaged PDF that could not be read.`,
  notDocx: (name: string) => `"${name}" is corrupt or not a Word document (a .docx file is a zip archive holding the Word body).`,
  binary: (name: string) => `"${name}" looks like a binary file, not text: it cannot be indexed.`,
  noTextLayer: (name: string) =>
    `This PDF has no text layer (scanned pages?): "${name}" holds only images, and Parley does not read text from images (no OCR). Run it through OCR first (e.g. ocrmypdf) and add the result.`,
  password: (name: string) => `"${name}" is password-protected: open it, save a copy without the password and add that.`,
} as const;
