import { describe, expect, it } from 'vitest';
import { detectBrowser, explainNoWebGpu } from './explain-no-webgpu';

/** Real user-agent strings of current releases. */
const UA = {
  chromeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeOld: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.0.0 Safari/537.36',
  chromeAndroidOld: 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  edgeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  firefoxWinOld: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
  firefoxWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0',
  safari18: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15',
  safari26: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
  iosChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  /** The Chromium the e2e tests run (recorded). */
  headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0',
};

describe('detectBrowser', () => {
  it.each([
    [UA.chromeWin, { name: 'chrome', version: 131, os: 'windows' }],
    [UA.chromeLinux, { name: 'chrome', version: 131, os: 'linux' }],
    [UA.headless, { name: 'chrome', version: 156, os: 'linux' }],
    [UA.chromeOs, { name: 'chrome', version: 131, os: 'chromeos' }],
    [UA.chromeAndroidOld, { name: 'chrome', version: 119, os: 'android' }],
    [UA.edgeWin, { name: 'edge', version: 131, os: 'windows' }], // Edge's UA also says Chrome/
    [UA.firefoxLinux, { name: 'firefox', version: 145, os: 'linux' }],
    [UA.safari18, { name: 'safari', version: 18, os: 'mac' }],
    [UA.iosChrome, { name: 'safari', version: 18, os: 'ios' }], // every iOS browser is WebKit
    [UA.opera, { name: 'other', os: 'windows' }],
    ['', { name: 'other', os: 'other' }],
  ])('%s', (ua, expected) => {
    expect(detectBrowser(ua)).toEqual(expected);
  });
});

describe('explainNoWebGpu', () => {
  it('Chrome on Linux: the two flags and hardware acceleration', () => {
    const e = explainNoWebGpu('no-webgpu', UA.chromeLinux);
    expect(e).toMatchObject({ kind: 'internal', code: 'webgpu-unavailable', action: 'enable-webgpu' });
    expect(e.detail).toContain('chrome://flags');
    expect(e.detail).toContain('#enable-unsafe-webgpu');
    expect(e.detail).toContain('#enable-vulkan');
    expect(e.detail).toContain('chrome://settings/system');
  });

  it('Edge gets edge:// pages, not chrome://', () => {
    const e = explainNoWebGpu('no-webgpu', UA.edgeLinux);
    expect(e.detail).toContain('edge://flags');
    expect(e.detail).not.toContain('chrome://');
    expect(explainNoWebGpu('no-adapter', UA.edgeWin).detail).toContain('edge://settings/system');
  });

  it('old Chrome: update to 113; old Chrome on Android: 121', () => {
    expect(explainNoWebGpu('no-webgpu', UA.chromeOld).detail).toContain('version 113 or later (this is 110)');
    expect(explainNoWebGpu('no-webgpu', UA.chromeAndroidOld).detail).toContain('version 121 or later');
  });

  it('no adapter in Chrome on Windows: hardware acceleration, blocklist, chrome://gpu', () => {
    const e = explainNoWebGpu('no-adapter', UA.chromeWin);
    expect(e.message).toContain('no graphics adapter');
    expect(e.detail).toMatch(/^Turn on "Use graphics acceleration/);
    expect(e.detail).toContain('chrome://gpu');
  });

  it('Chrome on ChromeOS with WebGPU missing: flag not disabled, no double spaces', () => {
    const d = explainNoWebGpu('no-webgpu', UA.chromeOs).detail!;
    expect(d).toContain('Chrome 131 should have WebGPU');
    expect(d).not.toContain('  ');
  });

  it('Firefox: version 141 on Windows, dom.webgpu.enabled elsewhere', () => {
    expect(explainNoWebGpu('no-webgpu', UA.firefoxWinOld).detail).toContain('Update Firefox to version 141 or later');
    const linux = explainNoWebGpu('no-webgpu', UA.firefoxLinux).detail!;
    expect(linux).toContain('about:config');
    expect(linux).toContain('dom.webgpu.enabled');
    expect(explainNoWebGpu('no-adapter', UA.firefoxWin).detail).toContain('graphics driver');
  });

  it('Safari: update to 26, Feature Flags on 18; iOS browsers get Safari steps', () => {
    const old = explainNoWebGpu('no-webgpu', UA.safari18).detail!;
    expect(old).toContain('Safari 26');
    expect(old).toContain('Feature Flags');
    expect(old).toContain('(this is Safari 18)');
    expect(explainNoWebGpu('no-webgpu', UA.safari26).detail).toContain('on by default');
    expect(explainNoWebGpu('no-webgpu', UA.iosChrome).detail).toContain('Settings › Apps › Safari');
  });

  it('other browsers: the list of ones that work', () => {
    expect(explainNoWebGpu('no-webgpu', UA.opera).detail).toContain('Chrome or Edge 113+');
  });

  it('an insecure page: https or localhost, whatever the browser', () => {
    const e = explainNoWebGpu('no-webgpu', UA.chromeWin, { secureContext: false });
    expect(e.kind).toBe('invalid');
    expect(e.detail).toContain('https');
    expect(e.detail).toContain('localhost');
  });
});
