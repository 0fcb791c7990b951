/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openDb } from '../../src/core/storage/db';
import { SETTINGS } from '../../src/core/storage/settings-keys';
import type { GpuLike } from '../../src/core/webgpu/detect';
import type { WebGpuWorkerApi } from './api';
import type { WebLlmModule } from './runtime';
import { createWebGpuWorker } from './worker-main';
import { connectionFingerprint } from '../../src/core/storage/connection-fingerprint';
import { inBrowserList } from './in-browser-list';

/**
 * The in-browser model worker: web-llm (WebGPU) runs here and nowhere else. The page starts it
 * on first need (src/ui/webgpu-client.ts) and hands the engine worker a port to it, so the
 * Settings panel and the chats share one engine and one model on the GPU. web-llm itself is
 * imported on the first call that needs it (a separate chunk, cached by the service worker at
 * runtime, not precached).
 */
const db = openDb();
const text = async (key: string): Promise<string | undefined> => {
  const v = (await db.settings.get(key))?.value;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

const worker = createWebGpuWorker({
  loadWebLlm: () => import('@mlc-ai/web-llm') as Promise<WebLlmModule>,
  readSource: async () => {
    const [weightsBase, libsBase] = await Promise.all([text(SETTINGS.webgpuWeightsBase), text(SETTINGS.webgpuLibsBase)]);
    return { ...(weightsBase ? { weightsBase } : {}), ...(libsBase ? { libsBase } : {}) };
  },
  caches: self.caches,
  fetch: (url, init) => fetch(url, init),
  gpu: (navigator as Navigator & { gpu?: GpuLike }).gpu,
  userAgent: navigator.userAgent,
  appOrigin: self.location.origin,
  async saveList(cached) {
    const models = inBrowserList(cached);
    const fetchedAt = Date.now();
    await db.transaction('rw', db.connections, db.modelCache, async () => {
      const mine = (await db.connections.toArray()).filter((c) => c.kind === 'webgpu');
      await db.modelCache.bulkPut(mine.map((c) => ({ connectionId: c.id, fingerprint: connectionFingerprint(c), fetchedAt, models })));
    });
  },
});

const api: WebGpuWorkerApi = {
  ...worker,
  async connect(port) {
    Comlink.expose(api, port);
  },
};

Comlink.expose(api);
