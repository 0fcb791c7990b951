import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { test, expect, openApp, setupOpenAI, send, lastAssistant } from './fixtures';

const FIXTURES = new URL('../../shared/fixtures/exports/', import.meta.url);
const fixture = async (name: string) => readFile(new URL(name, FIXTURES), 'utf8');

/** The library's tables as stored in IndexedDB, read with the raw API (settings left out: the sidebar keeps hints there). */
async function dumpDb(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('parley');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const name of ['chats', 'messages', 'nodes', 'folders', 'connections', 'prompts']) {
      out[name] = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    db.close();
    return out;
  });
}

/**
 * The answer is done and the task model's writes that follow it have landed (follow-ups, then a
 * first answer's tags, the last task), so a dump of the database taken now stays as it is.
 */
async function answered(page: Page): Promise<void> {
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('follow-up')).toHaveCount(3);
  await expect.poll(async () => (await dumpDb(page))['chats']!.every((c) => ((c as { tags: string[] }).tags ?? []).length > 0)).toBe(true);
}

async function openData(page: Page): Promise<void> {
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('import-file')).toBeVisible();
}

async function importText(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const report = (page: Page) => page.getByTestId('import-report');

async function closeSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Close settings' }).click();
}

test('imports ChatGPT’s conversations.json: one chat, its visible thread, and not twice', async ({ page }) => {
  const text = await fixture('chatgpt-conversations.export.json');
  const expected = JSON.parse(await fixture('chatgpt-conversations.json')).expected as { titles: string[]; visibleThread: Array<Array<{ role: string; contentPrefix: string }>> };
  await openApp(page);
  await openData(page);
  await importText(page, 'conversations.json', text);
  await expect(report(page)).toHaveAttribute('data-status', 'ok');
  await expect(report(page)).toHaveText('Imported 1 chat (10 messages).');
  await closeSettings(page);
  const item = page.getByTestId('chat-list-item');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(expected.titles[0]!);
  await item.click();
  const messages = page.getByTestId('message');
  await expect(messages).toHaveCount(expected.visibleThread[0]!.length);
  for (const [i, m] of expected.visibleThread[0]!.entries()) {
    await expect(messages.nth(i)).toHaveAttribute('data-role', m.role);
    // Markdown rendering drops some characters of the source; the first words are enough.
    await expect(messages.nth(i).getByTestId('message-content')).toContainText(m.contentPrefix.slice(0, 20));
  }

  const before = await dumpDb(page);
  await openData(page);
  await importText(page, 'conversations.json', text);
  await expect(report(page)).toHaveText('This chat was already imported; nothing was added.');
  expect(await dumpDb(page)).toEqual(before);
});

test('imports an Open WebUI chat object with its model and usage', async ({ page }) => {
  await openApp(page);
  await openData(page);
  await importText(page, 'chat.json', await fixture('openwebui-chat-object.export.json'));
  await expect(report(page)).toHaveText('Imported 1 chat (2 messages).');
  await closeSettings(page);
  await page.getByTestId('chat-list-item').click();
  await expect(page.getByTestId('message')).toHaveCount(2);
  await expect(lastAssistant(page)).toHaveAttribute('data-model-id', 'deepseek/deepseek-chat:free');
  await expect(lastAssistant(page).getByTestId('message-content')).toContainText('Goldwater Rule');
});

async function freshPage(browser: Browser, page: Page): Promise<{ fresh: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const fresh = await context.newPage();
  await openApp(fresh);
  return { fresh, close: () => context.close() };
}

test('export all, then import into a fresh browser: the same chats and messages', async ({ page, fake, browser }) => {
  await setupOpenAI(page, fake);
  await send(page, 'first question');
  await answered(page);
  await send(page, 'second <b>question</b>');
  await answered(page);
  await page.getByTestId('new-chat').click();
  await send(page, 'another chat');
  await answered(page);
  await expect(page.getByTestId('chat-list-item')).toHaveCount(2);

  await openData(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
  expect(download.suggestedFilename()).toMatch(/^parley-chats-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile(await download.path(), 'utf8');
  const rows = JSON.parse(text) as Array<{ chat: { history: { messages: Record<string, { timestamp: number }> } }; created_at: number }>;
  expect(rows).toHaveLength(2);
  // Open WebUI's units: seconds on rows and messages.
  expect(rows[0]!.created_at).toBeLessThan(1e11);
  for (const m of Object.values(rows[0]!.chat.history.messages)) expect(m.timestamp).toBeLessThan(1e11);
  const before = await dumpDb(page);

  const { fresh, close } = await freshPage(browser, page);
  try {
    await openData(fresh);
    await importText(fresh, download.suggestedFilename(), text);
    await expect(report(fresh)).toHaveText('Imported 2 chats (6 messages).');
    const after = await dumpDb(fresh);
    const sortById = (xs: unknown[]) => [...(xs as Array<{ id: string }>)].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const t of ['chats', 'messages', 'nodes'] as const) expect(sortById(after[t]!)).toEqual(sortById(before[t]!));
    // And once more: nothing doubles.
    await importText(fresh, download.suggestedFilename(), text);
    await expect(report(fresh)).toHaveText('All 2 chats were already imported; nothing was added.');
    expect((await dumpDb(fresh)).messages).toHaveLength(6);
  } finally {
    await close();
  }
});

test('a backup leaves API keys out unless ticked and restores chats in a fresh browser', async ({ page, fake, browser }) => {
  await setupOpenAI(page, fake);
  await send(page, 'backed up');
  await answered(page);
  await openData(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-backup').click()]);
  expect(download.suggestedFilename()).toMatch(/^parley-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const text = await readFile(await download.path(), 'utf8');
  expect(JSON.parse(text)).toMatchObject({ format: 'parley-backup', version: 1, includesKeys: false });
  expect(text).not.toContain('sk-test-123');
  const { fresh, close } = await freshPage(browser, page);
  try {
    await openData(fresh);
    await importText(fresh, 'backup.json', text);
    await expect(report(fresh)).toContainText('Imported 1 chat (2 messages); restored');
    await expect(fresh.getByTestId('connection-item')).toHaveCount(1);
  } finally {
    await close();
  }
});

const cycle = JSON.stringify([{ id: 'loop', title: 'Loop', chat: { title: 'Loop', history: { currentId: 'a', messages: { a: { id: 'a', parentId: 'b', role: 'user', content: 'x' }, b: { id: 'b', parentId: 'a', role: 'assistant', content: 'y' } } } } }]);
const wrongTypes = JSON.stringify([{ id: 'w', title: 'Wrong', chat: { title: 'Wrong', history: { currentId: 'a', messages: { a: { id: 'a', parentId: null, role: 'user', content: { evil: true } } } } } }]);

const BAD_FILES = [
  ['invalid JSON', '[{"title": "cut', /not valid JSON/],
  ['deeply nested JSON', `[{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}]`, /nested more than 64 levels/],
  ['a cycle in a message tree', cycle, /skipped|cycle/],
  ['wrong types', wrongTypes, /content/],
  ['an unknown format', '{"hello":"world"}', /not a chat export Parley knows/],
] as const;

// One app for all five files (a setup each cost ~5 s of the suite): each import is refused on its own.
test('rejects invalid JSON, deep nesting, a cycle, wrong types and an unknown format, each leaving the database as it was', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'keep me');
  await answered(page);
  const before = await dumpDb(page);
  await openData(page);
  for (const [what, text, message] of BAD_FILES) {
    await test.step(`rejects ${what}`, async () => {
      await importText(page, 'bad.json', text);
      await expect(report(page)).toHaveAttribute('data-status', 'error');
      await expect(report(page)).toContainText(message);
      expect(await dumpDb(page)).toEqual(before);
    });
  }
});

test('HTML and script in imported text are shown as text, never run', async ({ page }) => {
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const file = JSON.stringify([{ id: 'html', title: `<b>bold</b> title`, chat: { title: 'x', history: { currentId: 'b', messages: { a: { id: 'a', parentId: null, role: 'user', content: evil, timestamp: 1700000000 }, b: { id: 'b', parentId: 'a', role: 'assistant', content: evil, timestamp: 1700000001 } } } } }]);
  await openApp(page);
  await openData(page);
  await importText(page, 'html.json', file);
  await expect(report(page)).toHaveText('Imported 1 chat (2 messages).');
  await closeSettings(page);
  await expect(page.getByTestId('chat-list-item')).toContainText('<b>bold</b> title');
  await page.getByTestId('chat-list-item').click();
  await expect(page.getByTestId('message').first().getByTestId('message-content')).toContainText('<script>window.__pwned=2</script>');
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('[data-testid="message-content"] img, [data-testid="message-content"] script').count()).toBe(0);
});

test('a chat’s menu downloads it as Open WebUI JSON (which imports back) and as Markdown', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'menu question');
  await answered(page);
  const item = page.getByTestId('chat-list-item').first();
  const download = async (testId: string) => {
    await item.hover();
    await item.getByTestId('chat-menu').click();
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    return { name: d.suggestedFilename(), text: await readFile(await d.path(), 'utf8') };
  };
  const md = await download('chat-download-md');
  expect(md.name).toMatch(/^chat-.+\.md$/);
  expect(md.text).toMatch(/^# .+\n\n## User\n\nmenu question\n\n## Assistant \(gpt-4o-mini\)\n\nYou said: menu question/);
  const json = await download('chat-download-json');
  expect(json.name).toMatch(/^chat-.+\.json$/);
  const rows = JSON.parse(json.text) as Array<{ chat: { messages: Array<{ role: string; content: string }> } }>;
  expect(rows).toHaveLength(1);
  expect(rows[0]!.chat.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  // The same chat, so importing it back adds nothing.
  await openData(page);
  await importText(page, json.name, json.text);
  await expect(report(page)).toHaveText('This chat was already imported; nothing was added.');
});

test('a big file shows a progress bar while it is read, then the report', async ({ page }) => {
  // ~4 MB: 300 chats of 20 messages, enough for several progress reports (one per 512 KB read).
  const rows = Array.from({ length: 300 }, (_, c) => {
    const messages: Record<string, unknown> = {};
    let parent: string | null = null;
    for (let i = 0; i < 20; i++) {
      const id = `p${c}-${i}`;
      messages[id] = { id, parentId: parent, childrenIds: [], role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(60), timestamp: 1_700_000_000 + c * 100 + i };
      parent = id;
    }
    return { id: `progress-${c}`, title: `Progress ${c}`, chat: { title: `Progress ${c}`, history: { currentId: parent, messages } }, created_at: 1_700_000_000 + c * 100, updated_at: 1_700_000_000 + c * 100 + 20 };
  });
  await openApp(page);
  await openData(page);
  await page.evaluate(() => {
    const w = window as unknown as { __progress: number[] };
    w.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="import-progress"]');
      const v = Number(bar?.getAttribute('aria-valuenow'));
      if (bar && w.__progress.at(-1) !== v) w.__progress.push(v);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await importText(page, 'big.json', JSON.stringify(rows));
  await expect(report(page)).toHaveText('Imported 300 chats (6,000 messages).');
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
  const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
  expect(seen.length).toBeGreaterThan(2);
  expect(seen.at(-1)).toBe(100);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
});
