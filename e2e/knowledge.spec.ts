import type { Page } from '@playwright/test';
import { test, expect, lastAssistant, setupOpenAI } from './fixtures';
import { createBase, doc, docStatuses, storedRagRows, useRemoteEmbeddings } from './knowledge-helpers';
import { makePdf } from '../src/core/rag/extract/__fixtures__/make-pdf';

/**
 * Knowledge end to end through the built app: bases, documents indexed in the knowledge worker
 * with the OpenAI-compatible embedder on the fake server (bag-of-words vectors), answers that
 * cite the passage they were given (the fake model echoes the prompt it received, context
 * included), bad files, cancel and resume after a reload.
 */

const PDF_FACT = 'To reset the Zephyr heater, hold the red button for nine seconds until the lamp blinks.';
const heaterPdf = () =>
  Buffer.from(
    makePdf([
      // Page 1 is longer than one chunk (1,000 characters), so the fact's passage starts on page 2.
      [['Zephyr heater manual'], ...Array.from({ length: 12 }, (_, i) => [`Section ${i + 1}: warranty terms apply for two years from the date of purchase.`, 'Keep the receipt; the dealer needs it for any claim under this warranty.'])],
      [[PDF_FACT], ['Clean the filter every month.']],
    ]),
  );
const NOTES_MD = '# Office notes\n\nThe coffee machine is descaled on Fridays.\n\n## Parking\n\nVisitors park behind the library.\n';


test('a base with a markdown file and a PDF: the answer is given the PDF passage and cites it', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'text-embedding-3-small');
  await createBase(page, 'Manuals', 'Devices in the office');
  await page.getByTestId('knowledge-file-input').setInputFiles([
    { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from(NOTES_MD) },
    { name: 'heater.pdf', mimeType: 'application/pdf', buffer: heaterPdf() },
  ]);
  await expect(doc(page, 'notes.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(doc(page, 'heater.pdf')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // Embeddings went to the fake server's /v1/embeddings with the chosen model.
  expect(fake.requests().some((r) => r.path.endsWith('/embeddings') && (r.body as { model?: string } | null)?.model === 'text-embedding-3-small')).toBe(true);
  await page.getByTestId('knowledge-close').click();

  // `#` in the composer picks the base.
  const input = page.getByTestId('composer-input');
  await input.fill('#Man');
  await expect(page.getByTestId('knowledge-option')).toHaveCount(1);
  await input.press('Enter');
  await expect(page.getByTestId('knowledge-chip')).toContainText('Manuals');
  await expect(input).toHaveValue('');

  await input.fill('How long do I hold the red button to reset the Zephyr heater?');
  await page.getByTestId('composer-send').click();
  const answer = lastAssistant(page);
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

  // The model was given the PDF's passage, as source 1, named.
  const chat = fake.requests().filter((r) => r.path.endsWith('/chat/completions')).at(-1);
  const messages = (chat?.body as { messages: Array<{ role: string; content: string }> }).messages;
  const prompt = messages.at(-1)!.content;
  expect(prompt).toContain('<source id="1" name="heater.pdf">');
  expect(prompt).toContain('nine seconds');
  expect(prompt).toContain('How long do I hold the red button');

  // The source list names the PDF first; the echoed [1] is a citation that opens the passage in context.
  const sources = answer.getByTestId('message-source');
  await expect(sources.first()).toHaveAttribute('data-doc-name', 'heater.pdf');
  await expect(sources.first()).toContainText('nine seconds');
  await expect(sources.first()).toContainText('page 2');
  await answer.locator('sup.md-cite button[data-cite="1"]').first().click();
  const dialog = page.getByTestId('source-dialog');
  await expect(dialog.getByTestId('source-passage')).toContainText('nine seconds');
  await expect(dialog.getByTestId('source-context')).toContainText('Section 12: warranty terms');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // After a reload the chat still has its knowledge and the answer its sources.
  await page.reload();
  await expect(page.getByTestId('knowledge-chip')).toContainText('Manuals');
  await expect(lastAssistant(page).getByTestId('message-source').first()).toHaveAttribute('data-doc-name', 'heater.pdf');

  // The embedding server fails: the answer still goes, and says what it went without.
  fake.setScenario('text-embedding-3-small', { status: 500 });
  await page.getByTestId('composer-input').fill('And how often is the filter cleaned?');
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(lastAssistant(page).getByTestId('message-sources-note')).toContainText('keyword search only');
  // Keywords still found the passage.
  await expect(lastAssistant(page).getByTestId('message-source').first()).toHaveAttribute('data-doc-name', 'heater.pdf');
});

test('bad files are refused with a message that says why', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'text-embedding-3-small');
  await createBase(page, 'Junk');
  await page.getByTestId('knowledge-file-input').setInputFiles([
    { name: 'empty.md', mimeType: 'text/markdown', buffer: Buffer.alloc(0) },
    { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('this is not a PDF at all') },
    { name: 'slides.pptx', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', buffer: Buffer.from('PK\u0003\u0004 not really') },
    { name: 'ok.txt', mimeType: 'text/plain', buffer: Buffer.from('A fine plain text file about lighthouses.') },
  ]);
  const panel = page.getByTestId('knowledge-panel');
  await expect(doc(page, 'ok.txt')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(panel).toContainText('"empty.md" is empty (0 bytes)', { timeout: 30_000 });
  await expect(panel).toContainText('"broken.pdf" is corrupt or not a PDF');
  await expect(panel).toContainText('PowerPoint files (save it as PDF) are not supported');
  // Whatever was stored of them is marked as failed, never as ready.
  for (const name of ['empty.md', 'broken.pdf', 'slides.pptx']) {
    const d = doc(page, name);
    if ((await d.count()) > 0) await expect(d).toHaveAttribute('data-status', 'error');
  }

  // A file dragged from the desktop and dropped on the base is added like a picked one.
  await page.getByTestId('knowledge-base').evaluate((base) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Dropped notes: the lighthouse keeper rows out on Sundays.'], 'dropped.md', { type: 'text/markdown' }));
    base.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    base.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(doc(page, 'dropped.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
});

test('a reload mid-indexing resumes where it stopped; cancel stops a document until it is re-indexed', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'slow-embed');
  // Every embedding request for this model hangs until the scenario is lifted.
  fake.setScenario('slow-embed', { hang: true });
  await createBase(page, 'Slow');
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'first.md', mimeType: 'text/markdown', buffer: Buffer.from(NOTES_MD) }]);
  await expect(doc(page, 'first.md')).toHaveAttribute('data-status', 'indexing', { timeout: 30_000 });
  await expect(doc(page, 'first.md').getByTestId('knowledge-progress')).toHaveAttribute('aria-valuenow', /^\d+$/);

  // The tab goes away mid-indexing; the server answers again; the next visit resumes by itself
  // (without opening Knowledge).
  fake.setScenario('slow-embed', null);
  await page.reload();
  await expect.poll(() => page.evaluate(docStatuses), { timeout: 30_000 }).toEqual({ 'first.md': 'done' });
  await page.getByTestId('knowledge-open').click();
  await page.getByTestId('knowledge-item').first().locator('button').click();
  await expect(doc(page, 'first.md')).toHaveAttribute('data-status', 'ready');

  fake.setScenario('slow-embed', { hang: true });
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'second.md', mimeType: 'text/markdown', buffer: Buffer.from('# Second\n\nTrains leave from platform four.\n') }]);
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'indexing', { timeout: 30_000 });
  await doc(page, 'second.md').getByTestId('knowledge-doc-cancel').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'error');
  await expect(doc(page, 'second.md').getByTestId('knowledge-doc-error')).toContainText('Cancelled');
  await expect(doc(page, 'first.md')).toHaveAttribute('data-status', 'ready');

  // The cancelled one stays cancelled, also after a reload, until re-indexed (knowledge-cancel.spec
  // checks that cancel aborts the hanging request itself).
  fake.setScenario('slow-embed', null);
  await page.reload();
  await page.getByTestId('knowledge-open').click();
  await page.getByTestId('knowledge-item').first().locator('button').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'error');
  await doc(page, 'second.md').getByTestId('knowledge-doc-reindex').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
});

test('a file attached to one message goes to its answer and shows on the message; it goes with the chat once Undo is gone', async ({ page, fake }) => {
  // Time runs as usual; the clock only lets the test skip the Undo's 10 s.
  await page.clock.install();
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'text-embedding-3-small');
  await page.getByTestId('composer-doc-file').setInputFiles([
    { name: 'policy.txt', mimeType: 'text/plain', buffer: Buffer.from('Travel policy: trains are booked in second class; flights need a manager.') },
  ]);
  await expect(page.getByTestId('composer-file-chip')).toHaveAttribute('data-name', 'policy.txt');
  await page.getByTestId('composer-input').fill('Which class are trains booked in?');
  await page.getByTestId('composer-send').click();
  await expect(page.getByTestId('composer-file-chip')).toHaveCount(0);
  const question = page.locator('[data-testid="message"][data-role="user"]').last();
  await expect(question.getByTestId('message-file')).toHaveAttribute('data-name', 'policy.txt');
  const answer = lastAssistant(page);
  await expect(answer).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  const chat = fake.requests().filter((r) => r.path.endsWith('/chat/completions')).at(-1);
  const prompt = (chat?.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content;
  expect(prompt).toContain('<source id="1" name="policy.txt">');
  expect(prompt).toContain('second class');
  await expect(answer.getByTestId('message-source').first()).toHaveAttribute('data-doc-name', 'policy.txt');

  // Deleting the chat: the file and its chunks and vectors stay while Undo is offered, then go.
  const stored = () => page.evaluate(storedRagRows);
  expect(await stored()).toMatchObject({ documents: 1, sources: 1 });
  expect((await stored()).chunks).toBeGreaterThan(0);
  await page.getByTestId('chat-list-item').first().getByTestId('chat-delete').click();
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  expect(await stored()).toMatchObject({ documents: 1, sources: 1 });
  await page.clock.fastForward('00:11');
  await expect(page.getByTestId('toast-action')).toHaveCount(0);
  await expect.poll(stored).toEqual({ documents: 0, sources: 0, chunks: 0, vectors: 0 });
});


/** Elements past the right edge of the window (a short form of layout.spec.ts's check). */
const overflow = () =>
  [...document.querySelectorAll('body *')].flatMap((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= window.innerWidth + 1) return [];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (/hidden|clip|auto|scroll/.test(getComputedStyle(a).overflowX) && a.matches('pre, table, textarea, input, select')) return [];
    return [`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.right)}`];
  });

test('settings say what is wrong; a new embedding model offers a re-index; HTML is read as markdown; the panel fits 320 px', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-engine').selectOption('openai');
  await section.getByTestId('knowledge-model').fill('');
  await section.getByTestId('knowledge-chunkSize').fill('100');
  await section.getByTestId('knowledge-chunkOverlap').fill('100');
  await section.getByTestId('knowledge-hybridWeight').fill('2');
  await section.getByTestId('knowledge-template').fill('no placeholder here');
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-error-model')).toContainText('Enter the embedding model');
  await expect(section.getByTestId('knowledge-error-connectionId')).toContainText('Choose the connection');
  await expect(section.getByTestId('knowledge-error-chunkOverlap')).toHaveText('The overlap must be smaller than the chunk size.');
  await expect(section.getByTestId('knowledge-error-hybridWeight')).toContainText('from 0 (keywords only) to 1');
  await expect(section.getByTestId('knowledge-error-template')).toContainText('{{CONTEXT}}');
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('');
  await section.getByTestId('knowledge-template-reset').click();
  await expect(section.getByTestId('knowledge-template')).toHaveValue(/\{\{CONTEXT\}\}/);
  await section.getByTestId('knowledge-chunkOverlap').fill('10');
  await section.getByTestId('knowledge-hybridWeight').fill('0.5');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await useRemoteEmbeddings(page, 'embed-a');

  await createBase(page, 'Web pages');
  const html = '<html><head><title>Ferry times</title></head><body><nav>Home | About</nav><article><h1>Ferries</h1><p>The ferry leaves at <b>seven</b>.</p><ul><li>Bikes free</li></ul></article></body></html>';
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'ferry.html', mimeType: 'text/html', buffer: Buffer.from(html) }]);
  await expect(doc(page, 'ferry.html')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const stored = await page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const r = indexedDB.open('parley');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const all = r.result.transaction('sources').objectStore('sources').getAll();
          all.onsuccess = () => resolve((all.result as Array<{ extracted: { text: string } | null }>).map((s) => s.extracted?.text ?? '').join('\n---\n'));
          all.onerror = () => reject(all.error);
        };
      }),
  );
  expect(stored).toBe('# Ferries\n\nThe ferry leaves at seven.\n\n- Bikes free');
  await page.getByTestId('knowledge-close').click();

  // Another model: the base's vectors no longer fit; the re-index is offered and asks the new model.
  await page.getByTestId('settings-open').click();
  await section.getByTestId('knowledge-model').fill('embed-b');
  await section.getByTestId('knowledge-settings-save').click();
  const offer = section.getByTestId('knowledge-reindex-offer');
  await expect(offer).toContainText('Re-index all 1 document with the new model?');
  await offer.getByTestId('knowledge-reindex-all').click();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await page.getByTestId('knowledge-open').click();
  await page.getByTestId('knowledge-item').first().locator('button').click();
  await expect(doc(page, 'ferry.html')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect.poll(() => fake.requests().some((r) => r.path.endsWith('/embeddings') && (r.body as { model?: string } | null)?.model === 'embed-b')).toBe(true);

  // 320 px: the base with its documents, and the list of bases, fit.
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(overflow)).toEqual([]);
  await page.getByRole('button', { name: 'All knowledge bases' }).click();
  await expect(page.getByTestId('knowledge-item')).toHaveCount(1);
  expect(await page.evaluate(overflow)).toEqual([]);
});

test('a base is renamed, and a deleted base comes back with Undo', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'text-embedding-3-small');
  await createBase(page, 'Draft name');
  const panel = page.getByTestId('knowledge-panel');
  // A name is required.
  await panel.getByTestId('knowledge-rename').click();
  await panel.getByTestId('knowledge-name').fill(' ');
  await panel.getByTestId('knowledge-save').click();
  await expect(panel).toContainText('Give the knowledge base a name.');
  await panel.getByTestId('knowledge-name').fill('Recipes');
  await panel.getByTestId('knowledge-description').fill('Family cooking');
  await panel.getByTestId('knowledge-save').click();
  await expect(panel.getByRole('heading', { name: 'Recipes' })).toBeVisible();
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'bread.md', mimeType: 'text/markdown', buffer: Buffer.from('# Bread\n\nKnead the dough for ten minutes.\n') }]);
  await expect(doc(page, 'bread.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });

  await panel.getByTestId('knowledge-delete').click();
  await expect(page.getByTestId('knowledge-item')).toHaveCount(0);
  // Closing and opening the panel within the Undo time does not bring it back by itself.
  await page.getByTestId('knowledge-close').click();
  await page.getByTestId('knowledge-open').click();
  await expect(panel.getByText('No knowledge bases yet.')).toBeVisible();
  await expect(page.getByTestId('knowledge-item')).toHaveCount(0);
  await page.getByTestId('toast').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('knowledge-item')).toHaveCount(1);
  await expect(page.getByTestId('knowledge-item')).toContainText('Recipes');
  await expect(page.getByTestId('knowledge-item')).toContainText('1 document');
  // Undone means nothing was deleted: its document is still there, ready.
  await page.getByTestId('knowledge-item').locator('button').click();
  await expect(doc(page, 'bread.md')).toHaveAttribute('data-status', 'ready');
});
