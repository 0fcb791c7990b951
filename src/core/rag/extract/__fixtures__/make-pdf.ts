/**
 * Minimal valid PDFs written by hand for tests and benches: pages of text in Helvetica (a real
 * text layer, paragraphs as blocks of lines), or pages holding only an image (no text layer),
 * with a correct cross-reference table. `encrypted` adds a standard security handler whose
 * password checks cannot pass, so readers ask for a password.
 */

/**
 * A page: its paragraphs, each a list of lines; 'image' for a page with only a picture; or one
 * line of Japanese in a non-embedded CID font whose encoding is a predefined CMap (UniJIS-UCS2-H),
 * which readers can only decode with the CMap files.
 */
export type PdfPage = string[][] | 'image' | { cjk: string };

const ucs2Hex = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('');

const esc = (s: string) => s.replace(/[\\()]/g, (c) => '\\' + c);

function textStream(paragraphs: string[][]): string {
  const ops: string[] = ['BT', '/F1 11 Tf', '72 760 Td'];
  paragraphs.forEach((lines, p) => {
    if (p > 0) ops.push('0 -26 Td'); // a paragraph gap: two line spacings
    lines.forEach((line, i) => {
      if (i > 0) ops.push('0 -13 Td');
      ops.push(`(${esc(line)}) Tj`);
    });
  });
  ops.push('ET');
  return ops.join('\n');
}

export function makePdf(pages: PdfPage[], options: { encrypted?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const objects: string[] = []; // objects[i] is object number i + 1
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages tree, filled in below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream');
  add('<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>');
  add('<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 7 0 R /DW 1000 >>');
  add('<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>');
  const kids: number[] = [];
  for (const page of pages) {
    const content = page === 'image' ? 'q 200 0 0 200 72 500 cm /Im1 Do Q' : 'cjk' in page ? `BT /F2 14 Tf 72 700 Td <${ucs2Hex(page.cjk)}> Tj ET` : textStream(page);
    add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    const contentRef = objects.length;
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contentRef} 0 R /Resources << /Font << /F1 3 0 R /F2 5 0 R >> /XObject << /Im1 4 0 R >> >> >>`);
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let encrypt = '';
  if (options.encrypted) {
    const junk = '<' + 'ab'.repeat(32) + '>';
    add(`<< /Filter /Standard /V 1 /R 2 /O ${junk} /U ${junk} /P -44 >>`);
    encrypt = ` /Encrypt ${objects.length} 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]`;
  }
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  // Latin-1: one byte per character, so offsets counted in characters are byte offsets.
  return Uint8Array.from(out, (c) => c.charCodeAt(0));
}
