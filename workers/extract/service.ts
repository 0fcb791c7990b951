import { extractFile } from '../../src/core/rag/extract/extract-file';
import type { ExtractResult } from '../../src/core/rag/extract/extract-error';
import type { ExtractApi } from './api';
import { extractDocx, type MammothLike } from './docx';
import { extractPdf, type PdfJsLike } from './pdf';

/** How the service gets its libraries: lazily, so a worker that only reads DOCX never loads pdf.js. */
export interface ExtractRuntimes {
  pdfjs(): Promise<PdfJsLike>;
  mammoth(): Promise<MammothLike>;
}

export function createExtractService(runtimes: ExtractRuntimes): ExtractApi {
  const pdf = async (bytes: Uint8Array, name: string, onPage?: (done: number, total: number) => void): Promise<ExtractResult> =>
    extractPdf(await runtimes.pdfjs(), bytes, name, onPage ? { onPage } : {});
  const docx = async (bytes: Uint8Array, name: string): Promise<ExtractResult> => extractDocx(await runtimes.mammoth(), bytes, name);
  return {
    pdf,
    docx,
    file: (file, onPage) => extractFile(file, { pdf: (b, n) => pdf(b, n, onPage), docx }),
  };
}
