import { describe, expect, it } from 'vitest';
import { parseProgress } from './parse-progress';

const MIB = 1024 * 1024;

describe('parseProgress', () => {
  it('reads shards, bytes, total and speed from a fetch report (web-llm 0.2.86 wording)', () => {
    const text =
      'Fetching param cache[3/22]: 120MB fetched. 13% completed, 8 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.';
    const p = parseProgress({ progress: 0.1391, timeElapsed: 8, text });
    expect(p.phase).toBe('fetch');
    expect(p.shard).toEqual({ done: 3, total: 22 });
    expect(p.loadedBytes).toBe(120 * MIB);
    expect(p.totalBytes).toBe(Math.round((120 * MIB * 100) / 13));
    expect(p.bytesPerSecond).toBe((120 * MIB) / 8);
    expect(p.progress).toBe(0.1391);
    expect(p.text).toBe(text);
  });

  it('reads a load-from-cache report: bytes but no download speed', () => {
    const p = parseProgress({ progress: 0.5, timeElapsed: 2, text: 'Loading model from cache[11/22]: 440MB loaded. 50% completed, 2 secs elapsed.' });
    expect(p.phase).toBe('cache');
    expect(p.shard).toEqual({ done: 11, total: 22 });
    expect(p.loadedBytes).toBe(440 * MIB);
    expect(p.totalBytes).toBe(880 * MIB);
    expect(p.bytesPerSecond).toBeUndefined();
  });

  it('no total at 0% and no speed at 0 secs', () => {
    const p = parseProgress({ progress: 0.004, timeElapsed: 0, text: 'Fetching param cache[1/60]: 4MB fetched. 0% completed, 0 secs elapsed. It can take a while…' });
    expect(p.loadedBytes).toBe(4 * MIB);
    expect(p.totalBytes).toBeUndefined();
    expect(p.bytesPerSecond).toBeUndefined();
  });

  it('shader, start, finish and unknown texts', () => {
    expect(parseProgress({ progress: 0.5, timeElapsed: 3, text: 'Loading GPU shader modules[40/80]: 50% completed, 3 secs elapsed.' })).toMatchObject({
      phase: 'shaders',
      shard: { done: 40, total: 80 },
    });
    expect(parseProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }).phase).toBe('start');
    const done = parseProgress({ progress: 1, timeElapsed: 12.5, text: 'Finish loading on WebGPU - apple' });
    expect(done).toEqual({ progress: 1, timeElapsed: 12.5, text: 'Finish loading on WebGPU - apple', phase: 'done' });
    expect(parseProgress({ progress: 0.2, timeElapsed: 1, text: 'Something new [1/2]' })).toEqual({ progress: 0.2, timeElapsed: 1, text: 'Something new [1/2]', phase: 'other' });
  });

  it('clamps a progress outside 0..1 (NaN from 0/0 when a model has no params)', () => {
    expect(parseProgress({ progress: Number.NaN, timeElapsed: 0, text: 'Start to fetch params' }).progress).toBe(0);
    expect(parseProgress({ progress: 1.2, timeElapsed: 0, text: 'x' }).progress).toBe(1);
  });
});
