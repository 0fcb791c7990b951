import type { DocumentRecord } from '../../core/rag/schema';

/** What a document row shows: the test ids' four statuses, a percentage and a line of text. */
export type DocViewStatus = 'queued' | 'indexing' | 'ready' | 'error';

export interface DocView {
  status: DocViewStatus;
  /** 0–100 through extract → chunk → embed; null when there is no bar to show (ready, error). */
  percent: number | null;
  /** "Reading the file…", "Embedding 12 of 40 passages", an error's message… */
  label: string;
  /** Extraction succeeded, but some of it could not be read (pages without text…). */
  warnings: string[];
  /** Whether cancel makes sense (a run can still be stopped). */
  cancellable: boolean;
}

/**
 * Extraction and chunking get a fixed share of the bar (they are quick next to embedding, and
 * report no progress of their own); embedding fills the rest passage by passage.
 */
const EXTRACT_END = 10;
const CHUNK_END = 15;

export function docView(d: Pick<DocumentRecord, 'status' | 'progress' | 'error' | 'warnings'>): DocView {
  const warnings = d.warnings ?? [];
  switch (d.status) {
    case 'queued':
      return { status: 'queued', percent: 0, label: 'Waiting to be indexed', warnings, cancellable: true };
    case 'extracting':
      return { status: 'indexing', percent: 0, label: 'Reading the file…', warnings, cancellable: true };
    case 'chunking':
      return { status: 'indexing', percent: EXTRACT_END, label: 'Cutting into passages…', warnings, cancellable: true };
    case 'embedding': {
      const { done, total } = d.progress;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      return {
        status: 'indexing',
        percent: Math.round(CHUNK_END + share * (100 - CHUNK_END)),
        label: total > 0 ? `Embedding ${done} of ${total} passages` : 'Embedding…',
        warnings,
        cancellable: true,
      };
    }
    case 'done':
      return { status: 'ready', percent: null, label: `${d.progress.total} ${d.progress.total === 1 ? 'passage' : 'passages'}`, warnings, cancellable: false };
    case 'cancelled':
      return { status: 'error', percent: null, label: 'Cancelled: re-index to add it again.', warnings, cancellable: false };
    case 'error':
      return { status: 'error', percent: null, label: d.error?.message || 'Indexing failed.', warnings, cancellable: false };
  }
}

/** "1.2 MB" for a file size in bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
