/**
 * PDF → text with pdf.js: each page's text runs laid out into lines and paragraphs
 * (src/core/rag/extract/pdf-layout.ts), pages joined with their start offsets. A PDF without any
 * text is refused with a message saying so (no OCR here); some pages without text only warn.
 * pdf.js comes in as a parameter: the browser worker passes the modern build in its in-worker
 * mode (pdf-runtime.ts), node tests pass the legacy build.
 */
import { appError } from '../../src/core/errors';
import { failed, MESSAGES, type ExtractResult } from '../../src/core/rag/extract/extract-error';
import { emptyPagesWarning, joinPages, pageTextFromRuns } from '../../src/core/rag/extract/pdf-layout';

/** The part of pdf.js's API used here (a structural subset of pdfjs-dist's types). */
export interface PdfJsLike {
  getDocument(src: PdfSource): { promise: Promise<PdfDocLike>; destroy(): Promise<void> };
}
export interface PdfSource {
  data: Uint8Array;
  isEvalSupported?: boolean;
  disableFontFace?: boolean;
  useSystemFonts?: boolean;
  stopAtErrors?: boolean;
  verbosity?: number;
  /** Runtime-specific extras (e.g. where CMaps come from), set by the runtime's wrapper. */
  [option: string]: unknown;
}
interface PdfDocLike {
  numPages: number;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup(): unknown }>;
  destroy(): Promise<void>;
}

export interface PdfOptions {
  signal?: AbortSignal;
  /** Called after each page, with pages done and the total. */
  onPage?: (done: number, total: number) => void;
}

/** `bytes` may be handed over to pdf.js (detached); pass a copy if you need them after. */
export async function extractPdf(pdfjs: PdfJsLike, bytes: Uint8Array, name: string, options: PdfOptions = {}): Promise<ExtractResult> {
  const { signal, onPage } = options;
  // No eval (CSP), no fonts for the page (we only read text), errors from a damaged page tolerated.
  const task = pdfjs.getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false, verbosity: 0 });
  let doc: PdfDocLike;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const e = err as { name?: string; message?: string };
    if (e?.name === 'PasswordException') return failed('password', MESSAGES.password(name), e.message);
    return failed('corrupt', MESSAGES.corruptPdf(name), `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`);
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      if (signal?.aborted) return { ok: false, error: appError('aborted', 'Stopped.') };
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageTextFromRuns(content.items));
      page.cleanup();
      onPage?.(n, doc.numPages);
    }
    const { text, pageStarts, empty } = joinPages(pages);
    if (text.trim() === '') return failed('no-text', MESSAGES.noTextLayer(name));
    const warning = emptyPagesWarning(empty, pages.length);
    return { ok: true, doc: warning ? { text, pageStarts, warnings: [warning] } : { text, pageStarts } };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return failed('corrupt', MESSAGES.corruptPdf(name), `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}
