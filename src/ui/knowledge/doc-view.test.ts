import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../core/rag/schema';
import { docView, formatBytes } from './doc-view';

const d = (status: DocumentRecord['status'], done = 0, total = 0, error: DocumentRecord['error'] = null) => ({ status, progress: { done, total }, error, warnings: [] });

describe('docView', () => {
  it('maps the ingest statuses to queued / indexing / ready / error', () => {
    expect(['queued', 'extracting', 'chunking', 'embedding', 'done', 'error', 'cancelled'].map((s) => docView(d(s as DocumentRecord['status'])).status)).toEqual([
      'queued', 'indexing', 'indexing', 'indexing', 'ready', 'error', 'error',
    ]);
  });
  it('fills the bar through extract → chunk → embed and never past 100', () => {
    const p = (s: DocumentRecord['status'], done = 0, total = 0) => docView(d(s, done, total)).percent;
    expect([p('queued'), p('extracting'), p('chunking'), p('embedding', 0, 40), p('embedding', 20, 40), p('embedding', 40, 40), p('embedding', 50, 40)]).toEqual([0, 0, 10, 15, 58, 100, 100]);
    expect(p('done', 4, 4)).toBeNull();
    expect(docView(d('embedding', 12, 40)).label).toBe('Embedding 12 of 40 passages');
  });
  it('says why it failed, and that a cancelled one can be re-indexed', () => {
    expect(docView(d('error', 0, 0, { kind: 'invalid', message: '"a.pdf" is a damaged PDF that could not be read.' })).label).toBe('"a.pdf" is a damaged PDF that could not be read.');
    expect(docView(d('cancelled')).label).toMatch(/^Cancelled/);
    expect(docView(d('cancelled')).cancellable).toBe(false);
    expect(docView(d('embedding')).cancellable).toBe(true);
  });
  it('formats sizes', () => {
    expect([formatBytes(512), formatBytes(2048), formatBytes(50 * 1024), formatBytes(3.5 * 1024 * 1024)]).toEqual(['512 B', '2.0 KB', '50 KB', '3.5 MB']);
  });
});
