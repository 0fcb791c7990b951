import type { Page } from '@playwright/test';
import { test, expect, send, lastAssistant, setupOpenAI } from './fixtures';
import type { FakeLlm } from './fake-llm/server';

/** The chats as stored, read straight from IndexedDB. */
async function storedChats(page: Page): Promise<Array<{ title: string; tags: string[] }>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('parley');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('chats', 'readonly').objectStore('chats').getAll();
          req.onsuccess = () => {
            resolve((req.result as Array<{ title: string; tags?: string[] }>).map((c) => ({ title: c.title, tags: c.tags ?? [] })));
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** Which task each task request asked for (by the JSON key its prompt shows), in order. */
function taskKinds(fake: FakeLlm): string[] {
  return fake.taskRequests().map((r) => {
    const body = r.body as { messages: Array<{ content: string }> };
    const prompt = body.messages.at(-1)!.content;
    return prompt.includes('"follow_ups"') ? 'follow_ups' : prompt.includes('"tags"') ? 'tags' : 'title';
  });
}

const sidebarTitle = (page: Page) => page.getByTestId('chat-list-item').first().locator('a');

async function setToggles(page: Page, on: { title?: boolean; tags?: boolean; followUps?: boolean }): Promise<void> {
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('tasks-section');
  if (on.title !== undefined) await section.getByTestId('task-title-toggle').setChecked(on.title);
  if (on.tags !== undefined) await section.getByTestId('task-tags-toggle').setChecked(on.tags);
  if (on.followUps !== undefined) await section.getByTestId('task-follow-ups-toggle').setChecked(on.followUps);
  await expect(section.getByRole('status')).toHaveText('Saved.');
  await page.getByRole('button', { name: 'Close settings' }).click();
}

test('after the first answer: a generated title, tags, and follow-ups that send on click', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await send(page, 'How do volcanoes form?');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  // The fake task model wraps the title's JSON in prose and a ```json fence.
  await expect(sidebarTitle(page)).toHaveText('About How do volcanoes form');
  await expect(page.locator('.chat-title')).toHaveText('About How do volcanoes form');
  await expect.poll(async () => (await storedChats(page))[0]?.tags).toEqual(['general', 'topic_how']);
  // The sidebar's tag filter knows them, as it knows tags the user adds.
  await page.getByTestId('tag-filter').selectOption('topic_how');
  await expect(sidebarTitle(page)).toHaveText('About How do volcanoes form');
  await page.getByTestId('tag-filter').selectOption('');
  const followUps = lastAssistant(page).getByTestId('follow-up');
  await expect(followUps).toHaveText(['Tell me more about How do volcanoes form', 'Why does How do volcanoes form matter?', 'Give an example of How do volcanoes form']);

  await followUps.nth(1).click();
  await expect(page.locator('[data-testid="message"][data-role="user"]').last().getByTestId('message-content')).toHaveText('Why does How do volcanoes form matter?');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: Why does How do volcanoes form matter?');
  // The new answer gets its own follow-ups; only the last answer shows any.
  await expect(page.getByTestId('follow-ups')).toHaveCount(1);
  await expect(lastAssistant(page).getByTestId('follow-up')).toHaveCount(3);
  // Title and tags come once: the second answer asked for follow-ups only.
  expect(taskKinds(fake)).toEqual(['title', 'follow_ups', 'tags', 'follow_ups']);
  await expect(sidebarTitle(page)).toHaveText('About How do volcanoes form');
  // The chat model got only the chat requests; no notice was shown.
  expect(fake.requests().filter((r) => r.method === 'POST')).toHaveLength(2);
  await expect(page.getByTestId('toast')).toHaveCount(0);
});

test('title and tags off: only follow-ups are asked for, the title stays the question', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await setToggles(page, { title: false, tags: false });
  await send(page, 'Plan a trip to Lisbon');
  await expect(lastAssistant(page).getByTestId('follow-up')).toHaveCount(3);
  expect(taskKinds(fake)).toEqual(['follow_ups']);
  await expect(sidebarTitle(page)).toHaveText('Plan a trip to Lisbon');
  expect((await storedChats(page))[0]?.tags).toEqual([]);
});

test('follow-ups off: none are asked for or shown (tags, the last task, still come)', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await setToggles(page, { followUps: false });
  await send(page, 'Plan a trip to Lisbon');
  await expect.poll(async () => (await storedChats(page))[0]?.tags).toEqual(['general', 'topic_plan']);
  expect(taskKinds(fake)).toEqual(['title', 'tags']);
  await expect(page.getByTestId('follow-up')).toHaveCount(0);
});

test('a failing task model changes nothing and shows no notice; the chat goes on', async ({ page, fake }) => {
  fake.setTaskScenario({ status: 500 });
  await setupOpenAI(page, fake);
  await send(page, 'How do volcanoes form?');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await expect.poll(() => taskKinds(fake)).toEqual(['title', 'follow_ups', 'tags']);
  // Answers that are not JSON fail the same quiet way; the title is asked for again while it is still the question.
  fake.setTaskScenario({ reply: 'Sorry, I cannot help with that.' });
  await send(page, 'And earthquakes?');
  await expect(lastAssistant(page).getByTestId('message-content')).toHaveText('You said: And earthquakes?');
  await expect.poll(() => taskKinds(fake)).toEqual(['title', 'follow_ups', 'tags', 'title', 'follow_ups']);
  await expect(sidebarTitle(page)).toHaveText('How do volcanoes form?');
  expect((await storedChats(page))[0]).toEqual({ title: 'How do volcanoes form?', tags: [] });
  await expect(page.getByTestId('follow-up')).toHaveCount(0);
  await expect(page.getByTestId('toast')).toHaveCount(0);
});

test('a task model set in Settings gets the task requests, the chat model only the chat', async ({ page, fake }) => {
  fake.setModels('openai', ['gpt-4o-mini', 'fake-tasker']);
  await setupOpenAI(page, fake);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('task-model-select').click();
  await page.getByTestId('model-search').fill('fake-tasker');
  await page.locator('[data-testid="model-option"][data-model-id="fake-tasker"]').first().click();
  await expect(page.getByTestId('task-model-select')).toHaveAttribute('data-model-id', 'fake-tasker');
  await page.getByRole('button', { name: 'Close settings' }).click();

  await send(page, 'How do volcanoes form?');
  await expect(sidebarTitle(page)).toHaveText('About How do volcanoes form');
  await expect.poll(() => fake.taskRequests().length).toBe(3);
  expect(fake.taskRequests().map((r) => (r.body as { model: string }).model)).toEqual(['fake-tasker', 'fake-tasker', 'fake-tasker']);
  // Sent like a chat: through the connection, with its key, short.
  expect(fake.taskRequests()[0]!.headers['authorization']).toBe('Bearer sk-test-123');
  expect((fake.taskRequests()[0]!.body as { max_tokens: number }).max_tokens).toBe(256);
  expect(fake.requests().filter((r) => r.method === 'POST').map((r) => (r.body as { model: string }).model)).toEqual(['gpt-4o-mini']);
});

test('every task off: an answer asks for nothing; turned back on, the next answer gets its follow-ups', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await setToggles(page, { title: false, tags: false, followUps: false });
  await send(page, 'Plan a trip to Lisbon');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  await setToggles(page, { followUps: true });
  await send(page, 'And Porto?');
  await expect(lastAssistant(page).getByTestId('follow-up')).toHaveCount(3);
  // The first answer's tasks (had any run) would have come before the second answer was even asked.
  expect(taskKinds(fake)).toEqual(['follow_ups']);
  await expect(sidebarTitle(page)).toHaveText('Plan a trip to Lisbon');
  expect((await storedChats(page))[0]?.tags).toEqual([]);
});

test('an edited prompt is what the task model gets; Reset to default brings ours back', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('tasks-section');
  await section.getByText('Prompts').click();
  const title = section.getByTestId('task-template-title');
  const ours = await title.inputValue();
  expect(ours).toContain('{{MESSAGES:END:2}}');
  await title.fill('### Task: My own naming rules. Answer {"title": "..."}\n{{MESSAGES:END:2}}');
  await section.locator('[data-testid="task-template-save"][data-kind="title"]').click();
  await expect(section.getByRole('status')).toHaveText('Title prompt saved.');
  await page.getByRole('button', { name: 'Close settings' }).click();

  await send(page, 'How do volcanoes form?');
  await expect(sidebarTitle(page)).toHaveText('About How do volcanoes form');
  const first = fake.taskRequests()[0]!.body as { messages: Array<{ content: string }> };
  expect(first.messages.at(-1)!.content).toBe('### Task: My own naming rules. Answer {"title": "..."}\nUSER: How do volcanoes form?\nASSISTANT: You said: How do volcanoes form?');

  await page.getByTestId('settings-open').click();
  await section.getByText('Prompts').click();
  await expect(title).toHaveValue('### Task: My own naming rules. Answer {"title": "..."}\n{{MESSAGES:END:2}}');
  await section.locator('[data-testid="task-template-reset"][data-kind="title"]').click();
  await expect(title).toHaveValue(ours);
  await expect(section.getByRole('status')).toHaveText('Title prompt saved.');
});
