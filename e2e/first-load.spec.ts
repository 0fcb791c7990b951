import { test, expect } from '@playwright/test';

// What index.html makes the browser fetch before the app can start. Validation (zod) runs only
// where data crosses a border (imports, the worker's writes), so it must stay in lazy chunks:
// it once slipped into the first load through a value import of the record schemas.
test('the first load carries no zod and no settings panel', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(1);
  for (const src of scripts) {
    const js = await (await request.get(src)).text();
    expect(js.length, src).toBeGreaterThan(0);
    expect(js, `${src} holds zod`).not.toContain('_zod');
    expect(js, `${src} holds the settings panel`).not.toContain('connection-add');
  }
});
