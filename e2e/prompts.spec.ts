import type { Page } from '@playwright/test';
import { test, expect, openApp, setupOpenAI, lastAssistant } from './fixtures';

/** Adds a prompt in the open Settings panel and waits for it in the list. */
async function addPrompt(page: Page, p: { command: string; title?: string; content: string }): Promise<void> {
  const before = await page.getByTestId('prompt-item').count();
  await page.getByTestId('prompt-add').click();
  await page.getByTestId('prompt-command').fill(p.command);
  if (p.title !== undefined) await page.getByTestId('prompt-title').fill(p.title);
  await page.getByTestId('prompt-content').fill(p.content);
  await page.getByTestId('prompt-save').click();
  await expect(page.getByTestId('prompt-item')).toHaveCount(before + 1);
}

const closeSettings = (page: Page) => page.getByRole('button', { name: 'Close settings' }).click();

test('a prompt with a variable is picked from the slash menu by keyboard, filled, and sent as filled', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.getByTestId('settings-open').click();
  await addPrompt(page, { command: 'explain-code', title: 'Explain code', content: 'Explain this code.' });
  await addPrompt(page, { command: '/Explain-Topic', title: 'Explain a topic', content: 'Explain {{topic}} to a child, in {{ USER_LANGUAGE }}. Date: {{CURRENT_DATE}}.' });
  await expect(page.locator('[data-testid="prompt-item"][data-command="explain-topic"]')).toBeVisible();
  await closeSettings(page);

  const input = page.getByTestId('composer-input');
  await input.fill('/expl');
  const options = page.getByTestId('prompt-option');
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  // Escape closes the menu; typing on opens it again.
  await input.press('Escape');
  await expect(options).toHaveCount(0);
  await input.press('a');
  await input.press('Backspace');
  await expect(options).toHaveCount(2);
  await input.press('ArrowDown');
  await expect(page.locator('[data-testid="prompt-option"][data-command="explain-topic"]')).toHaveAttribute('aria-selected', 'true');
  await input.press('Enter');

  const form = page.getByTestId('prompt-variables');
  await expect(form).toBeVisible();
  // Enter back in the textarea does not send the bare command; Escape closes the form.
  await input.focus();
  await input.press('Enter');
  await expect(form).toBeVisible();
  await expect(input).toHaveValue('/expl');
  await page.getByTestId('prompt-var-topic').press('Escape');
  await expect(form).toHaveCount(0);
  await expect(options).toHaveCount(0);
  await expect(input).toBeFocused();
  await input.press('a');
  await input.press('Backspace');
  await input.press('ArrowUp');
  await expect(page.locator('[data-testid="prompt-option"][data-command="explain-topic"]')).toHaveAttribute('aria-selected', 'true');
  await input.press('Tab');
  await expect(form).toBeVisible();
  await expect(form.getByRole('textbox')).toHaveCount(1);
  await expect(page.getByTestId('prompt-var-topic')).toBeFocused();
  await page.getByTestId('prompt-var-topic').fill('tides $& {{x}}');
  await page.getByTestId('prompt-var-topic').press('Enter');
  await expect(form).toHaveCount(0);

  const lang = await page.evaluate(() => navigator.language);
  const today = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; });
  const filled = `Explain tides $& {{x}} to a child, in ${lang}. Date: ${today}.`;
  await expect(input).toHaveValue(filled);
  await expect(input).toBeFocused();
  // Inserting is not sending.
  expect(fake.requests().filter((r) => r.method === 'POST')).toHaveLength(0);

  await page.getByTestId('composer-send').click();
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
  const chat = fake.requests().find((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  const messages = (chat?.body as { messages: Array<{ role: string; content: string }> }).messages;
  expect(messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([filled]);
});

test('prompts survive a reload, bad or duplicate commands are refused, a prompt without variables inserts at once', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('settings-open').click();
  await addPrompt(page, { command: 'sum', title: 'Summary', content: 'Summarize in one line:' });

  await page.reload();
  await page.getByTestId('settings-open').click();
  await expect(page.getByTestId('prompt-item')).toHaveCount(1);
  await expect(page.getByTestId('prompt-item')).toHaveAttribute('data-command', 'sum');
  await expect(page.getByTestId('prompt-item')).toContainText('Summary');

  await page.getByTestId('prompt-add').click();
  await page.getByTestId('prompt-command').fill('/SUM');
  await page.getByTestId('prompt-content').fill('another');
  await page.getByTestId('prompt-save').click();
  await expect(page.getByTestId('prompt-error')).toContainText('Another prompt already uses /sum');
  await page.getByTestId('prompt-command').fill('sum up');
  await expect(page.getByTestId('prompt-error')).toHaveCount(0);
  await page.getByTestId('prompt-save').click();
  await expect(page.getByTestId('prompt-error')).toContainText('only use letters, digits');
  await expect(page.getByTestId('prompt-item')).toHaveCount(1);

  // Edit keeps the one record; delete removes it from the menu too.
  await page.getByTestId('prompt-cancel-edit').click();
  await page.getByTestId('prompt-edit').click();
  await page.getByTestId('prompt-content').fill('Summarize in one short line:');
  await page.getByTestId('prompt-save').click();
  await expect(page.getByTestId('prompt-item')).toContainText('Summarize in one short line:');
  await closeSettings(page);

  const input = page.getByTestId('composer-input');
  await input.fill('/su');
  await expect(page.getByTestId('prompt-option')).toHaveCount(1);
  await input.press('Enter');
  await expect(input).toHaveValue('Summarize in one short line:');
  await expect(page.getByTestId('prompt-option')).toHaveCount(0);
  // A slash followed by a space is a message, not a command.
  await input.fill('/su rest');
  await expect(page.getByTestId('prompt-option')).toHaveCount(0);

  await page.getByTestId('settings-open').click();
  await page.getByTestId('prompt-delete').click();
  await expect(page.getByTestId('prompt-item')).toHaveCount(0);
  await closeSettings(page);
  await input.fill('/su');
  await expect(page.getByTestId('prompt-option')).toHaveCount(0);
});

test('the slash menu and the variables form fit a 350 px window', async ({ page }) => {
  await page.setViewportSize({ width: 350, height: 700 });
  await openApp(page);
  await page.getByRole('button', { name: 'Open sidebar' }).click();
  await page.getByTestId('settings-open').click();
  await addPrompt(page, {
    command: 'a-really-long-command-name-for-a-narrow-window',
    title: 'A title long enough to need cutting at three hundred and fifty pixels',
    content: 'Write about {{a_rather_long_variable_name_indeed}} and {{tone}}',
  });
  const overflow = () => page.evaluate(() => {
    const wide = [...document.querySelectorAll<HTMLElement>('.modal, .prompt-item, .prompt-form, .prompt-menu, .prompt-vars, .composer')].filter((el) => el.scrollWidth > el.clientWidth + 1);
    const out = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > 351).slice(0, 3);
    return { page: document.documentElement.scrollWidth, wide: wide.map((el) => el.className), out: out.map((el) => `${el.tagName}.${el.className}`) };
  });
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  await page.getByTestId('prompt-edit').click();
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  await closeSettings(page);

  await page.getByTestId('composer-input').fill('/a');
  await expect(page.getByTestId('prompt-option')).toBeVisible();
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  await page.getByTestId('prompt-option').click();
  await expect(page.getByTestId('prompt-variables')).toBeVisible();
  expect(await overflow()).toEqual({ page: 350, wide: [], out: [] });
  await page.getByTestId('prompt-var-tone').fill('dry');
  await page.getByTestId('prompt-insert').click();
  await expect(page.getByTestId('composer-input')).toHaveValue('Write about  and dry');
});

/**
 * A stand-in for Chrome's webkitSpeechRecognition: after start() it hears `window.__said`
 * (or fails with `window.__speechError`), and ends on stop(). The unprefixed constructor is
 * removed, so the prefixed one is what the app finds.
 */
function fakeSpeech(): void {
  type Handlers = { onresult: ((e: unknown) => void) | null; onerror: ((e: unknown) => void) | null; onend: (() => void) | null };
  const w = window as unknown as Record<string, unknown>;
  class FakeRecognition implements Handlers {
    lang = '';
    continuous = false;
    interimResults = false;
    onresult: ((e: unknown) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onend: (() => void) | null = null;
    start(): void {
      w.__speechStarted = { lang: this.lang, continuous: this.continuous };
      setTimeout(() => {
        const error = w.__speechError;
        if (typeof error === 'string') {
          this.onerror?.({ error });
          this.onend?.();
          return;
        }
        const interim = Object.assign([{ transcript: 'ignored interim' }], { isFinal: false });
        const final = Object.assign([{ transcript: String(w.__said ?? '') }], { isFinal: true });
        this.onresult?.({ resultIndex: 0, results: [final, interim] });
      }, 50);
    }
    stop(): void {
      setTimeout(() => this.onend?.(), 10);
    }
    abort(): void {
      this.onend?.();
    }
  }
  delete w.SpeechRecognition;
  w.webkitSpeechRecognition = FakeRecognition;
}

test('dictation appends what was said to the composer and shows recognizer errors', async ({ page }) => {
  await page.addInitScript(fakeSpeech);
  await openApp(page);
  const input = page.getByTestId('composer-input');
  const mic = page.getByTestId('composer-dictate');
  await input.fill('Hello');
  await page.evaluate(() => { (window as unknown as Record<string, unknown>).__said = ' from the mic '; });
  await mic.click();
  await expect(mic).toHaveAttribute('aria-pressed', 'true');
  await expect(input).toHaveValue('Hello from the mic');
  expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).__speechStarted)).toEqual({ lang: await page.evaluate(() => navigator.language), continuous: true });
  await mic.click();
  await expect(mic).toHaveAttribute('aria-pressed', 'false');

  await page.evaluate(() => { (window as unknown as Record<string, unknown>).__speechError = 'not-allowed'; });
  await mic.click();
  await expect(page.locator('[data-testid="toast"][data-kind="error"]')).toContainText('allow it for this site');
  await expect(mic).toHaveAttribute('aria-pressed', 'false');
  await expect(input).toHaveValue('Hello from the mic');
});

test('the dictation button is absent where the browser has no speech recognition', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.SpeechRecognition;
    delete w.webkitSpeechRecognition;
  });
  await openApp(page);
  await expect(page.getByTestId('composer-send')).toBeVisible();
  await expect(page.getByTestId('composer-dictate')).toHaveCount(0);
});
