// Renders the PNG icons the manifest and iOS need from the SVGs in public/, with the project's
// Chromium. Run once after changing an icon: `node scripts/make-icons.mjs`; the PNGs are committed.
import { chromium } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';

const out = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['icon-maskable.svg', 'icon-maskable-512.png', 512],
  // iOS masks the corners itself, so it gets the full-bleed variant.
  ['icon-maskable.svg', 'apple-touch-icon.png', 180],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const [svg, png, size] of out) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const markup = await readFile(new URL(`../public/${svg}`, import.meta.url), 'utf8');
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}img{display:block;width:${size}px;height:${size}px}</style>` +
        `<img src="data:image/svg+xml;base64,${Buffer.from(markup).toString('base64')}">`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await writeFile(new URL(`../public/${png}`, import.meta.url), await page.screenshot({ omitBackground: true }));
    await page.close();
  }
} finally {
  await browser.close();
}
