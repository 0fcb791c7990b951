import { describe, expect, it } from 'vitest';
import { detectWebGpu, type GpuAdapterLike, type GpuLike } from './detect';

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A fake adapter shaped like Chrome's: features is a Set-like, limits and info are objects. */
function adapter(over: Partial<Omit<GpuAdapterLike, 'features'>> & { features?: string[] } = {}): GpuAdapterLike {
  const { features = ['shader-f16', 'timestamp-query'], ...rest } = over;
  return {
    features: new Set(features),
    limits: { maxBufferSize: 4294967296, maxStorageBufferBindingSize: 2147483648 },
    info: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false },
    ...rest,
  };
}

function gpu(result: GpuAdapterLike | null | Error, seen: unknown[] = []): GpuLike {
  return {
    requestAdapter: async (options) => {
      seen.push(options);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

describe('detectWebGpu', () => {
  it('reads features, limits and info of a high-performance adapter', async () => {
    const seen: unknown[] = [];
    const caps = await detectWebGpu(gpu(adapter(), seen), CHROME_LINUX);
    expect(seen).toEqual([{ powerPreference: 'high-performance' }]);
    expect(caps).toEqual({
      available: true,
      f16: true,
      isFallback: false,
      maxBufferSize: 4294967296,
      maxStorageBufferBindingSize: 2147483648,
      vendor: 'nvidia',
      architecture: 'ampere',
    });
  });

  it('reports no f16 and a fallback adapter: SwiftShader as Chromium 156 exposes it', async () => {
    // Recorded from /usr/bin/chromium --enable-unsafe-webgpu (headless, http://127.0.0.1 page):
    // features, limits and info as read there; `adapter.isFallbackAdapter` is gone (undefined).
    const swiftshader = adapter({
      features: [
        'depth32float-stencil8', 'rg11b10ufloat-renderable', 'bgra8unorm-storage', 'texture-compression-bc',
        'chromium-experimental-sampling-resource-table', 'core-features-and-limits',
        'chromium-experimental-timestamp-query-inside-passes', 'float32-filterable', 'indirect-first-instance',
        'texture-compression-astc-sliced-3d', 'float32-blendable', 'subgroup-size-control', 'texture-compression-unaligned',
        'texture-compression-astc', 'texture-compression-etc2', 'depth-clip-control', 'texture-compression-bc-sliced-3d',
        'timestamp-query', 'clip-distances', 'texture-component-swizzle', 'subgroups',
      ],
      limits: { maxBufferSize: 1073741824, maxStorageBufferBindingSize: 1073741824 },
      info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true },
    });
    const caps = await detectWebGpu(gpu(swiftshader), CHROME_LINUX);
    expect(caps).toEqual({
      available: true,
      f16: false,
      isFallback: true,
      maxBufferSize: 1073741824,
      maxStorageBufferBindingSize: 1073741824,
      vendor: 'google',
      architecture: 'swiftshader',
    });
  });

  it('falls back to requestAdapterInfo() and the deprecated isFallbackAdapter of older browsers', async () => {
    const old = adapter({ info: undefined, isFallbackAdapter: true, requestAdapterInfo: async () => ({ vendor: 'intel', architecture: '' }) });
    const caps = await detectWebGpu(gpu(old), CHROME_LINUX);
    expect(caps.isFallback).toBe(true);
    expect(caps.vendor).toBe('intel');
    expect('architecture' in caps).toBe(false); // empty strings are left out, not shown as ""
  });

  it('keeps a working adapter when requestAdapterInfo refuses', async () => {
    const old = adapter({ info: undefined, requestAdapterInfo: async () => Promise.reject(new Error('denied')) });
    const caps = await detectWebGpu(gpu(old), CHROME_LINUX);
    expect(caps.available).toBe(true);
    expect(caps.vendor).toBeUndefined();
  });

  it('treats missing or odd limits as 0', async () => {
    const caps = await detectWebGpu(gpu(adapter({ limits: { maxBufferSize: Number.NaN } })), CHROME_LINUX);
    expect(caps.maxBufferSize).toBe(0);
    expect(caps.maxStorageBufferBindingSize).toBe(0);
  });

  it.each([
    ['no navigator.gpu', undefined, 'no-webgpu'],
    ['null navigator.gpu', null, 'no-webgpu'],
    ['an object without requestAdapter', {} as GpuLike, 'no-webgpu'],
    ['no adapter', gpu(null), 'no-adapter'],
    ['requestAdapter throws', gpu(new Error('GPU process crashed')), 'adapter-error'],
  ])('%s → unavailable with a reason', async (_name, g, reason) => {
    const caps = await detectWebGpu(g, CHROME_LINUX);
    expect(caps).toEqual({ available: false, f16: false, isFallback: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, reason });
  });

  it('an adapter whose features getter throws is unavailable, not a crash', async () => {
    const bad = adapter();
    bad.features = {
      has: () => {
        throw new Error('lost');
      },
    };
    expect((await detectWebGpu(gpu(bad), CHROME_LINUX)).reason).toBe('adapter-error');
  });
});
