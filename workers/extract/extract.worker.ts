import * as Comlink from 'comlink';
import { createExtractService } from './service';
import { loadPdfJs } from './pdf-runtime';
import { loadMammoth } from './mammoth-runtime';

/**
 * A worker of its own for extraction. A worker that already runs ingestion (workers/knowledge)
 * can instead call createExtractService({ pdfjs: loadPdfJs, mammoth: loadMammoth }) in place:
 * pdf.js runs in-thread either way.
 */
Comlink.expose(createExtractService({ pdfjs: loadPdfJs, mammoth: loadMammoth }));
