import type { Page } from '@playwright/test';
import { expect, lastAssistant, openApp, send, setupOpenAI, test } from './fixtures';

/** `--bg` of each palette as the browser reports a background colour. */
const DARK_BG = 'rgb(31, 36, 48)';
const LIGHT_BG = 'rgb(255, 255, 255)';

const html = (page: Page) => page.locator('html');
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

async function chooseTheme(page: Page, theme: 'light' | 'dark' | 'system'): Promise<void> {
  await page.getByTestId('settings-open').click();
  await page.getByTestId('theme-select').selectOption(theme);
  await page.getByRole('button', { name: 'Close settings' }).click();
}

test.describe('themes', () => {
  test('the choice sets data-theme, repaints, and survives a reload (IndexedDB wins over the mirror)', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openApp(page);
    await expect(html(page)).toHaveAttribute('data-theme', 'system');
    expect(await background(page)).toBe(DARK_BG);

    await chooseTheme(page, 'light');
    await expect(html(page)).toHaveAttribute('data-theme', 'light');
    expect(await background(page)).toBe(LIGHT_BG);

    await page.reload();
    await expect(page.getByTestId('composer-input')).toBeVisible();
    await expect(html(page)).toHaveAttribute('data-theme', 'light');
    expect(await background(page)).toBe(LIGHT_BG);
    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('theme-select')).toHaveValue('light');
    await page.getByRole('button', { name: 'Close settings' }).click();

    // Without the first-paint mirror, the stored setting still comes back.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await expect(html(page)).toHaveAttribute('data-theme', 'light');

    await chooseTheme(page, 'dark');
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    expect(await background(page)).toBe(DARK_BG);
  });

  test('system follows the colour scheme the device prefers; an explicit choice does not', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page);
    expect(await background(page)).toBe(LIGHT_BG);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(DARK_BG);

    await chooseTheme(page, 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe(DARK_BG);
    await chooseTheme(page, 'system');
    await expect.poll(() => background(page)).toBe(LIGHT_BG);
  });

  test('light theme: code blocks are light and highlighted with the light palette', async ({ page, fake }) => {
    fake.queue({ reply: 'Here:\n\n```js\nconst x = 1;\n```\n' });
    await setupOpenAI(page, fake);
    await chooseTheme(page, 'light');
    await send(page, 'code please');
    const keyword = lastAssistant(page).locator('pre code .hljs-keyword').first();
    await expect(keyword).toHaveText('const');
    // --code-bg and --hl-keyword of the light palette (styles.css)
    await expect(lastAssistant(page).locator('.md-code')).toHaveCSS('background-color', 'rgb(241, 243, 246)');
    await expect(keyword).toHaveCSS('color', 'rgb(179, 29, 40)');
  });
});

test.describe('keyboard shortcuts', () => {
  test('new chat, focus the composer, stop, copy and regenerate', async ({ page, fake, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    fake.queue({ reply: 'First answer.' });
    await setupOpenAI(page, fake);
    await send(page, 'hello');
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
    await expect(page).toHaveURL(/\/c\//);

    // Copy the last answer
    await page.keyboard.press('ControlOrMeta+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('First answer.');

    // Regenerate: an event for the chat view
    await page.evaluate(() => {
      const w = window as Window & { regenerations?: number };
      w.regenerations = 0;
      window.addEventListener('parley:regenerate-last', () => { w.regenerations = (w.regenerations ?? 0) + 1; });
    });
    const chats = () => fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions')).length;
    const chatsBefore = chats();
    expect(chatsBefore).toBe(1);
    await page.keyboard.press('ControlOrMeta+Shift+R');
    expect(await page.evaluate(() => (window as Window & { regenerations?: number }).regenerations)).toBe(1);
    // The chat view answers the event by regenerating; let that finish before going on.
    await expect.poll(() => chats()).toBe(chatsBefore + 1);
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');

    // Focus the composer from anywhere
    await page.getByTestId('composer-input').blur();
    await expect(page.getByTestId('composer-input')).not.toBeFocused();
    await page.keyboard.press('Shift+Escape');
    await expect(page.getByTestId('composer-input')).toBeFocused();

    // Stop while an answer is being written
    fake.queue({ tokens: 400, tokensPerSecond: 25 });
    await send(page, 'long please');
    const msg = lastAssistant(page);
    await expect(msg).toHaveAttribute('data-status', 'streaming');
    await expect(msg.getByTestId('message-content')).not.toBeEmpty();
    await page.keyboard.press('Escape');
    await expect(msg).toHaveAttribute('data-finish-reason', 'stopped');
    await expect(page.getByTestId('composer-stop')).toHaveCount(0);

    // New chat
    await page.getByTestId('composer-input').blur();
    await page.keyboard.press('ControlOrMeta+Shift+O');
    await expect(page.getByTestId('message')).toHaveCount(0);
    await expect(page).not.toHaveURL(/\/c\//);
    await expect(page.getByTestId('composer-input')).toBeFocused();
  });

  test('Esc in a dialog does not stop the answer', async ({ page, fake }) => {
    fake.queue({ tokens: 400, tokensPerSecond: 20 });
    await setupOpenAI(page, fake);
    await send(page, 'long please');
    await expect(page.getByTestId('composer-stop')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+/');
    await expect(page.getByTestId('shortcuts-help')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-help')).toHaveCount(0);
    await expect(page.getByTestId('composer-stop')).toBeVisible();
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'streaming');
    // Settings has no Esc of its own: with focus in it, Esc still does not stop the answer.
    await page.getByTestId('settings-open').click();
    await page.getByRole('button', { name: 'Close settings' }).focus();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Close settings' }).click();
    await expect(page.getByTestId('composer-stop')).toBeVisible();
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'streaming');
  });

  test('toggle the sidebar: the drawer at 350 px, the column when wide', async ({ page }) => {
    await page.setViewportSize({ width: 350, height: 700 });
    await openApp(page);
    const sidebar = page.locator('nav.sidebar');
    await expect(sidebar).not.toBeInViewport();
    await page.keyboard.press('ControlOrMeta+Shift+S');
    await expect(sidebar).toBeInViewport();
    await expect(page.getByTestId('new-chat')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+Shift+S');
    await expect(sidebar).not.toBeInViewport();

    await page.setViewportSize({ width: 1100, height: 700 });
    await expect(sidebar).toBeVisible();
    await page.keyboard.press('ControlOrMeta+Shift+S');
    await expect(sidebar).toBeHidden();
    // The menu button brings it back, as the shortcut does.
    await page.getByRole('button', { name: 'Open sidebar' }).click();
    await expect(sidebar).toBeVisible();
  });

  test('the help dialog lists every shortcut, from the keyboard and from the sidebar', async ({ page }) => {
    await openApp(page);
    await page.keyboard.press('ControlOrMeta+/');
    const help = page.getByTestId('shortcuts-help');
    await expect(help).toBeVisible();
    await expect(help.getByTestId('shortcut-item')).toHaveText([
      'New chat',
      'Focus the message box',
      'Stop the answer being written',
      'Regenerate the last answer',
      'Copy the last answer',
      'Show or hide the sidebar',
      'Show keyboard shortcuts',
    ]);
    await expect(help.locator('[data-shortcut="newChat"] + dd')).toHaveText('CtrlShiftO');
    await expect(help.locator('[data-shortcut="focusComposer"] + dd')).toHaveText('ShiftEsc');
    await page.keyboard.press('ControlOrMeta+/');
    await expect(help).toHaveCount(0);

    await page.setViewportSize({ width: 350, height: 700 });
    await page.getByRole('button', { name: 'Open sidebar' }).click();
    await page.getByTestId('shortcuts-open').click();
    await expect(help).toBeVisible();
    await expect(help.getByTestId('shortcut-item')).toHaveCount(7);
    await help.getByRole('button', { name: 'Close keyboard shortcuts' }).click();
    await expect(help).toHaveCount(0);
  });
});

test.describe('read aloud', () => {
  /** A speechSynthesis that records what it is asked to say; cancel() ends the utterance as browsers do. */
  function fakeSpeech(): void {
    interface FakeUtterance { text: string; onend: ((e: Event) => void) | null; onerror: ((e: Event) => void) | null }
    const w = window as unknown as Record<string, unknown>;
    const spoken: string[] = [];
    let current: FakeUtterance | null = null;
    w.spoken = spoken;
    w.SpeechSynthesisUtterance = class {
      onend = null;
      onerror = null;
      constructor(public text: string) {}
    };
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        speak(u: FakeUtterance) { spoken.push(u.text); current = u; },
        cancel() { const u = current; current = null; u?.onerror?.(new Event('error')); },
        getVoices: () => [],
      },
    });
    w.finishSpeaking = () => { const u = current; current = null; u?.onend?.(new Event('end')); };
  }

  test('speaks the answer without markdown, code or reasoning; one message at a time', async ({ page, fake }) => {
    await page.addInitScript(fakeSpeech);
    fake.queue({
      reasoning: 'Secret chain of thought.',
      reply: '# Plan\n\nSome **bold** text, a [link](https://example.com/x) and `inline`.\n\n```js\nconst hidden = 1;\n```\n\nDone.',
    });
    await setupOpenAI(page, fake);
    await send(page, 'first');
    const first = page.locator('[data-testid="message"][data-role="assistant"]').first();
    await expect(first).toHaveAttribute('data-status', 'done');
    await expect(first.getByTestId('message-reasoning')).toBeVisible();
    // Only answers get the button.
    await expect(page.locator('[data-role="user"]').getByTestId('message-speak')).toHaveCount(0);

    const speak1 = first.getByTestId('message-speak');
    await expect(speak1).toHaveAttribute('aria-pressed', 'false');
    await speak1.click();
    await expect(speak1).toHaveAttribute('aria-pressed', 'true');
    const spoken = () => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    expect(await spoken()).toEqual(['Plan\nSome bold text, a link and inline.\nCode block.\nDone.']);
    // Pressed again, it stops.
    await speak1.click();
    await expect(speak1).toHaveAttribute('aria-pressed', 'false');

    fake.queue({ reply: 'Second answer.' });
    await send(page, 'second');
    const second = page.locator('[data-testid="message"][data-role="assistant"]').nth(1);
    await expect(second).toHaveAttribute('data-status', 'done');
    await speak1.click();
    await expect(speak1).toHaveAttribute('aria-pressed', 'true');
    // Another message starting stops the first.
    await second.getByTestId('message-speak').click();
    await expect(second.getByTestId('message-speak')).toHaveAttribute('aria-pressed', 'true');
    await expect(speak1).toHaveAttribute('aria-pressed', 'false');
    expect((await spoken()).at(-1)).toBe('Second answer.');
    // The end of the speech resets the button.
    await page.evaluate(() => (window as unknown as { finishSpeaking: () => void }).finishSpeaking());
    await expect(second.getByTestId('message-speak')).toHaveAttribute('aria-pressed', 'false');
  });

  test('no button where the browser has no speech synthesis', async ({ page, fake }) => {
    await page.addInitScript(() => Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: undefined }));
    fake.queue({ reply: 'Quiet.' });
    await setupOpenAI(page, fake);
    await send(page, 'hi');
    await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
    await expect(lastAssistant(page).getByTestId('message-copy')).toBeVisible();
    await expect(page.getByTestId('message-speak')).toHaveCount(0);
  });
});
