import { beforeAll, describe, expect, it } from 'vitest';
import { extractPdf, type PdfJsLike } from './pdf';
import { nodePdfJs } from './test-runtimes';
import { makePdf } from '../../src/core/rag/extract/__fixtures__/make-pdf';

let pdfjs: PdfJsLike;
beforeAll(async () => {
  pdfjs = await nodePdfJs();
});

const PAGE_1 = [['Otters use stones', 'as tools to open shells.'], ['A second paragraph', 'on the first page.']];
const PAGE_2 = [['Page two begins here.'], ['The answer is 42 (forty-two).']];

describe('extractPdf (pdf.js)', () => {
  it('reads a text layer page by page: lines, paragraphs and where each page starts', async () => {
    const r = await extractPdf(pdfjs, makePdf([PAGE_1, PAGE_2]), 'two.pdf');
    expect(r).toEqual({
      ok: true,
      doc: {
        text: 'Otters use stones\nas tools to open shells.\n\nA second paragraph\non the first page.\n\nPage two begins here.\n\nThe answer is 42 (forty-two).',
        pageStarts: [0, 83],
      },
    });
    if (r.ok) expect(r.doc.text.slice(r.doc.pageStarts![1])).toMatch(/^Page two begins here\./);
  });

  it('refuses a PDF with no text layer, saying so', async () => {
    const r = await extractPdf(pdfjs, makePdf(['image', 'image']), 'scan.pdf');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'invalid', code: 'no-text' });
      expect(r.error.message.startsWith('This PDF has no text layer (scanned pages?)')).toBe(true);
    }
  });

  it('warns about pages without text and keeps the others', async () => {
    const r = await extractPdf(pdfjs, makePdf([PAGE_1, 'image', PAGE_2]), 'mixed.pdf');
    expect(r.ok && r.doc.warnings).toEqual(['Page 2 has no text layer (scanned?) and was skipped: 1 of 3 pages.']);
    expect(r.ok && r.doc.pageStarts?.length).toBe(3);
  });

  it('says a password-protected PDF is password-protected', async () => {
    const r = await extractPdf(pdfjs, makePdf([PAGE_1], { encrypted: true }), 'secret.pdf');
    expect(r.ok ? '' : r.error.code).toBe('password');
    expect(r.ok ? '' : r.error.message).toBe('"secret.pdf" is password-protected: open it, save a copy without the password and add that.');
  });

  it('says a damaged PDF is damaged', async () => {
    const r = await extractPdf(pdfjs, new TextEncoder().encode('%PDF-1.4\nthis is not really a pdf\n'), 'broken.pdf');
    expect(r.ok ? '' : r.error.code).toBe('corrupt');
    expect(r.ok ? '' : r.error.message).toBe('"broken.pdf" is a damaged PDF that could not be read.');
  });

  it('decodes CJK text in a font with a predefined CMap (not mistaken for a scan)', async () => {
    const r = await extractPdf(pdfjs, makePdf([{ cjk: '日本語のテキスト' }, PAGE_2]), 'ja.pdf');
    expect(r.ok && r.doc.text.split('\n\n')[0]).toBe('日本語のテキスト');
  });

  it('reports progress per page and stops when aborted', async () => {
    const seen: string[] = [];
    await extractPdf(pdfjs, makePdf([PAGE_1, PAGE_2]), 'p.pdf', { onPage: (d, t) => seen.push(`${d}/${t}`) });
    expect(seen).toEqual(['1/2', '2/2']);
    const ac = new AbortController();
    const r = await extractPdf(pdfjs, makePdf([PAGE_1, PAGE_2]), 'p.pdf', { signal: ac.signal, onPage: () => ac.abort() });
    expect(r.ok ? '' : r.error.kind).toBe('aborted');
  });
});
