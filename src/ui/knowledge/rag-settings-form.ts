import type { RagEngine, RagLocalDtype, RagSettings } from '../../core/rag/settings';

/** The Knowledge settings form as typed (strings, as inputs hold them). */
export interface RagForm {
  engine: RagEngine;
  model: string;
  connectionId: string;
  localBaseUrl: string;
  localDtype: RagLocalDtype;
  chunkSize: string;
  chunkOverlap: string;
  topK: string;
  hybridWeight: string;
  fullContextChars: string;
  template: string;
}

export type RagFormErrors = Partial<Record<keyof RagForm, string>>;

export function toForm(s: RagSettings): RagForm {
  return {
    engine: s.engine,
    model: s.model,
    connectionId: s.connectionId,
    localBaseUrl: s.localBaseUrl,
    localDtype: s.localDtype,
    chunkSize: String(s.chunkSize),
    chunkOverlap: String(s.chunkOverlap),
    topK: String(s.topK),
    hybridWeight: String(s.hybridWeight),
    fullContextChars: String(s.fullContextChars),
    template: s.template,
  };
}

const intIn = (v: string, min: number, max: number): number | null => {
  const t = v.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
};

/**
 * The settings from the form, or a message per field that is wrong (ranges as
 * src/core/rag/settings.ts accepts them). `connections` are the ids usable for the chosen engine.
 */
export function readForm(f: RagForm, connections: readonly string[]): { ok: true; settings: RagSettings } | { ok: false; errors: RagFormErrors } {
  const errors: RagFormErrors = {};
  const model = f.model.trim();
  if (!model) errors.model = f.engine === 'local' ? 'Enter the model id, e.g. Xenova/all-MiniLM-L6-v2.' : 'Enter the embedding model the server offers, e.g. text-embedding-3-small or nomic-embed-text.';
  if (f.engine !== 'local' && !connections.includes(f.connectionId)) {
    errors.connectionId = connections.length === 0
      ? `Add an ${f.engine === 'ollama' ? 'Ollama' : 'OpenAI-compatible'} connection first (Settings › Connections).`
      : 'Choose the connection the embeddings go through.';
  }
  const base = f.localBaseUrl.trim();
  if (f.engine === 'local' && base !== '') {
    let url: URL | null = null;
    try {
      url = new URL(base);
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol)) errors.localBaseUrl = 'Enter an http(s) address, e.g. https://huggingface.co/, or leave it empty to use only imported files.';
  }
  const chunkSize = intIn(f.chunkSize, 50, 100_000);
  if (chunkSize === null) errors.chunkSize = 'A whole number of characters from 50 to 100,000.';
  const chunkOverlap = intIn(f.chunkOverlap, 0, 50_000);
  if (chunkOverlap === null) errors.chunkOverlap = 'A whole number of characters from 0.';
  else if (chunkSize !== null && chunkOverlap >= chunkSize) errors.chunkOverlap = 'The overlap must be smaller than the chunk size.';
  const topK = intIn(f.topK, 1, 100);
  if (topK === null) errors.topK = 'A whole number of passages from 1 to 100.';
  const w = f.hybridWeight.trim() === '' ? NaN : Number(f.hybridWeight.trim());
  if (!(w >= 0 && w <= 1)) errors.hybridWeight = 'A number from 0 (keywords only) to 1 (meaning only).';
  const full = intIn(f.fullContextChars, 0, 10_000_000);
  if (full === null) errors.fullContextChars = 'A whole number of characters (0 = always search).';
  const template = f.template.trim() === '' ? '' : f.template;
  if (template && !/\{\{CONTEXT\}\}|\[context\]/.test(template)) errors.template = 'The template needs {{CONTEXT}} where the passages go (and {{QUERY}} for the question).';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      engine: f.engine,
      model,
      connectionId: f.engine === 'local' ? '' : f.connectionId,
      localBaseUrl: base === '' || base.endsWith('/') ? base : `${base}/`,
      localDtype: f.localDtype,
      chunkSize: chunkSize!,
      chunkOverlap: chunkOverlap!,
      topK: topK!,
      hybridWeight: w,
      fullContextChars: full!,
      template,
    },
  };
}
