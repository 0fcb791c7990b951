import { describe, expect, it } from 'vitest';
import { CSP_DIRECTIVES, hostingPaths } from '../vite.hosting.ts';

describe('hostingPaths', () => {
  it('serves from the root of npm start’s address by default', () => {
    expect(hostingPaths({})).toEqual({ base: '/', siteUrl: 'http://127.0.0.1:4317/' });
  });

  it('takes a sub-path from BASE_PATH, adding the slashes people leave out', () => {
    expect(hostingPaths({ BASE_PATH: 'parley' }).base).toBe('/parley/');
    expect(hostingPaths({ BASE_PATH: '/tools/parley' }).base).toBe('/tools/parley/');
    expect(hostingPaths({ BASE_PATH: '/parley/' }).siteUrl).toBe('http://127.0.0.1:4317/parley/');
  });

  it('takes the path from SITE_URL unless BASE_PATH says otherwise', () => {
    expect(hostingPaths({ SITE_URL: 'https://me.github.io/parley' })).toEqual({ base: '/parley/', siteUrl: 'https://me.github.io/parley/' });
    expect(hostingPaths({ SITE_URL: 'https://chat.example.org' })).toEqual({ base: '/', siteUrl: 'https://chat.example.org/' });
    expect(hostingPaths({ SITE_URL: 'https://me.github.io/x/', BASE_PATH: '/parley/' })).toEqual({ base: '/parley/', siteUrl: 'https://me.github.io/parley/' });
  });

  it('rejects a SITE_URL that is not an address', () => {
    expect(() => hostingPaths({ SITE_URL: 'not a url' })).toThrow();
  });
});

describe('CSP', () => {
  it('allows scripts only from the app itself and never inline', () => {
    const script = CSP_DIRECTIVES.find((d) => d.startsWith('script-src '));
    expect(script).toBe("script-src 'self' 'wasm-unsafe-eval'");
    const tokens = CSP_DIRECTIVES.flatMap((d) => d.split(' '));
    expect(tokens).not.toContain("'unsafe-eval'");
    expect(CSP_DIRECTIVES.find((d) => d.startsWith('default-src '))).toBe("default-src 'self'");
    expect(CSP_DIRECTIVES).toEqual(expect.arrayContaining(["object-src 'none'", "base-uri 'none'"]));
  });
});
