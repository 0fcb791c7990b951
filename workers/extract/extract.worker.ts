import * as Comlink from 'comlink';
import { createExtractService } from './service';
import { loadPdfJs } from './pdf-runtime';
import type { MammothLike } from './docx';

// mammoth's browser build (its package maps node-only modules away); loaded on the first DOCX.
const loadMammoth = async (): Promise<MammothLike> => ((await import('mammoth')) as { default?: MammothLike }).default ?? ((await import('mammoth')) as unknown as MammothLike);

Comlink.expose(createExtractService({ pdfjs: loadPdfJs, mammoth: loadMammoth }));
