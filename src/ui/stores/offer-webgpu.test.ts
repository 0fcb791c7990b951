import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../../core/storage/db';
import { addInBrowserConnection } from '../../core/storage/connections';
import type { GpuLike } from '../../core/webgpu/detect';
import { offerInBrowser } from './offer-webgpu';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/143.0.0.0 Safari/537.36';
let db: ParleyDb;
let n = 0;
let asked = 0;
const adapter = { features: new Set<string>(), limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 }, info: { vendor: 'google', architecture: 'swiftshader' }, isFallbackAdapter: true };
const gpu = (withAdapter: boolean): GpuLike => ({
  requestAdapter: async () => {
    asked++;
    return withAdapter ? adapter : null;
  },
}) as unknown as GpuLike;

beforeEach(() => {
  db = openDb(`test-offer-webgpu-${n++}`);
  asked = 0;
});
afterEach(async () => db.delete());

describe('offerInBrowser', () => {
  it('adds the In-browser connection once when there is an adapter', async () => {
    const added = await offerInBrowser(db, { gpu: gpu(true), userAgent: UA }, 5);
    expect(added).toMatchObject({ kind: 'webgpu', name: 'In-browser', url: '', enabled: true });
    expect(await offerInBrowser(db, { gpu: gpu(true), userAgent: UA }, 6)).toBeNull();
    expect(await db.connections.count()).toBe(1);
    // Asked once: after the offer, start-up does not ask the GPU again.
    expect(asked).toBe(1);
  });

  it('adds nothing without WebGPU or without an adapter, and asks again next start', async () => {
    expect(await offerInBrowser(db, { userAgent: UA }, 5)).toBeNull();
    expect(await offerInBrowser(db, { gpu: gpu(false), userAgent: UA }, 5)).toBeNull();
    expect(await db.connections.count()).toBe(0);
    expect(await offerInBrowser(db, { gpu: gpu(true), userAgent: UA }, 5)).not.toBeNull();
  });

  it('does not bring it back after the user removed it; adding by hand still works, once', async () => {
    const c = (await offerInBrowser(db, { gpu: gpu(true), userAgent: UA }, 5))!;
    await db.connections.delete(c.id);
    expect(await offerInBrowser(db, { gpu: gpu(true), userAgent: UA }, 6)).toBeNull();
    expect(await db.connections.count()).toBe(0);
    const byHand = await addInBrowserConnection(db, 7);
    expect(byHand?.kind).toBe('webgpu');
    expect((await addInBrowserConnection(db, 8))?.id).toBe(byHand?.id);
    expect(await db.connections.count()).toBe(1);
  });
});
