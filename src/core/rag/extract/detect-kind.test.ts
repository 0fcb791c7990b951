import { describe, expect, it } from 'vitest';
import { detectKind, hasPdfMagic } from './detect-kind';
import { makePdf } from './__fixtures__/make-pdf';
import { makeDocx } from './__fixtures__/make-docx';

const bytes = (s: string) => new TextEncoder().encode(s);
const TEXT = bytes('hello');
const kind = (name: string, first: Uint8Array = TEXT, mime = '') => {
  const d = detectKind(name, mime, first);
  return d.ok ? d.kind : `${d.error.code}`;
};

describe('detectKind', () => {
  it('knows the text kinds by extension, case-insensitively', () => {
    expect(kind('a.TXT')).toBe('text');
    expect(kind('notes.md')).toBe('markdown');
    expect(kind('page.HTM')).toBe('html');
    expect(kind('data.csv')).toBe('csv');
    expect(kind('data.json')).toBe('json');
    expect(kind('main.rs')).toBe('code');
    expect(kind('Dockerfile')).toBe('code');
  });

  it('gives code its fence language, .tsv a tab, .jsonl lines', () => {
    expect(detectKind('x.py', '', TEXT)).toEqual({ ok: true, kind: 'code', language: 'python' });
    expect(detectKind('dir/sub/app.tsx', '', TEXT)).toEqual({ ok: true, kind: 'code', language: 'tsx' });
    expect(detectKind('x.tsv', '', TEXT)).toEqual({ ok: true, kind: 'csv', delimiter: '\t' });
    expect(detectKind('x.jsonl', '', TEXT)).toEqual({ ok: true, kind: 'json', lines: true });
  });

  it('lets magic bytes win over the extension', () => {
    const pdf = makePdf([[['x']]]).subarray(0, 1024);
    const docx = makeDocx([{ p: 'x' }]).subarray(0, 1024);
    expect(kind('report.txt', pdf)).toBe('pdf');
    expect(kind('report', docx)).toBe('docx');
    expect(kind('photo.txt', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a))).toBe('unsupported');
  });

  it('refuses a .pdf without %PDF and a .docx that is not a zip as corrupt', () => {
    const d = detectKind('paper.pdf', 'application/pdf', bytes('<html>404 not found</html>'));
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.error).toMatchObject({ kind: 'invalid', code: 'corrupt' });
      expect(d.error.message).toBe('"paper.pdf" is corrupt or not a PDF (it does not start with %PDF).');
    }
    expect(kind('letter.docx', bytes('plain text'))).toBe('corrupt');
  });

  it('finds %PDF after leading junk within the first 1,024 bytes, not later', () => {
    expect(hasPdfMagic(bytes('\n\n  %PDF-1.7'))).toBe(true);
    expect(hasPdfMagic(bytes(' '.repeat(1100) + '%PDF-1.7'))).toBe(false);
  });

  it('says what is not supported: known formats by name, others by extension', () => {
    const d = detectKind('sheet.xlsx', '', TEXT);
    expect(d.ok ? '' : d.error.message).toBe(
      '"sheet.xlsx": Excel files (save the sheet as .csv) are not supported. Add text, Markdown, HTML, PDF, Word (.docx), CSV, JSON or source code files.',
    );
    expect(kind('thing.xyz')).toBe('unsupported');
    expect(kind('archive.zip', makeDocx([{ p: 'x' }]))).toBe('unsupported');
    expect(kind('old.doc', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1))).toBe('unsupported');
  });

  it('reads an encrypted .docx (an OLE container) as password-protected', () => {
    expect(kind('secret.docx', Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1))).toBe('password');
  });

  it('falls back on the MIME type, and on text for names without an extension', () => {
    expect(kind('upload.bin2', TEXT, 'text/markdown')).toBe('markdown');
    expect(kind('notes.weird', TEXT, 'text/plain; charset=utf-8')).toBe('text');
    expect(kind('README')).toBe('text');
    expect(kind('LICENSE', TEXT, 'application/octet-stream')).toBe('text');
  });
});
