import { test, expect, setupOpenAI } from './fixtures';
import { createBase, doc, docStatuses, useRemoteEmbeddings } from './knowledge-helpers';

/**
 * Cancel while the embedding server hangs: the request in flight is aborted (the fake server sees
 * the connection closed), the file shows Cancelled, and the next file is indexed — the embedding
 * queue is not left waiting behind the request that never answers.
 */

const embeddingRequests = (fake: { requests(): Array<{ path: string; body: unknown; closedEarly?: true }> }, model: string) =>
  fake.requests().filter((r) => r.path.endsWith('/embeddings') && (r.body as { model?: string } | null)?.model === model);

test('cancelling a file whose embedding request hangs aborts that request; the next file indexes', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await useRemoteEmbeddings(page, 'hang-embed');
  // Every embedding request for this model hangs (no headers, no body) until the client gives up.
  fake.setScenario('hang-embed', { hang: true });
  await createBase(page, 'Stuck');
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'stuck.md', mimeType: 'text/markdown', buffer: Buffer.from('# Stuck\n\nThe ferry leaves at noon.\n') }]);
  await expect(doc(page, 'stuck.md')).toHaveAttribute('data-status', 'indexing', { timeout: 30_000 });
  await expect.poll(() => embeddingRequests(fake, 'hang-embed').length, { timeout: 30_000 }).toBe(1);
  expect(embeddingRequests(fake, 'hang-embed')[0]!.closedEarly).toBeUndefined();

  await doc(page, 'stuck.md').getByTestId('knowledge-doc-cancel').click();
  await expect(doc(page, 'stuck.md').getByTestId('knowledge-doc-error')).toContainText('Cancelled');
  // The request itself was aborted: the server saw its connection close before it answered.
  await expect.poll(() => embeddingRequests(fake, 'hang-embed')[0]!.closedEarly).toBe(true);

  // The server answers again: the next file goes through the same embedding queue.
  fake.setScenario('hang-embed', null);
  await page.getByTestId('knowledge-file-input').setInputFiles([{ name: 'next.md', mimeType: 'text/markdown', buffer: Buffer.from('# Next\n\nTrains leave from platform four.\n') }]);
  await expect(doc(page, 'next.md')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(doc(page, 'stuck.md').getByTestId('knowledge-doc-error')).toContainText('Cancelled');
  expect(await page.evaluate(docStatuses)).toEqual({ 'stuck.md': 'cancelled', 'next.md': 'done' });
  // One request for each: the cancelled file was not sent again.
  expect(embeddingRequests(fake, 'hang-embed')).toHaveLength(2);
});
