import type { ExtractResult } from '../../src/core/rag/extract/extract-error';

/**
 * The extraction worker's surface (workers/extract/extract.worker.ts). PDF and DOCX need their
 * libraries, which load on first use, inside this worker only. HTML is not here: it needs
 * DOMParser, so the main thread runs src/ui/knowledge/extract-html.ts.
 * Bytes are best sent with Comlink.transfer (they are not used after).
 */
export interface ExtractApi {
  pdf(bytes: Uint8Array, name: string, onPage?: (done: number, total: number) => void): Promise<ExtractResult>;
  docx(bytes: Uint8Array, name: string): Promise<ExtractResult>;
  /** Any kind but HTML, from a File (read here, so the bytes never cross the bridge). */
  file(file: File, onPage?: (done: number, total: number) => void): Promise<ExtractResult>;
}
