import { test, expect } from '@playwright/test';

// Plain Playwright test: this spec provokes refusals on purpose, which the shared fixtures'
// CSP guard (e2e/fixtures.ts) would count against it.

test('the built app is served with a strict Content-Security-Policy that the browser enforces', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  expect(meta, 'CSP meta tag in index.html').not.toBeNull();
  const directives = new Map(meta![1]!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
  expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  expect(directives.get('object-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  // No inline script in the page itself.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
  const refused = await page.evaluate(async () => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    const obj = document.createElement('object');
    obj.data = 'data:text/html,<p>x</p>';
    document.body.append(obj);
    await new Promise((r) => setTimeout(r, 200));
    return { seen, inlineRan: (window as { __inlineRan?: boolean }).__inlineRan === true };
  });
  expect(refused.inlineRan).toBe(false);
  // (eval cannot be checked from here: DevTools' evaluation is exempt from the page's policy.)
  expect(refused.seen).toEqual(expect.arrayContaining(['script-src-elem', 'object-src']));
});

test('headers file for static hosts carries the same policy plus frame-ancestors', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
  const headers = await (await request.get('/_headers')).text();
  const line = /Content-Security-Policy: (.+)/.exec(headers)?.[1];
  expect(line).toBe(`${meta}; frame-ancestors 'none'`);
});
