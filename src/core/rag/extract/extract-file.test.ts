import { describe, expect, it, vi } from 'vitest';
import { extractBytes, extractFile, type Extractors, type FileLike } from './extract-file';
import { MAX_FILE_BYTES } from './extract-error';
import { makePdf } from './__fixtures__/make-pdf';
import { makeDocx } from './__fixtures__/make-docx';
import { makeZip } from './__fixtures__/make-zip';

const enc = new TextEncoder();
const file = (name: string, content: string | Uint8Array, type = ''): FileLike => new File([typeof content === 'string' ? enc.encode(content) : new Uint8Array(content)], name, { type });

/** Extractors that record what reached them. */
const fakes = () => {
  const seen: string[] = [];
  const ex: Extractors = {
    pdf: async (b, name) => (seen.push(`pdf ${name} ${b.length}`), { ok: true, doc: { text: 'pdf text', pageStarts: [0] } }),
    docx: async (b, name) => (seen.push(`docx ${name}`), { ok: true, doc: { text: '# Title' } }),
    html: (h) => (seen.push('html'), `# ${h.replace(/<[^>]+>/g, '')}`),
  };
  return { ex, seen };
};

const code = async (f: FileLike, ex: Extractors = fakes().ex) => {
  const r = await extractFile(f, ex);
  return r.ok ? 'ok' : r.error.code;
};

describe('extractFile', () => {
  it('reads text and markdown as they are, with CRLF made LF', async () => {
    expect(await extractFile(file('a.txt', 'one\r\ntwo\r\n'), {})).toEqual({ ok: true, doc: { text: 'one\ntwo\n' } });
    expect(await extractFile(file('a.md', '# Head\n\n- item\n'), {})).toEqual({ ok: true, doc: { text: '# Head\n\n- item\n' } });
  });

  it('turns csv into tables, json into blocks, code into a fence', async () => {
    expect(await extractFile(file('t.csv', 'a;b\n1;2\n'), {})).toEqual({ ok: true, doc: { text: '| a | b |\n| --- | --- |\n| 1 | 2 |' } });
    expect(await extractFile(file('t.json', '[1]'), {})).toEqual({ ok: true, doc: { text: '```json\n[\n  1\n]\n```' } });
    expect(await extractFile(file('t.go', 'package main\n'), {})).toEqual({ ok: true, doc: { text: '```go\npackage main\n```' } });
  });

  it('keeps invalid JSON as text, with a warning', async () => {
    const r = await extractFile(file('t.json', '{"a": oops}'), {});
    expect(r.ok && r.doc.text).toBe('{"a": oops}');
    expect(r.ok && r.doc.warnings?.[0]).toMatch(/^Not valid JSON \(/);
  });

  it('hands PDF, DOCX and HTML to their extractors', async () => {
    const { ex, seen } = fakes();
    const pdf = makePdf([[['x']]]);
    expect(await extractFile(file('p.pdf', pdf), ex)).toEqual({ ok: true, doc: { text: 'pdf text', pageStarts: [0] } });
    expect((await extractFile(file('w.docx', makeDocx([{ p: 'x' }])), ex)).ok).toBe(true);
    expect(await extractFile(file('h.html', '<p>Hi</p>'), ex)).toEqual({ ok: true, doc: { text: '# Hi' } });
    expect(seen).toEqual([`pdf p.pdf ${pdf.length}`, 'docx w.docx', 'html']);
  });

  it('refuses a 0-byte file, and a whitespace-only one', async () => {
    const empty = await extractFile(file('e.txt', ''), {});
    expect(empty).toEqual({ ok: false, error: { kind: 'invalid', code: 'empty', message: '"e.txt" is empty (0 bytes): there is nothing to index.' } });
    expect(await code(file('w.md', ' \n\t\n'))).toBe('blank');
    expect(await code(file('w.csv', '\n\n'))).toBe('blank');
    const blankPdf = await extractFile(file('p.pdf', makePdf([[['x']]])), { pdf: async () => ({ ok: true, doc: { text: '  ' } }) });
    expect(blankPdf.ok ? '' : blankPdf.error.code).toBe('blank');
  });

  it('refuses a file over 100 MB from its size, without reading a byte', async () => {
    const read = vi.fn(async () => new ArrayBuffer(0));
    const huge: FileLike = { name: 'huge.pdf', size: MAX_FILE_BYTES + 1, type: 'application/pdf', slice: () => ({ arrayBuffer: read }), arrayBuffer: read };
    const r = await extractFile(huge, fakes().ex);
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', code: 'too-large', message: '"huge.pdf" is 100 MB: files over 100 MB are not accepted. Split it into smaller files.' } });
    expect(read).not.toHaveBeenCalled();
    const exact: FileLike = { ...huge, name: 'ok.txt', size: MAX_FILE_BYTES, slice: () => ({ arrayBuffer: async () => enc.encode('hi').buffer as ArrayBuffer }), arrayBuffer: async () => enc.encode('hi').buffer as ArrayBuffer };
    expect(await code(exact)).toBe('ok');
  });

  it('refuses a corrupt PDF, a fake DOCX, an unsupported extension and binary content', async () => {
    const { ex, seen } = fakes();
    expect(await code(file('broken.pdf', 'this is not a pdf'), ex)).toBe('corrupt');
    expect(await code(file('fake.docx', makeZip({ 'content.xml': '<x/>' })), ex)).toBe('corrupt');
    expect(await code(file('cut.docx', makeDocx([{ p: 'x' }]).subarray(0, 300)), ex)).toBe('corrupt');
    expect(await code(file('tool.exe', 'MZ\x90\x00'), ex)).toBe('unsupported');
    expect(await code(file('slides.pptx', 'x'), ex)).toBe('unsupported');
    expect(await code(file('data.txt', Uint8Array.of(0x68, 0x69, 0, 0, 0, 1, 2, 3)), ex)).toBe('binary');
    expect(seen).toEqual([]);
    const bin = await extractFile(file('a.log', Uint8Array.of(1, 0, 2)), ex);
    expect(bin.ok ? '' : bin.error.message).toBe('"a.log" looks like a binary file, not text: it cannot be indexed.');
  });

  it('passes the pdf extractor’s own refusals through (no text layer, password)', async () => {
    const r = await extractFile(file('scan.pdf', makePdf(['image'])), {
      pdf: async () => ({ ok: false, error: { kind: 'invalid', code: 'no-text', message: 'This PDF has no text layer (scanned pages?)' } }),
    });
    expect(r.ok ? '' : r.error.code).toBe('no-text');
  });

  it('says so when a runtime for a kind is missing', async () => {
    const r = await extractFile(file('p.html', '<p>x</p>'), {});
    expect(r).toEqual({ ok: false, error: { kind: 'internal', message: 'Reading HTML files is not available here.' } });
  });

  it('turns a failing read into an error value', async () => {
    const bad: FileLike = { name: 'a.txt', size: 5, type: '', slice: () => ({ arrayBuffer: async () => Promise.reject(new Error('NotReadableError')) }), arrayBuffer: async () => new ArrayBuffer(0) };
    expect(await extractFile(bad, {})).toMatchObject({ ok: false, error: { kind: 'internal', message: 'NotReadableError' } });
  });

  it('extractBytes does the same on bytes in memory', async () => {
    expect(await extractBytes('a.txt', '', enc.encode('hi'), {})).toEqual({ ok: true, doc: { text: 'hi' } });
    expect((await extractBytes('a.txt', '', new Uint8Array(0), {})).ok).toBe(false);
  });
});
