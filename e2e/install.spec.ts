import { test, expect, setupOpenAI, lastAssistant } from './fixtures';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('the manifest makes Parley installable: PNG icons 192/512, a maskable one, a share target, and Chromium finds no installability error', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(href!, page.url());
  const manifest = await (await request.get(manifestUrl.href)).json();
  expect(manifest).toMatchObject({ name: 'Parley', short_name: 'Parley', display: 'standalone' });
  expect(new URL(manifest.start_url, manifestUrl).href).toBe(new URL('/', page.url()).href);

  const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
  for (const want of [
    { sizes: '192x192', purpose: 'any' },
    { sizes: '512x512', purpose: 'any' },
    { sizes: '512x512', purpose: 'maskable' },
  ]) {
    const icon = icons.find((i) => i.sizes === want.sizes && i.purpose === want.purpose && i.type === 'image/png');
    expect(icon, `${want.purpose} icon ${want.sizes}`).toBeTruthy();
    const res = await request.get(new URL(icon!.src, manifestUrl).href);
    expect(res.headers()['content-type']).toBe('image/png');
    const [w, h] = want.sizes.split('x').map(Number);
    expect(pngSize(await res.body())).toEqual({ width: w, height: h });
  }
  const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  expect(pngSize(await (await request.get(new URL(apple!, page.url()).href)).body())).toEqual({ width: 180, height: 180 });

  // Sharing opens the app's own address with the launcher's title/text/url parameters.
  expect(manifest.share_target).toEqual({ action: '.', method: 'GET', params: { title: 'title', text: 'text', url: 'url' } });
  expect(new URL(manifest.share_target.action, manifestUrl).href).toBe(new URL(manifest.scope, manifestUrl).href);

  // What Chromium itself says once the service worker runs (the same check decides its install prompt).
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active);
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright's contexts are off the record, which alone blocks installing; `npm run bench`
  // checks the same in a persistent profile, where the list is empty.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
});

test('a shared link and text arrive in the composer of a new chat, not sent', async ({ page, fake }) => {
  await setupOpenAI(page, fake);
  await page.goto('/?title=A%20page&text=Have%20a%20look&url=https%3A%2F%2Fexample.org%2Fa');
  await expect(page.getByTestId('composer-input')).toHaveValue('A page\n\nHave a look\n\nhttps://example.org/a');
  await expect(page.getByTestId('message')).toHaveCount(0);
  expect(new URL(page.url()).search).toBe('');
});

test('opensearch.xml is linked and served; its search address asks the default model', async ({ page, request, fake }) => {
  await setupOpenAI(page, fake);
  const link = page.locator('link[rel="search"]');
  await expect(link).toHaveAttribute('type', 'application/opensearchdescription+xml');
  await expect(link).toHaveAttribute('title', 'Parley');
  const res = await request.get(new URL((await link.getAttribute('href'))!, page.url()).href);
  expect(res.ok()).toBe(true);
  const xml = await res.text();
  expect(xml).toContain('<ShortName>Parley</ShortName>');
  expect(xml).not.toContain('%SITE_URL%');
  const template = /<Url type="text\/html" method="get" template="([^"]+)"/.exec(xml)?.[1];
  expect(template).toMatch(/^https?:\/\/[^/]+\/\?q=\{searchTerms\}$/);

  // The build's absolute address (SITE_URL) is another port than this test's server: keep its path.
  const target = new URL(template!.replace('{searchTerms}', encodeURIComponent('What is CORS?')));
  await page.goto(target.pathname + target.search);
  await expect(page.getByTestId('message').first()).toContainText('What is CORS?');
  await expect(lastAssistant(page)).toHaveAttribute('data-status', 'done');
});
