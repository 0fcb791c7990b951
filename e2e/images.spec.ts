import type { Page } from '@playwright/test';
import { test, expect, openApp, addConnection, pickModel, lastAssistant, setupOpenAI } from './fixtures';

/** A valid 1×1 PNG. */
const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG = Buffer.from(PNG_B64, 'base64');
/** The PNG signature and then garbage: claims to be an image, does not decode. */
const BROKEN = Buffer.concat([PNG.subarray(0, 8), Buffer.from('not really an image at all')]);

const userMessage = (page: Page) => page.locator('[data-testid="message"][data-role="user"]').last();

/** Pastes (or drops) a PNG made in the page, as the clipboard or a drag from the desktop would. */
async function pastePng(page: Page, name: string, how: 'paste' | 'drop'): Promise<void> {
  await page.evaluate(
    ({ b64, name, how }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'image/png' }));
      const ta = document.querySelector('[data-testid="composer-input"]')!;
      if (how === 'paste') {
        ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      } else {
        ta.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        ta.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { b64: PNG_B64, name, how },
  );
}

/** The stored rows, read straight from IndexedDB. */
async function stored(page: Page): Promise<{ contents: string[]; attachments: number; blobs: Array<{ chatId: string; size: number; type: string }> }> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('parley');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['messages', 'blobs'], 'readonly');
          const msgs = tx.objectStore('messages').getAll();
          const blobs = tx.objectStore('blobs').getAll();
          tx.oncomplete = () => {
            const rows = msgs.result as Array<{ content: string; attachments?: unknown[] }>;
            resolve({
              contents: rows.map((r) => r.content),
              attachments: rows.reduce((n, r) => n + (r.attachments?.length ?? 0), 0),
              blobs: (blobs.result as Array<{ chatId: string; blob: Blob }>).map((b) => ({ chatId: b.chatId, size: b.blob.size, type: b.blob.type })),
            });
            open.result.close();
          };
        };
      }),
  );
}

test('images picked, pasted and dropped go to OpenAI as image_url parts, are stored as Blobs and survive a reload', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('composer-file').setInputFiles([{ name: 'picked.png', mimeType: 'image/png', buffer: PNG }]);
  await pastePng(page, 'pasted.png', 'paste');
  await pastePng(page, 'dropped.png', 'drop');
  const pending = page.getByTestId('composer-attachment');
  await expect(pending).toHaveCount(3);
  await expect(pending.nth(0)).toHaveAttribute('data-name', 'picked.png');
  // A paste of files inserts no text.
  await expect(page.getByTestId('composer-input')).toHaveValue('');

  // Remove one before sending.
  await pending.nth(2).getByTestId('composer-attachment-remove').click();
  await expect(pending).toHaveCount(2);

  await page.getByTestId('composer-input').fill('What is in these?');
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(pending).toHaveCount(0);
  await expect(userMessage(page).getByTestId('message-image')).toHaveCount(2);

  const chat = fake.requests().find((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  const body = chat?.body as { messages: Array<{ role: string; content: unknown }> };
  expect(body.messages).toEqual([
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_B64}` } },
      ],
    },
  ]);

  // The message row holds metadata; the bytes are Blobs in their own table.
  const rows = await stored(page);
  expect(rows.contents).toContain('What is in these?');
  for (const c of rows.contents) expect(c).not.toContain('base64');
  for (const c of rows.contents) expect(c).not.toContain(PNG_B64.slice(0, 12));
  expect(rows.attachments).toBe(2);
  expect(rows.blobs).toEqual([
    { chatId: expect.any(String), size: PNG.length, type: 'image/png' },
    { chatId: expect.any(String), size: PNG.length, type: 'image/png' },
  ]);

  // A click opens the full image; Escape closes it.
  await userMessage(page).getByTestId('message-image').first().click();
  await expect(page.getByTestId('image-overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('image-overlay')).toHaveCount(0);

  await page.reload();
  const thumbs = userMessage(page).getByTestId('message-image');
  await expect(thumbs).toHaveCount(2);
  // The thumbnail decoded from the stored Blob.
  await expect.poll(() => thumbs.first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);

  // Deleting the chat deletes its images.
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('chat-list-item').first().getByTestId('chat-delete').click();
  await expect(page.getByTestId('chat-list-item')).toHaveCount(0);
  await expect.poll(async () => (await stored(page)).blobs.length).toBe(0);
});

test('an image alone goes to Ollama in `images`, bare base64', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await pickModel(page, 'llama3.2:latest');
  await page.getByTestId('composer-file').setInputFiles([{ name: 'a.png', mimeType: 'image/png', buffer: PNG }]);
  await expect(page.getByTestId('composer-attachment')).toHaveCount(1);
  // No text needed when an image goes.
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chat = fake.requests().find((r) => r.method === 'POST' && r.path === '/api/chat');
  const body = chat?.body as { messages: Array<Record<string, unknown>> };
  expect(body.messages).toEqual([{ role: 'user', content: '', images: [PNG_B64] }]);
  await expect(userMessage(page).getByTestId('message-image')).toHaveCount(1);
});

test('a non-image, a broken image and a file over 10 MB are refused with a notice; nothing is stored', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const input = page.getByTestId('composer-file');
  await input.setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
  await expect(page.getByTestId('toast').filter({ hasText: '“notes.txt” is not an image' })).toBeVisible();
  await input.setInputFiles([{ name: 'broken.png', mimeType: 'image/png', buffer: BROKEN }]);
  await expect(page.getByTestId('toast').filter({ hasText: '“broken.png” could not be read as an image' })).toBeVisible();
  await input.setInputFiles([{ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) }]);
  await expect(page.getByTestId('toast').filter({ hasText: '“huge.png” is 10.0 MB; images can be at most 10 MB.' })).toBeVisible();
  await expect(page.getByTestId('composer-attachment')).toHaveCount(0);
  await expect(page.getByTestId('composer-send')).toBeDisabled();

  // A good one beside a bad one: the good one stays.
  await input.setInputFiles([
    { name: 'ok.png', mimeType: 'image/png', buffer: PNG },
    { name: 'bad.png', mimeType: 'image/png', buffer: BROKEN },
  ]);
  await expect(page.getByTestId('composer-attachment')).toHaveCount(1);
  await expect(page.getByTestId('composer-attachment')).toHaveAttribute('data-name', 'ok.png');
  expect((await stored(page)).blobs).toEqual([]);
});

test('an edited question keeps its images', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('composer-file').setInputFiles([{ name: 'a.png', mimeType: 'image/png', buffer: PNG }]);
  await page.getByTestId('composer-input').fill('first');
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await userMessage(page).hover();
  await userMessage(page).getByTestId('message-edit').click();
  await page.getByTestId('message-edit-input').fill('second');
  await page.getByTestId('message-edit-save').click();
  await expect(userMessage(page).getByTestId('message-content')).toHaveText('second');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(userMessage(page).getByTestId('message-image')).toHaveCount(1);
  const last = fake.requests().filter((r) => r.path.endsWith('/chat/completions')).at(-1);
  expect(JSON.stringify(last?.body)).toContain(`data:image/png;base64,${PNG_B64}`);
  expect((await stored(page)).blobs).toHaveLength(2);
});

test('at 350 px, eight pending images fit and a ninth is refused', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  // Narrowed after setup: at 350 px the settings button sits in the closed sidebar.
  await page.setViewportSize({ width: 350, height: 700 });
  const files = Array.from({ length: 9 }, (_, i) => ({ name: `p${i}.png`, mimeType: 'image/png', buffer: PNG }));
  await page.getByTestId('composer-file').setInputFiles(files);
  await expect(page.getByTestId('composer-attachment')).toHaveCount(8);
  await expect(page.getByTestId('toast').filter({ hasText: 'At most 8 images per message; “p8.png” was left out.' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(350);
  for (const id of ['composer-attach', 'composer-input', 'composer-send']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 350, id).toBe(true);
  }
  await expect(page.getByTestId('composer-attachment').last()).toBeInViewport();
});

test('deleting a question takes its images with it; Undo brings the images back', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  fake.queue({ reply: 'A picture.' });
  await page.getByTestId('composer-file').setInputFiles([{ name: 'picked.png', mimeType: 'image/png', buffer: PNG }]);
  await page.getByTestId('composer-input').fill('Look');
  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(userMessage(page).getByTestId('message-image')).toHaveCount(1);
  expect((await stored(page)).blobs).toHaveLength(1);

  await userMessage(page).getByTestId('message-delete').click();
  await expect(page.getByTestId('message')).toHaveCount(0);
  await expect.poll(async () => (await stored(page)).blobs.length).toBe(0);

  await page.getByTestId('toast-action').click();
  await expect(userMessage(page).getByTestId('message-image')).toHaveCount(1);
  await expect.poll(async () => (await stored(page)).blobs).toEqual([{ chatId: expect.any(String), size: PNG.length, type: 'image/png' }]);
  // The restored image is the stored bytes, shown again after a reload.
  await page.reload();
  const img = userMessage(page).getByTestId('message-image').locator('img');
  await expect(img).toHaveJSProperty('naturalWidth', 1);
});
