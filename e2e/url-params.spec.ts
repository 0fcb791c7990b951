import { test, expect, lastAssistant, setupOpenAI, storedCounts } from './fixtures';
import type { FakeLlm } from './fake-llm/server';

/** What the fake server was asked to answer (chat completions), oldest first. */
function chatRequests(fake: FakeLlm) {
  return fake.requests().filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
}

function userContent(fake: FakeLlm, i: number): string {
  const msgs = (chatRequests(fake)[i]!.body as { messages: Array<{ role: string; content: string }> }).messages;
  return msgs.filter((m) => m.role === 'user').at(-1)!.content;
}


test('?q= is sent to the default model, leaves the address, and a reload does not send it again', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.goto('/?q=hello%20from%20the%20sidebar&web-search=true&tools=a,b&image-generation=false&keep=1');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: hello from the sidebar');
  await expect(lastAssistant(page)).toHaveAttribute('data-model-id', 'gpt-4o-mini');
  await expect(page.locator('[data-testid="toast"][data-kind="info"]', { hasText: 'Not available in Parley: web search, tools.' })).toBeVisible();
  // The chat's own address; only the parameter Parley does not know stays.
  await expect(page).toHaveURL(/\/c\/[A-Za-z0-9_-]+\?keep=1$/);
  expect(chatRequests(fake)).toHaveLength(1);

  await page.reload();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('message')).toHaveCount(2);
  expect(chatRequests(fake)).toHaveLength(1);
  expect(await storedCounts(page)).toMatchObject({ chats: 1, messages: 2 });
});

test('submit=false and the share target only fill; models= asks several side by side without changing the default; an unknown one opens the picker', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const input = page.getByTestId('composer-input');

  await page.goto('/?q=just%20a%20draft&submit=false');
  await expect(input).toHaveValue('just a draft');
  await expect(page).toHaveURL(/\/$/);

  await page.goto('/?title=A%20page&text=Look%20at%20this%20https%3A%2F%2Fexample.org%2Fx&url=https%3A%2F%2Fexample.org%2Fx');
  await expect(input).toHaveValue('A page\n\nLook at this https://example.org/x');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('message')).toHaveCount(0);

  // One unknown model: the picker opens on it, and the question waits for the user's pick.
  await page.goto('/?model=no-such-model&q=which%20one');
  await expect(page.getByTestId('model-search')).toHaveValue('no-such-model');
  await expect(input).toHaveValue('which one');
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'gpt-4o-mini');
  await expect(page).toHaveURL(/\/$/);
  expect(chatRequests(fake)).toHaveLength(0);

  // Two known and one unknown: the two answer side by side, the unknown is named.
  await page.goto('/?models=fake-reasoner,nope,gpt-4o-mini&q=compare');
  const columns = page.getByTestId('answer-columns');
  await expect(columns.locator('[data-testid="message"][data-status="done"]')).toHaveCount(2);
  await expect(columns.locator('[data-testid="message"][data-model-id="fake-reasoner"]')).toHaveCount(1);
  await expect(columns.locator('[data-testid="message"][data-model-id="gpt-4o-mini"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="toast"][data-kind="info"]', { hasText: 'left out: nope' })).toBeVisible();
  expect(chatRequests(fake).map((r) => (r.body as { model: string }).model).sort()).toEqual(['fake-reasoner', 'gpt-4o-mini']);
  // The saved default is what it was: a new chat, and a fresh start, use it alone.
  await page.getByTestId('new-chat').click();
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'gpt-4o-mini');
  await page.goto('/');
  await expect(page.getByTestId('model-select')).toHaveAttribute('data-model-id', 'gpt-4o-mini');
});

test('load-url attaches a readable page in a temporary chat; a page the site does not share gives a notice and the question still goes', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  const article = `${fake.url}/page/article`;
  await page.goto(`/?temporary-chat=true&q=summarise&load-url=${encodeURIComponent(article)}`);
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('temporary-toggle')).toHaveAttribute('aria-pressed', 'true');
  const chip = page.locator('[data-testid="message"][data-role="user"]').getByTestId('message-context');
  await expect(chip).toHaveAttribute('data-url', article);
  await expect(chip).toContainText('Otters at work');
  await expect(page.locator('[data-testid="message"][data-role="user"]').getByTestId('message-content')).toHaveText('summarise');
  const sent = userContent(fake, 0);
  expect(sent).toContain(`<context source="url" url="${article}" title="Otters at work">`);
  expect(sent).toContain('Sea otters use stones as tools to open shells.');
  expect(sent).toContain('- in a pouch under the arm.');
  for (const never of ['script text', 'Site header', 'Footer', 'Aside', 'About us']) expect(sent).not.toContain(never);
  expect(sent.endsWith('</context>\n\nsummarise')).toBe(true);
  expect(await storedCounts(page)).toMatchObject({ chats: 0, messages: 0 });
  await expect(page).toHaveURL(/\/$/);

  // Not sent: the page waits above the composer as a chip, which can be removed.
  await page.goto(`/?q=later&submit=false&load-url=${encodeURIComponent(article)}`);
  const pending = page.getByTestId('composer-context');
  await expect(pending).toHaveAttribute('data-url', article);
  await expect(page.getByTestId('composer-input')).toHaveValue('later');
  await pending.getByTestId('composer-context-remove').click();
  await expect(pending).toHaveCount(0);
  expect(chatRequests(fake)).toHaveLength(1);

  const blocked = `${fake.url}/x/${encodeURIComponent(JSON.stringify({ cors: false }))}/page/article`;
  await page.goto(`/?q=still%20here&load-url=${encodeURIComponent(blocked)}`);
  await expect(page.locator('[data-testid="toast"][data-kind="error"]', { hasText: `Could not attach ${blocked}` })).toContainText('CORS');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: still here');
  expect(userContent(fake, 1)).toBe('still here');
  await expect(page.getByTestId('message-context')).toHaveCount(0);
});

test('Firefox sidebar flow: at 360 px, the provider address with models= and the sidebar prompt in q= is answered by that model, in one column', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.setViewportSize({ width: 360, height: 740 });
  // What Firefox opens for "Summarize" on selected text: the provider URL plus its prompt in q.
  const prompt = 'I’m on page "Otters" with the selected text:\n\nOtters hold hands while sleeping.\n\nPlease summarize the selection using precise and concise language.';
  await page.goto(`/?models=fake-reasoner&q=${encodeURIComponent(prompt)}`);
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page)).toHaveAttribute('data-model-id', 'fake-reasoner');
  expect(userContent(fake, 0)).toBe(prompt);
  expect((chatRequests(fake)[0]!.body as { model: string }).model).toBe('fake-reasoner');
  // The chat list waits behind its button; nothing is wider than the sidebar.
  await expect(page.getByTestId('chat-search')).not.toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(page.getByTestId('composer-input')).toBeInViewport();
});
