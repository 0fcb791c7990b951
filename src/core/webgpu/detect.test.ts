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

  it('reports no f16 and a fallback adapter (SwiftShader as Chromium exposes it)', async () => {
    const swiftshader = adapter({
      features: ['depth-clip-control', 'float32-filterable'],
      limits: { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 },
      info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
    });
    const caps = await detectWebGpu(gpu(swiftshader), CHROME_LINUX);
    expect(caps.available).toBe(true);
    expect(caps.f16).toBe(false);
    expect(caps.isFallback).toBe(true);
    expect(caps.maxStorageBufferBindingSize).toBe(134217728);
    expect(caps.architecture).toBe('swiftshader');
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
