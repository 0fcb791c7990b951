/**
 * pdf.js and mammoth for node tests and the bench: pdf.js's legacy build (the modern one needs
 * newer Node APIs), in the same in-thread mode the browser worker uses.
 */
import { fileURLToPath } from 'node:url';
import type { PdfJsLike, PdfSource } from './pdf';
import type { MammothLike } from './docx';

export async function nodePdfJs(): Promise<PdfJsLike> {
  const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.mjs')]);
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
  const lib = pdfjs as unknown as PdfJsLike;
  // In node pdf.js reads CMaps from a folder (the browser runtime bundles them).
  const cMapUrl = fileURLToPath(new URL('../../node_modules/pdfjs-dist/cmaps/', import.meta.url));
  return { getDocument: (src: PdfSource) => lib.getDocument({ ...src, cMapUrl, cMapPacked: true }) };
}

/** mammoth's node build reads `{ buffer }` where its browser build (the one bundled) reads `{ arrayBuffer }`. */
export async function nodeMammoth(): Promise<MammothLike> {
  type NodeMammoth = Omit<MammothLike, 'convertToHtml'> & { convertToHtml(input: { buffer: Buffer }, options?: object): ReturnType<MammothLike['convertToHtml']> };
  const imported = (await import('mammoth')) as { default?: NodeMammoth };
  const m = imported.default ?? (imported as unknown as NodeMammoth);
  return { images: m.images, convertToHtml: (input, options) => m.convertToHtml({ buffer: Buffer.from(input.arrayBuffer) }, options) };
}
