import type { ChunkOptions, ChunkText, Embedder, ExtractedDocument } from './types';

/** Test doubles for the ingestion ports (used by the ingest and store tests only). */

/** Fixed-size pieces with overlap: enough of a chunker to drive the pipeline (the real one is chunk.ts). */
export function simpleChunk(doc: ExtractedDocument, opts: ChunkOptions): ChunkText[] {
  const out: ChunkText[] = [];
  const step = opts.size - opts.overlap;
  for (let start = 0; start < doc.text.length; start += step) {
    const end = Math.min(doc.text.length, start + opts.size);
    out.push({ index: out.length, text: doc.text.slice(start, end), start, end, headings: [] });
    if (end === doc.text.length) break;
  }
  return out;
}

/** A deterministic embedder: each text's vector comes from its characters, normalized. */
export class FakeEmbedder implements Embedder {
  calls: string[][] = [];
  /** Called before answering call number `n` (0-based); may throw or never resolve. */
  hook?: (n: number) => Promise<void> | void;
  constructor(
    readonly id = 'fake:a',
    readonly dims = 8,
    readonly maxBatch = 3,
  ) {}
  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const n = this.calls.length;
    this.calls.push(texts);
    await this.hook?.(n);
    signal?.throwIfAborted();
    return texts.map((t) => {
      const v = new Float32Array(this.dims);
      for (let i = 0; i < t.length; i++) v[i % this.dims]! += t.charCodeAt(i) * (this.id === 'fake:a' ? 1 : -1);
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    });
  }
}

export const TEXT = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} of the test text.`).join(' ');
export const OPTS: ChunkOptions = { size: 100, overlap: 20 };
export const EXPECTED = simpleChunk({ text: TEXT }, OPTS).length;

