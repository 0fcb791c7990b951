import { beforeAll, describe, expect, it } from 'vitest';
import { extractDocx, type MammothLike } from './docx';
import { nodeMammoth } from './test-runtimes';
import { makeDocx } from '../../src/core/rag/extract/__fixtures__/make-docx';
import { makeZip } from '../../src/core/rag/extract/__fixtures__/make-zip';

let mammoth: MammothLike;
beforeAll(async () => {
  mammoth = await nodeMammoth();
});

describe('extractDocx (mammoth)', () => {
  it('keeps headings, paragraphs, lists and tables as markdown', async () => {
    const docx = makeDocx([
      { h: 1, text: 'Otters' },
      { p: 'Sea otters use stones (version 1.2).' },
      { h: 2, text: 'Facts' },
      { li: 'They float' },
      { li: 'They hold hands' },
      { table: [['Name', 'Weight'], ['Sea otter', '45 kg']] },
    ]);
    expect(await extractDocx(mammoth, docx, 'otters.docx')).toEqual({
      ok: true,
      doc: { text: '# Otters\n\nSea otters use stones (version 1.2).\n\n## Facts\n\n- They float\n- They hold hands\n\n| Name | Weight |\n| --- | --- |\n| Sea otter | 45 kg |' },
    });
  });

  it('says a damaged document is damaged', async () => {
    const broken = makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document><w:body><unclosed' });
    const r = await extractDocx(mammoth, broken, 'broken.docx');
    expect(r.ok ? '' : r.error.code).toBe('corrupt');
    const notZip = await extractDocx(mammoth, new TextEncoder().encode('PK\x03\x04 but nothing else'), 'cut.docx');
    expect(notZip.ok ? '' : notZip.error.message).toMatch(/^"cut\.docx" is corrupt or not a Word document/);
  });
});
