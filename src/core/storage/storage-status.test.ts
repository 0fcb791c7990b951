import { describe, expect, it } from 'vitest';
import { formatBytes, readStorageStatus, requestPersistence, usageRatio, usageText, type StoragePort } from './storage-status';

function port(over: Partial<StoragePort> & { grants?: boolean } = {}): StoragePort & { asked: number } {
  let granted = false;
  const p = {
    asked: 0,
    persisted: async () => granted,
    persist: async () => {
      p.asked++;
      granted = over.grants ?? false;
      return granted;
    },
    estimate: async () => ({ usage: 13_002_342, quota: 2_254_857_830 }),
    ...over,
  };
  return p;
}

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [980, '980 bytes'],
    [1024, '1.0 KB'],
    [13_002_342, '12.4 MB'],
    [2_254_857_830, '2.1 GB'],
    [250 * 1024 ** 3, '250 GB'],
    [1024 ** 2 - 1, '1.0 MB'],
    [5 * 1024 ** 5, '5120 TB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('storage status', () => {
  it('reads persistence and usage, and says them in human units', async () => {
    const s = await readStorageStatus(port());
    expect(s).toEqual({ supported: true, persisted: false, usage: 13_002_342, quota: 2_254_857_830 });
    expect(usageText(s)).toBe('12.4 MB of 2.1 GB used');
    expect(usageRatio(s)).toBeCloseTo(13_002_342 / 2_254_857_830);
  });

  it('without navigator.storage (insecure context) says so instead of failing', async () => {
    const s = await readStorageStatus(null);
    expect(s).toMatchObject({ supported: false, persisted: false });
    expect(usageText(s)).toMatch(/does not say/);
    expect(usageRatio(s)).toBeNull();
    expect(await requestPersistence(null)).toEqual(s);
  });

  it('a browser refusing one question still answers the other', async () => {
    const s = await readStorageStatus(port({ estimate: () => Promise.reject(new Error('no')), persisted: async () => true }));
    expect(s).toMatchObject({ persisted: true, usage: null, quota: null });
    expect(usageText(s)).toBe('The browser did not say how much space is used.');
    const t = await readStorageStatus(port({ estimate: async () => ({ usage: 2048 }) }));
    expect(usageText(t)).toBe('2.0 KB used');
  });

  it('after asking, shows what the browser now holds: granted or not', async () => {
    const yes = port({ grants: true });
    expect((await requestPersistence(yes)).persisted).toBe(true);
    expect(yes.asked).toBe(1);
    // persist() resolves true yet the browser holds false: the page shows false.
    const liar = port({ persist: async () => true });
    expect((await requestPersistence(liar)).persisted).toBe(false);
    const throws = port({ persist: () => Promise.reject(new Error('denied')) });
    expect((await requestPersistence(throws)).persisted).toBe(false);
  });
});
