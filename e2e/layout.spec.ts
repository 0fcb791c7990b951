import type { Page, TestInfo } from '@playwright/test';
import { test, expect, setupOpenAI, send } from './fixtures';

/**
 * Narrow layout (browser sidebars are ~350–400 px wide): nothing sticks out past the right edge
 * of the viewport in the chat, the sidebar drawer, the model picker or the settings, at phone,
 * sidebar and desktop widths; code blocks and tables scroll inside themselves; at 360 px the
 * controls of the header, composer and sidebar are at least 40×40 px (touch targets).
 */

const LONG_URL = `https://example.com/${'a-very-long-path-segment-'.repeat(12)}end`;
const WIDE_ROW = Array.from({ length: 12 }, (_, i) => `column_number_${i}`);
const REPLY = [
  'Some code:',
  '',
  '```js',
  `const value = ${JSON.stringify('x'.repeat(300))}; // one line far wider than any screen`,
  '```',
  '',
  `| ${WIDE_ROW.join(' | ')} |`,
  `| ${WIDE_ROW.map(() => '---').join(' | ')} |`,
  `| ${WIDE_ROW.map((c) => `${c}_value`).join(' | ')} |`,
  '',
  `A link: ${LONG_URL} and a word: ${'Donaudampfschifffahrt'.repeat(8)}.`,
].join('\n');

/** Elements sticking out past the right edge, and panes that scroll sideways when they should not. */
function overflowReport(): string[] {
  const vw = window.innerWidth;
  const bad: string[] = [];
  const name = (el: Element): string =>
    `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
  // Only these may scroll sideways: they hold text that cannot wrap.
  const MAY_SCROLL = 'pre, table, textarea, input, select, .md-math-display';
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
    const ox = getComputedStyle(el).overflowX;
    if ((ox === 'auto' || ox === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !el.matches(MAY_SCROLL)) {
      bad.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
    if (r.right <= vw + 1) continue;
    // Inside something that scrolls it sideways on purpose or cuts it off, that ancestor's box counts
    // (a pane that scrolls up and down, like the messages, hides what sticks out: that is a fault).
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'hidden' || x === 'clip' || (x !== 'visible' && a.matches(MAY_SCROLL))) { clipped = true; break; }
    }
    if (!clipped) bad.push(`${name(el)} right edge ${Math.round(r.right)} > ${vw}`);
  }
  if (document.documentElement.scrollWidth > vw) bad.unshift(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
  return bad;
}

/** Visible, on-screen controls inside `scope` smaller than 40×40 px. */
function smallTargets(scope: string): string[] {
  const out: string[] = [];
  for (const root of document.querySelectorAll(scope)) {
    for (const el of root.querySelectorAll('button, a[href], input, select, textarea, [role="button"]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= 0 || r.left >= window.innerWidth || !el.checkVisibility({ visibilityProperty: true })) continue;
      if (r.width < 39.5 || r.height < 39.5) {
        const label = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? '';
        out.push(`${scope} ${el.tagName.toLowerCase()} "${label}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
  }
  return out;
}

/** Header items drawn over the one before them (a shrunk picker under the title). */
function headerOverlaps(head: Element): string[] {
  // An item reaches as far as its buttons do: a button can overflow a shrunk wrapper.
  const span = (c: Element) => {
    const rs = [c, ...c.querySelectorAll('button')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
    return { left: Math.min(...rs.map((r) => r.left)), right: Math.max(...rs.map((r) => r.right)) };
  };
  const items = [...head.children].filter((c) => c.checkVisibility() && c.getBoundingClientRect().width > 0);
  return items.flatMap((c, i) => {
    const prev = items[i - 1];
    return prev && span(c).left < span(prev).right - 1 ? [`${prev.className} / ${c.className}`] : [];
  });
}

async function check(page: Page, info: TestInfo, what: string): Promise<void> {
  const size = page.viewportSize();
  const file = info.outputPath(`${what}-${size?.width}x${size?.height}.png`);
  await page.screenshot({ path: file });
  await info.attach(`${what} ${size?.width}×${size?.height}`, { path: file, contentType: 'image/png' });
  expect.soft(await page.evaluate(overflowReport), `${what} at ${size?.width} px`).toEqual([]);
}

test('the chat, drawer, picker and settings fit from 320 px to desktop; touch targets at 360 px', async ({ page, fake }, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await setupOpenAI(page, fake);
  // Two models answer side by side, each with a long code line, a wide table and a long URL.
  await page.getByTestId('model-select').click();
  await page.locator('[data-testid="model-option"][data-model-id="fake-reasoner"]').getByTestId('model-add').click();
  await page.keyboard.press('Escape');
  fake.setScenario('gpt-4o-mini', { reply: REPLY });
  fake.setScenario('fake-reasoner', { reply: REPLY });
  await send(page, `Show me ${LONG_URL}`);
  await expect(page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]')).toHaveCount(2);
  await expect(page.locator('.md-code pre').first()).toBeVisible();

  for (const [width, height] of [[1280, 800], [360, 740], [320, 640]] as const) {
    await page.setViewportSize({ width, height });
    const narrow = width <= 720;
    // Narrow, the sidebar is a closed drawer: wait until it has slid out of view.
    if (narrow) await expect.poll(() => page.locator('.sidebar').evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(0);
    await check(page, info, 'chat');
    expect.soft(await page.locator('.chat-head').evaluate(headerOverlaps), 'header items overlapping').toEqual([]);
    // The long code line scrolls inside its block, not the page.
    const pre = await page.locator('.md-code pre').first().evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth }));
    expect(pre.sw).toBeGreaterThan(pre.cw);

    if (narrow) {
      await expect(page.getByTestId('chat-search')).not.toBeInViewport();
      if (width === 360) {
        expect.soft(await page.evaluate(smallTargets, '.chat-head'), 'header touch targets').toEqual([]);
        expect.soft(await page.evaluate(smallTargets, '.composer-wrap'), 'composer touch targets').toEqual([]);
      }
      await page.getByRole('button', { name: 'Open sidebar' }).click();
      await expect(page.getByTestId('chat-search')).toBeInViewport();
      await expect(page.getByTestId('chat-list-item')).toHaveCount(1);
      // The drawer slides in: wait until it has stopped moving.
      await expect.poll(() => page.locator('.sidebar').evaluate((el) => el.getBoundingClientRect().left)).toBe(0);
      await check(page, info, 'drawer');
      if (width === 360) expect.soft(await page.evaluate(smallTargets, '.sidebar'), 'sidebar touch targets').toEqual([]);
    }

    await page.getByTestId('settings-open').click();
    await expect(page.getByTestId('connection-item')).toHaveCount(1);
    await check(page, info, 'settings');
    await page.getByRole('button', { name: 'Close settings' }).click();

    await page.getByTestId('model-select').click({ timeout: 5000 });
    await expect(page.getByTestId('model-option').first()).toBeVisible();
    await check(page, info, 'picker');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('model-option')).toHaveCount(0);
  }
});
