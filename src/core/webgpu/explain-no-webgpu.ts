import { appError, type AppError } from '../errors';
import type { GpuUnavailableReason } from './detect';

/**
 * What to tell a user whose browser gives Parley no WebGPU, per browser and system: the steps
 * differ (a flag page in Chromium browsers, a preference in Firefox, a Feature Flags menu in
 * Safari). The user agent is only read here, for advice; capabilities come from detect.ts.
 *
 * Version facts used (checked December 2026; keep in one place so they are easy to update):
 * - Chrome and Edge: WebGPU on by default since 113 on Windows, macOS and ChromeOS, since 121 on
 *   Android 12+; on Linux it is still off by default in most versions (flags below).
 * - Firefox: on by default since 141 on Windows (and since 145 on macOS 26 on Apple silicon);
 *   elsewhere the `dom.webgpu.enabled` preference (or Firefox Nightly).
 * - Safari: on by default in Safari 26 (macOS, iOS, iPadOS, visionOS 26); Safari 18 has it
 *   behind Feature Flags.
 */

export type BrowserName = 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';
export type OsName = 'windows' | 'mac' | 'linux' | 'chromeos' | 'android' | 'ios' | 'other';

export interface BrowserInfo {
  name: BrowserName;
  /** Major version, when the user agent says it. */
  version?: number;
  os: OsName;
}

/** Reads browser and system from a user agent. Every browser on iOS is WebKit, hence 'safari'. */
export function detectBrowser(userAgent: string): BrowserInfo {
  const ua = userAgent;
  const os: OsName = /iPhone|iPad|iPod/.test(ua)
    ? 'ios'
    : /Android/.test(ua)
      ? 'android'
      : /CrOS/.test(ua)
        ? 'chromeos'
        : /Windows/.test(ua)
          ? 'windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'mac'
            : /Linux|X11/.test(ua)
              ? 'linux'
              : 'other';
  const major = (re: RegExp): number | undefined => {
    const m = re.exec(ua);
    return m?.[1] ? Number(m[1]) : undefined;
  };
  const info = (name: BrowserName, version: number | undefined): BrowserInfo =>
    version === undefined ? { name, os } : { name, version, os };
  if (os === 'ios') return info('safari', major(/(?:OS|Version\/) ?(\d+)[._]\d/));
  if (/Edg(?:e|A|iOS)?\//.test(ua)) return info('edge', major(/Edg(?:e|A)?\/(\d+)/));
  if (/OPR\/|SamsungBrowser|Vivaldi|YaBrowser/.test(ua)) return info('other', undefined);
  if (/Firefox\//.test(ua)) return info('firefox', major(/Firefox\/(\d+)/));
  if (/Chrome\/|Chromium\//.test(ua)) return info('chrome', major(/Chrom(?:e|ium)\/(\d+)/));
  if (/Safari\//.test(ua) && /Version\//.test(ua)) return info('safari', major(/Version\/(\d+)/));
  return info('other', undefined);
}

export interface NoWebGpuContext {
  /** The page's `isSecureContext`: WebGPU exists only on https and localhost. */
  secureContext?: boolean;
}

/**
 * The message for `GpuCaps.reason` (or a web-llm WebGPUNotAvailableError). `code` is
 * 'webgpu-unavailable' so the UI can hide the In-browser connection; `detail` holds the steps.
 */
export function explainNoWebGpu(
  reason: GpuUnavailableReason | string | undefined,
  userAgent: string,
  ctx: NoWebGpuContext = {},
): AppError & { code: 'webgpu-unavailable'; action: 'enable-webgpu' } {
  const b = detectBrowser(userAgent);
  const extra = { code: 'webgpu-unavailable' as const, action: 'enable-webgpu' as const };
  if (ctx.secureContext === false) {
    return {
      ...appError('invalid', 'In-browser models need WebGPU, which browsers offer only on secure pages.'),
      detail: 'Open Parley over https, or on http://localhost, then try again.',
      ...extra,
    };
  }
  const message =
    reason === 'no-adapter'
      ? 'In-browser models need WebGPU: this browser has it, but offered no graphics adapter (hardware acceleration off, or the GPU or driver is blocked).'
      : reason === 'adapter-error'
        ? 'In-browser models need WebGPU: the browser failed while opening the graphics adapter.'
        : 'In-browser models need WebGPU, which this browser does not offer right now.';
  return { ...appError('internal', message), detail: steps(b, reason), ...extra };
}

function steps(b: BrowserInfo, reason: string | undefined): string {
  const v = b.version;
  const noAdapter = reason === 'no-adapter' || reason === 'adapter-error';
  switch (b.name) {
    case 'chrome':
    case 'edge': {
      const name = b.name === 'chrome' ? 'Chrome' : 'Edge';
      const scheme = b.name === 'chrome' ? 'chrome' : 'edge';
      const accel = `turn on "Use graphics acceleration when available" in ${scheme}://settings/system and restart ${name}`;
      const Accel = `T${accel.slice(1)}`;
      const check = `${scheme}://gpu shows whether WebGPU is "Hardware accelerated" and why not`;
      if (v !== undefined && v < 113) return `Update ${name} to version 113 or later (this is ${v}). Then ${accel}.`;
      if (b.os === 'android' && v !== undefined && v < 121)
        return `Update ${name} to version 121 or later (this is ${v}); WebGPU on Android also needs Android 12 or later.`;
      if (b.os === 'linux')
        return (
          `On Linux, ${name} keeps WebGPU off by default: open ${scheme}://flags, enable "Unsafe WebGPU Support" (#enable-unsafe-webgpu) ` +
          `and "Vulkan" (#enable-vulkan), and restart ${name}. Also ${accel}. ${check}.`
        );
      if (noAdapter)
        return (
          `${Accel}. If the GPU or driver is on the blocklist, update the graphics driver, or enable ` +
          `"Unsafe WebGPU Support" in ${scheme}://flags/#enable-unsafe-webgpu. ${check}.`
        );
      const named = v === undefined ? name : `${name} ${v}`;
      return `${named} should have WebGPU: ${accel}, and check ${scheme}://flags/#enable-unsafe-webgpu is not set to Disabled. ${check}.`;
    }
    case 'firefox': {
      const pref = 'open about:config, set dom.webgpu.enabled to true, and restart Firefox (or use Firefox Nightly, which has it on)';
      if (b.os === 'windows' && v !== undefined && v < 141)
        return `Update Firefox to version 141 or later, which has WebGPU on by default on Windows (this is ${v}). Or ${pref}.`;
      if (b.os === 'windows' || b.os === 'mac')
        return noAdapter
          ? 'Firefox could not use the graphics card: update the graphics driver, check that about:support shows hardware acceleration on, and restart Firefox.'
          : `Firefox has WebGPU on by default from version 141 on Windows and 145 on macOS 26 with Apple silicon. On other setups, ${pref}.`;
      return `Firefox does not yet turn WebGPU on by default on this system: ${pref}. Chrome or Edge are an alternative.`;
    }
    case 'safari':
      if (v !== undefined && v >= 26)
        return noAdapter
          ? 'Safari 26 has WebGPU, but offered no adapter: check that WebGPU is not turned off under Develop › Feature Flags (macOS) or Settings › Apps › Safari › Advanced › Feature Flags (iOS), then reload.'
          : 'Safari 26 has WebGPU on by default: check that it is not turned off under Develop › Feature Flags (macOS) or Settings › Apps › Safari › Advanced › Feature Flags (iOS/iPadOS), then reload.';
      return (
        `Update to Safari 26 (macOS, iOS or iPadOS 26), which has WebGPU on by default${v !== undefined ? ` (this is Safari ${v})` : ''}. ` +
        'On Safari 18: on a Mac, turn on Settings › Advanced › "Show features for web developers", then Develop › Feature Flags › WebGPU; ' +
        'on iPhone or iPad, Settings › Apps › Safari › Advanced › Feature Flags › WebGPU. Reload the page afterwards.'
      );
    default:
      return 'Use a browser with WebGPU: Chrome or Edge 113+ (Windows, macOS, ChromeOS), Firefox 141+ on Windows, or Safari 26.';
  }
}
