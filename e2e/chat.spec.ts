import { test, expect, openApp, addConnection, pickModel, send, lastAssistant, setupOpenAI } from './fixtures';

test('streams an OpenAI-compatible answer as rendered markdown', async ({ page, fake }) => {
  fake.queue({
    reply: '# Title\n\nSome **bold** text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```\n\nInline $x^2$ and\n\n$$\\int_0^1 x\\,dx$$\n',
  });
  await setupOpenAI(page, fake);
  await send(page, 'Show me markdown');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'done');
  const content = msg.getByTestId('message-content');
  await expect(content.locator('h1')).toHaveText('Title');
  await expect(content.locator('strong')).toHaveText('bold');
  await expect(content.locator('table td').first()).toHaveText('1');
  await expect(content.locator('pre code.hljs')).toContainText('const x = 1;');
  await expect(content.locator('pre code .hljs-keyword').first()).toHaveText('const');
  await expect(content.locator('.katex').first()).toBeVisible();
  await expect(content.locator('.katex-display')).toHaveCount(1);
  // The request reached the fake server with the key and the conversation.
  const chat = fake.requests().find((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  expect(chat?.headers['authorization']).toBe('Bearer sk-test-123');
  expect(JSON.stringify(chat?.body)).toContain('Show me markdown');
  // The user message is shown as sent, and the chat appears in the sidebar.
  await expect(page.locator('[data-testid="message"][data-role="user"]').getByTestId('message-content')).toHaveText('Show me markdown');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
});

test('streams from Ollama native /api/chat', async ({ page, fake }) => {
  await openApp(page);
  await addConnection(page, { kind: 'ollama', url: fake.url });
  await pickModel(page, 'llama3.2:latest');
  await send(page, 'hello ollama');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(msg.getByTestId('message-content')).toHaveText('You said: hello ollama');
  expect(fake.requests().some((r) => r.path === '/api/chat')).toBe(true);
});

test('shows reasoning in a collapsible block', async ({ page, fake }) => {
  fake.queue({ reasoning: 'Let me think about it.', reply: 'The answer is 4.' });
  await setupOpenAI(page, fake);
  await send(page, '2+2?');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(msg.getByTestId('message-reasoning')).toContainText('Let me think about it.');
  await expect(msg.getByTestId('message-content')).toHaveText('The answer is 4.');
});

test('stop keeps the partial answer, marked stopped, also after a reload', async ({ page, fake }) => {
  fake.queue({ tokens: 400, tokensPerSecond: 25 });
  await setupOpenAI(page, fake);
  await send(page, 'long please');
  const msg = lastAssistant(page);
  await expect(msg.getByTestId('message-content')).not.toBeEmpty();
  await expect(page.getByTestId('composer-stop')).toBeVisible();
  await page.waitForTimeout(400);
  await page.getByTestId('composer-stop').click();
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(msg).toHaveAttribute('data-finish-reason', 'stopped');
  await expect(msg.getByText('Stopped')).toBeVisible();
  const partial = (await msg.getByTestId('message-content').innerText()).trim();
  expect(partial.length).toBeGreaterThan(0);
  await expect(page.getByTestId('composer-send')).toBeVisible();
  await page.reload();
  const again = lastAssistant(page);
  await expect(again).toHaveAttribute('data-finish-reason', 'stopped');
  await expect(again.getByTestId('message-content')).toHaveText(partial);
});

test('a reload mid-stream keeps what arrived up to half a second before, marked interrupted', async ({ page, fake }) => {
  fake.queue({ tokens: 2000, tokensPerSecond: 30 });
  await setupOpenAI(page, fake);
  await send(page, 'stream a lot');
  const msg = lastAssistant(page);
  await expect.poll(async () => (await msg.getByTestId('message-content').innerText()).length).toBeGreaterThan(80);
  const seen = (await msg.getByTestId('message-content').textContent()) ?? '';
  await page.waitForTimeout(500);
  await page.reload();
  const after = lastAssistant(page);
  await expect(after).toHaveAttribute('data-status', 'interrupted');
  const kept = (await after.getByTestId('message-content').textContent()) ?? '';
  // Everything on screen half a second before the reload was already stored.
  expect(kept.length).toBeGreaterThanOrEqual(seen.length);
  expect(kept.startsWith(seen.slice(0, 60))).toBe(true);
  // The rest of the database is intact: the user message and the chat are there.
  await expect(page.locator('[data-testid="message"][data-role="user"]').getByTestId('message-content')).toHaveText('stream a lot');
  await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
});

test('a dropped connection keeps the partial answer with a clear error', async ({ page, fake }) => {
  fake.queue({ reply: 'one two three four five six seven eight nine ten', dropAfterTokens: 4, tokensPerSecond: 20 });
  await setupOpenAI(page, fake);
  await send(page, 'drop it');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'error');
  await expect(msg.getByTestId('message-content')).toContainText('one');
  await expect(msg.getByTestId('message-error')).toContainText(/connection|lost|reach/i);
});

test('an error event mid-stream ends the message with that error', async ({ page, fake }) => {
  fake.queue({ reply: 'alpha beta gamma delta epsilon', errorAfterTokens: 3 });
  await setupOpenAI(page, fake);
  await send(page, 'fail midway');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'error');
  await expect(msg.getByTestId('message-content')).toContainText('alpha');
  await expect(msg.getByTestId('message-error')).toContainText('The server had an error');
});

test('an HTTP error answer shows the server’s own message', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  fake.queue({ status: 401 });
  await send(page, 'who am i');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'error');
  await expect(msg.getByTestId('message-error')).toContainText('Incorrect API key provided');
});

test('model output cannot inject HTML; links are safe; remote images wait for a click', async ({ page, fake }) => {
  fake.queue({
    reply: 'Hi <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>\n\n<iframe src="https://example.com"></iframe>\n\n[site](https://example.com) [bad](javascript:alert(1))\n\n![cat](http://127.0.0.1:9/cat.png)\n',
  });
  await setupOpenAI(page, fake);
  await send(page, 'be evil');
  const content = lastAssistant(page).getByTestId('message-content');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(content).toContainText('<script>');
  await expect(content.locator('script, iframe, img[onerror]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  const link = content.locator('a', { hasText: 'site' });
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(link).toHaveAttribute('rel', /noreferrer/);
  await expect(content.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(content.locator('img')).toHaveCount(0);
  await content.locator('.md-image').click();
  await expect(content.locator('img')).toHaveAttribute('src', 'http://127.0.0.1:9/cat.png');
});

test('stop works while the server hangs before answering, and the request is aborted', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  fake.queue({ hang: true });
  await send(page, 'hang please');
  const msg = lastAssistant(page);
  await expect(msg).toHaveAttribute('data-status', 'streaming');
  await page.getByTestId('composer-stop').click();
  await expect(msg).toHaveAttribute('data-status', 'done');
  await expect(msg).toHaveAttribute('data-finish-reason', 'stopped');
  // The composer is usable again at once.
  fake.queue({ reply: 'after the hang' });
  await send(page, 'next');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('after the hang');
});

test('finished blocks are rendered once and kept while the answer keeps streaming', async ({ page, fake }) => {
  fake.queue({ reply: `# First heading\n\nA first paragraph that is finished.\n\n${'more words '.repeat(150)}\n\nThe end.`, tokensPerSecond: 60 });
  await setupOpenAI(page, fake);
  await send(page, 'stream blocks');
  const msg = lastAssistant(page);
  const heading = msg.getByTestId('message-content').locator('h1');
  // Once the third block has begun, the heading is final (only the open last block re-renders).
  await expect(msg.getByTestId('message-content')).toContainText('more words');
  await expect(heading).toHaveText('First heading');
  // Tag the node; if anything re-rendered the finished block, the tag would be gone.
  await heading.evaluate((el) => el.setAttribute('data-tagged', 'yes'));
  await page.waitForTimeout(1200); // several 250 ms persistence writes happen meanwhile
  await expect(msg).toHaveAttribute('data-status', 'streaming');
  await expect(msg.getByTestId('message-content').locator('h1[data-tagged="yes"]')).toHaveCount(1);
  await expect(msg).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(msg.getByTestId('message-content').locator('h1[data-tagged="yes"]')).toHaveCount(1);
  await expect(msg.getByTestId('message-content')).toContainText('The end.');
});
