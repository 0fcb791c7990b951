import { describe, expect, it } from 'vitest';
import { listedConnections, partWithoutNetwork, toEntries } from './model-parts';
import { testConnection } from '../storage/test-connection';
import { connectionFingerprint } from '../storage/connection-fingerprint';
import type { ModelCacheEntry } from '../storage/schema';

const c = testConnection({ id: 'a', url: 'http://a/v1', prefixId: 'p', tags: ['t'] });
const entry = (fetchedAt: number, fingerprint = connectionFingerprint(c)): ModelCacheEntry => ({ connectionId: 'a', fingerprint, fetchedAt, models: [{ id: 'm', name: 'M' }] });

describe('partWithoutNetwork', () => {
  it('uses the allowlist first, then a cache younger than the TTL (any age when asked)', () => {
    expect(partWithoutNetwork({ ...c, modelIds: ['x'] }, entry(0), 10, 1000)?.status.source).toBe('allowlist');
    expect(partWithoutNetwork(c, entry(995), 10, 1000)).toMatchObject({ status: { source: 'cache', fetchedAt: 995, count: 1 } });
    expect(partWithoutNetwork(c, entry(0), 10, 1000)).toBeNull();
    expect(partWithoutNetwork(c, entry(0), 10, 1000, true)?.status.source).toBe('cache');
  });

  it('ignores a cache made for another URL or key, and explains Azure without deployments', () => {
    expect(partWithoutNetwork(c, entry(995, 'other'), 10, 1000, true)).toBeNull();
    expect(partWithoutNetwork({ ...c, azure: true }, undefined, 10, 1000)?.status.error?.message).toContain('deployment');
  });
});

describe('toEntries and listedConnections', () => {
  it('prefixes ids, keeps the server id, attaches tags; lists enabled connections (in-browser too) oldest first', () => {
    expect(toEntries(c, [{ id: 'm', name: '' }])[0]).toMatchObject({ id: 'p.m', modelId: 'm', name: 'm', tags: ['t'] });
    const list = listedConnections([
      testConnection({ id: 'new', url: 'http://n', createdAt: 5 }),
      testConnection({ id: 'off', url: 'http://o', createdAt: 1, enabled: false }),
      testConnection({ id: 'gpu', url: 'http://g', createdAt: 2, kind: 'webgpu' }),
      testConnection({ id: 'old', url: 'http://o', createdAt: 3 }),
    ]);
    expect(list.map((x) => x.id)).toEqual(['gpu', 'old', 'new']);
  });
});
