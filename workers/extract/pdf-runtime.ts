/**
 * pdf.js for the extraction worker, in its in-worker mode: we are already off the main thread,
 * so instead of starting a nested worker pdf.js runs its worker code here ("fake worker"), which
 * it does when the worker module is present as globalThis.pdfjsWorker. Both modules load on the
 * first PDF only.
 *
 * CMaps: CJK text in fonts that use a predefined CMap (UniJIS-UCS2-H, UniGB-UCS2-H, …) cannot be
 * decoded without pdf.js's CMap files; without them such a PDF looks like it has no text at all.
 * Vite emits each of the 169 .bcmap files as an asset (1.7 MB in all, not precached: they are
 * fetched, a few KB each, only when a PDF names one), and this factory hands them to pdf.js.
 */
import type { PdfJsLike, PdfSource } from './pdf';

const CMAP_DIR = '../../node_modules/pdfjs-dist/cmaps/';
/** file path → built asset URL. Eager: a map of strings, not 169 lazy chunks. */
const CMAPS = import.meta.glob('../../node_modules/pdfjs-dist/cmaps/*.bcmap', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** pdf.js's BinaryDataFactory contract: fetch({ kind, filename }) → bytes. Only CMaps are served. */
class BundledCMaps {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const url = kind === 'cMapUrl' ? CMAPS[CMAP_DIR + filename] : undefined;
    if (!url) throw new Error(`pdf.js asked for ${kind} data "${filename}", which is not bundled`);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`CMap ${filename}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}

let loading: Promise<PdfJsLike> | undefined;

export function loadPdfJs(): Promise<PdfJsLike> {
  loading ??= (async () => {
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.mjs')]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    const lib = pdfjs as unknown as PdfJsLike;
    // useWorkerFetch false: CMaps come through the factory (and pdf.js does not probe `document`, absent in a worker).
    return { getDocument: (src: PdfSource) => lib.getDocument({ ...src, BinaryDataFactory: BundledCMaps, cMapPacked: true, useWorkerFetch: false }) };
  })();
  return loading;
}
