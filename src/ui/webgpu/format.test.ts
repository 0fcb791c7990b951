import { describe, expect, it } from 'vitest';
import { adapterLine, formatContext, formatProgressBytes, formatSpeed, formatVram, progressLine, progressPercent, storageLine } from './format';

const MIB = 1024 * 1024;

describe('format', () => {
  it('speeds in binary units per second, nothing for no speed', () => {
    expect(formatSpeed(4.2 * MIB)).toBe('4.2 MB/s');
    expect(formatSpeed(512 * 1024)).toBe('512 KB/s');
    expect(formatSpeed(0)).toBe('');
    expect(formatSpeed(undefined)).toBe('');
    expect(formatSpeed(Number.NaN)).toBe('');
  });

  it('VRAM in MB or GB', () => {
    expect(formatVram(879.96)).toBe('880 MB');
    expect(formatVram(1536)).toBe('1.5 GB');
  });

  it('context windows as K', () => {
    expect(formatContext(4096)).toBe('4K');
    expect(formatContext(131072)).toBe('128K');
    expect(formatContext(128000)).toBe('128K');
    expect(formatContext(512)).toBe('512');
  });

  it('bytes of a download, with or without a total', () => {
    expect(formatProgressBytes({ loadedBytes: 120 * MIB, totalBytes: 880 * MIB })).toBe('120 MB of 880 MB');
    expect(formatProgressBytes({ loadedBytes: 120 * MIB })).toBe('120 MB');
    expect(formatProgressBytes({})).toBe('');
  });

  it('percent of the phase, clamped', () => {
    expect(progressPercent({ progress: 0.134 })).toBe(13);
    expect(progressPercent({ progress: 1.5 })).toBe(100);
    expect(progressPercent({ progress: -1 })).toBe(0);
    expect(progressPercent(null)).toBe(0);
  });

  it('one line per phase', () => {
    expect(progressLine(null)).toBe('Starting…');
    expect(
      progressLine({ phase: 'fetch', progress: 0.13, text: '', timeElapsed: 9, loadedBytes: 120 * MIB, totalBytes: 880 * MIB, bytesPerSecond: 4.2 * MIB }),
    ).toBe('Downloading · 120 MB of 880 MB · 13% · 4.2 MB/s');
    expect(progressLine({ phase: 'cache', progress: 0.5, text: '', timeElapsed: 1, loadedBytes: 300 * MIB, bytesPerSecond: 9 * MIB })).toBe(
      'Loading from cache · 300 MB · 50%',
    );
    expect(progressLine({ phase: 'shaders', progress: 0.5, text: '', timeElapsed: 3, shard: { done: 40, total: 80 } })).toBe('Compiling shaders · 40 of 80 · 50%');
  });

  it('the adapter with what it lacks', () => {
    const base = { available: true, maxBufferSize: 1, maxStorageBufferBindingSize: 1 };
    expect(adapterLine({ ...base, f16: true, isFallback: false, vendor: 'apple', architecture: 'metal-3' })).toBe('GPU: apple metal-3');
    expect(adapterLine({ ...base, f16: false, isFallback: true, vendor: 'google', architecture: 'swiftshader' })).toBe(
      'GPU: google swiftshader · software adapter (slow) · no shader-f16',
    );
    expect(adapterLine({ ...base, f16: true, isFallback: false })).toBe('GPU: unnamed adapter');
  });

  it('storage: the site, then the models', () => {
    expect(storageLine({ usage: 1.5 * 1024 * MIB, quota: 50 * 1024 * MIB }, 880 * MIB)).toBe('1.5 GB of 50.0 GB used by this site · downloaded models: 880 MB');
    expect(storageLine(null, 880 * MIB)).toBe('Downloaded models: 880 MB');
    expect(storageLine({ usage: 10 * MIB }, null)).toBe('10.0 MB used by this site');
    expect(storageLine(null, null)).toBe('The browser did not say how much space is used.');
  });
});
