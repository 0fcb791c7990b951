import { test, expect, type Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { buildExtractPage } from './extract-page/build-page';
import { startStaticServer, type StaticServer } from './static-server';
import type { ExtractPage } from './extract-page/main';
import type { ExtractResult } from '../src/core/rag/extract/extract-error';

/**
 * File extraction in Chromium, as the app runs it: pdf.js (in-worker mode) and mammoth inside the
 * extraction module worker, HTML on the main thread. The test page (e2e/extract-page) is built
 * here with Vite and served on its own port.
 */

let dir: string;
let server: StaticServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = await buildExtractPage('extract-e2e-');
  server = await startStaticServer({ root: dir });
});
test.afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(page: Page): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await expect(page.locator('#status'), errors.join('\n')).toHaveText('ready');
}

type Api = ExtractPage;
const w = (page: Page) => ({
  extract: (name: string, type: string, bytes: number[] | string) =>
    page.evaluate(([n, t, b]) => (window as unknown as { __extract: Api }).__extract.extract(n, t, typeof b === 'string' ? new TextEncoder().encode(b) : b), [name, type, bytes] as const) as Promise<ExtractResult>,
});

const PAGE_1 = [['Otters use stones', 'as tools to open shells.'], ['A second paragraph.']];
const PAGE_2 = [['Page two.'], ['The answer is 42.']];

test('a PDF with a text layer: pages, lines, paragraphs, in the worker', async ({ page }) => {
  await open(page);
  const r = await page.evaluate(
    ([a, b]) => {
      const x = (window as unknown as { __extract: Api }).__extract;
      const pdf = x.makePdf([a, 'image', b]);
      return Promise.all([x.extract('otters.pdf', 'application/pdf', pdf), x.extractInWorker('otters.pdf', '', pdf)]);
    },
    [PAGE_1, PAGE_2] as const,
  );
  const expected = {
    ok: true,
    doc: {
      text: 'Otters use stones\nas tools to open shells.\n\nA second paragraph.\n\nPage two.\n\nThe answer is 42.',
      pageStarts: [0, 63, 63 + 2],
      warnings: ['Page 2 has no text layer (scanned?) and was skipped: 1 of 3 pages.'],
    },
  };
  expect(r[0]).toEqual(expected);
  expect(r[1]).toEqual(expected);
});

test('a PDF printed by Chromium (embedded subset fonts): headings from font sizes, paragraphs, lines', async ({ page, browser }) => {
  const printer = await browser.newPage();
  await printer.setContent(
    '<h1>Otters at work</h1><p>Sea otters use stones as tools.</p><p>A second paragraph,<br>on two lines.</p>' +
      '<h2>Facts</h2><ul><li>They float on their backs.</li><li>They hold hands.</li></ul><p>Price: 3,50 € — naïve café “quotes”.</p>',
  );
  const pdf = [...(await printer.pdf({ format: 'A4' }))];
  await printer.close();
  await open(page);
  const r = await w(page).extract('printed.pdf', 'application/pdf', pdf);
  expect(r).toEqual({
    ok: true,
    doc: {
      text: '# Otters at work\n\nSea otters use stones as tools.\n\nA second paragraph,\non two lines.\n\n## Facts\n\nThey float on their backs.\nThey hold hands.\n\nPrice: 3,50 € — naïve café “quotes”.',
      pageStarts: [0],
    },
  });
});

test('CJK text in a font with a predefined CMap: the bundled CMap files are fetched', async ({ page }) => {
  await open(page);
  const cmaps: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.bcmap')) cmaps.push(r.url().split('/').pop()!.replace(/-[\w-]{8}\.bcmap$/, ''));
  });
  const r = await page.evaluate(() => {
    const e = (window as unknown as { __extract: Api }).__extract;
    return e.extract('ja.pdf', 'application/pdf', e.makePdf([{ cjk: '日本語のテキスト' }]));
  });
  expect(r).toEqual({ ok: true, doc: { text: '日本語のテキスト', pageStarts: [0] } });
  expect(cmaps).toContain('UniJIS-UCS2-H');
});

test('each bad file gets a clear message', async ({ page }) => {
  await open(page);
  const x = w(page);
  const scan = await page.evaluate(() => {
    const e = (window as unknown as { __extract: Api }).__extract;
    return e.extract('scan.pdf', 'application/pdf', e.makePdf(['image', 'image']));
  });
  expect(scan.ok ? '' : scan.error.message).toMatch(/^This PDF has no text layer \(scanned pages\?\)/);
  const cases: Array<[string, string, string]> = [
    ['empty.txt', '', '"empty.txt" is empty (0 bytes): there is nothing to index.'],
    ['blank.md', ' \n \n', '"blank.md" has no text (only blank space): there is nothing to index.'],
    ['broken.pdf', '<html>not a pdf</html>', '"broken.pdf" is corrupt or not a PDF (it does not start with %PDF).'],
    ['damaged.pdf', '%PDF-1.7\ngarbage', '"damaged.pdf" is a damaged PDF that could not be read.'],
    ['thing.xyz', 'hello', '"thing.xyz": .xyz files are not supported. Add text, Markdown, HTML, PDF, Word (.docx), CSV, JSON or source code files.'],
    ['letter.docx', 'plain text', '"letter.docx" is corrupt or not a Word document (a .docx file is a zip archive holding the Word body).'],
  ];
  for (const [name, content, message] of cases) {
    const r = await x.extract(name, '', content);
    expect(r.ok ? `${name}: ok` : r.error.message).toBe(message);
  }
  const png = await x.extract('photo.txt', '', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.ok ? '' : png.error.message).toBe('"photo.txt": images are not supported. Add text, Markdown, HTML, PDF, Word (.docx), CSV, JSON or source code files.');
  const bin = await x.extract('data.txt', '', [104, 105, 0, 0, 1, 2, 3]);
  expect(bin.ok ? '' : bin.error.message).toBe('"data.txt" looks like a binary file, not text: it cannot be indexed.');
  const huge = await page.evaluate(() => (window as unknown as { __extract: Api }).__extract.extractHuge('huge.pdf', 150 * 1024 * 1024));
  expect(huge).toEqual({ ok: false, read: false, error: { kind: 'invalid', code: 'too-large', message: '"huge.pdf" is 150 MB: files over 100 MB are not accepted. Split it into smaller files.' } });
});

test('DOCX through mammoth in the worker, HTML on the page: markdown', async ({ page }) => {
  await open(page);
  const docx = await page.evaluate(() => {
    const e = (window as unknown as { __extract: Api }).__extract;
    return e.extract('otters.docx', '', e.makeDocx([{ h: 1, text: 'Otters' }, { p: 'They float.' }, { li: 'one' }, { li: 'two' }, { table: [['a', 'b'], ['1', '2']] }]));
  });
  expect(docx).toEqual({ ok: true, doc: { text: '# Otters\n\nThey float.\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |' } });
  const html = await w(page).extract('page.html', 'text/html', '<title>T</title><nav>menu</nav><h2>Part</h2><p>Text <code>x</code></p><pre class="language-js">let a;</pre>');
  expect(html).toEqual({ ok: true, doc: { text: '## Part\n\nText `x`\n\n```js\nlet a;\n```' } });
});
