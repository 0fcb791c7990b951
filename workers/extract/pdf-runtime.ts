/**
 * pdf.js for the extraction worker, in its in-worker mode: we are already off the main thread,
 * so instead of starting a nested worker pdf.js runs its worker code here ("fake worker"), which
 * it does when the worker module is present as globalThis.pdfjsWorker. Both modules load on the
 * first PDF only.
 */
import type { PdfJsLike } from './pdf';

let loading: Promise<PdfJsLike> | undefined;

export function loadPdfJs(): Promise<PdfJsLike> {
  loading ??= (async () => {
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.mjs')]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return pdfjs as unknown as PdfJsLike;
  })();
  return loading;
}
