import type { Page } from '@playwright/test';
import { test, expect, lastAssistant, setupOpenAI } from './fixtures';
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

async function useRemoteEmbeddings(page: Page, model: string): Promise<void> {
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-engine').selectOption('openai');
  // The only connection of that kind (added by setupOpenAI).
  const conn = section.getByTestId('knowledge-connection');
  await conn.selectOption({ index: 1 });
  await section.getByTestId('knowledge-model').fill(model);
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('Saved.');
  await page.getByRole('button', { name: 'Close settings' }).click();
}

async function createBase(page: Page, name: string, description = ''): Promise<void> {
  await page.getByTestId('knowledge-open').click();
  const panel = page.getByTestId('knowledge-panel');
  await panel.getByTestId('knowledge-create').click();
  await panel.getByTestId('knowledge-name').fill(name);
  if (description) await panel.getByTestId('knowledge-description').fill(description);
  await panel.getByTestId('knowledge-save').click();
  await expect(panel.getByTestId('knowledge-base')).toBeVisible();
}

const doc = (page: Page, name: string) => page.locator(`[data-testid="knowledge-doc"][data-name="${name}"]`);

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

  // The tab goes away mid-indexing; the server answers again; the next visit resumes.
  await page.reload();
  fake.setScenario('slow-embed', null);
  await page.getByTestId('knowledge-open').click();
  await page.getByTestId('knowledge-item').first().locator('button').click();
  await expect(doc(page, 'first.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });

  fake.setScenario('slow-embed', { hang: true });
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'second.md', mimeType: 'text/markdown', buffer: Buffer.from('# Second\n\nTrains leave from platform four.\n') }]);
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'indexing', { timeout: 30_000 });
  await doc(page, 'second.md').getByTestId('knowledge-doc-cancel').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'error');
  await expect(doc(page, 'second.md').getByTestId('knowledge-doc-error')).toContainText('Cancelled');
  await expect(doc(page, 'first.md')).toHaveAttribute('data-status', 'ready');

  // The cancelled one stays cancelled, also after a reload, until re-indexed. (The reload also
  // drops the embedding request that still hangs: cancel does not abort a request in flight.)
  fake.setScenario('slow-embed', null);
  await page.reload();
  await page.getByTestId('knowledge-open').click();
  await page.getByTestId('knowledge-item').first().locator('button').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'error');
  await doc(page, 'second.md').getByTestId('knowledge-doc-reindex').click();
  await expect(doc(page, 'second.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
});
