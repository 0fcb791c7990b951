import * as Comlink from 'comlink';
import type { WebGpuLoadProgress, WebGpuWorkerApi } from '../../workers/webgpu/api';

/**
 * One in-browser model worker (web-llm, workers/webgpu/) for the page, started on first use:
 * import this module lazily (`await import('./webgpu-client')`). The Settings panel and the
 * engine worker (through a port, `webgpuPort`) share it, so there is one model on the GPU.
 *
 * Load progress fans out here: a load started by either side (a download in Settings, the
 * first answer after a reload) is heard by every listener of `onLoadProgress`.
 */
export interface WebGpuClient extends Omit<WebGpuWorkerApi, 'connect'> {
  /** Hears every load's progress, whoever started it; returns the unsubscribe function. */
  onLoadProgress(fn: (p: WebGpuLoadProgress & { modelId: string }) => void): () => void;
}

let shared: { worker: Worker; remote: Comlink.Remote<WebGpuWorkerApi>; client: WebGpuClient } | null = null;
const listeners = new Set<(p: WebGpuLoadProgress & { modelId: string }) => void>();

export function webgpuClient(): WebGpuClient {
  if (shared) return shared.client;
  const worker = new Worker(new URL('../../workers/webgpu/webgpu.worker.ts', import.meta.url), { type: 'module', name: 'parley-webgpu' });
  const remote = Comlink.wrap<WebGpuWorkerApi>(worker);
  const fanOut = (modelId: string, own?: (p: WebGpuLoadProgress) => void) =>
    Comlink.proxy((p: WebGpuLoadProgress) => {
      own?.(p);
      for (const l of listeners) l({ ...p, modelId });
    });
  const client: WebGpuClient = {
    caps: () => remote.caps(),
    catalog: (caps) => remote.catalog(caps),
    load: (modelId, onProgress) => remote.load(modelId, fanOut(modelId, onProgress)),
    cancelLoad: () => remote.cancelLoad(),
    stream: (requestId, request, onEvent, onProgress) => remote.stream(requestId, request, Comlink.proxy(onEvent), fanOut(request.model, onProgress)),
    cancel: (requestId) => remote.cancel(requestId),
    unload: () => remote.unload(),
    loaded: () => remote.loaded(),
    cached: () => remote.cached(),
    delete: (modelId) => remote.delete(modelId),
    reloadSource: () => remote.reloadSource(),
    importFolder: (modelId, files, onProgress) => remote.importFolder(modelId, files, onProgress ? Comlink.proxy(onProgress) : undefined),
    onLoadProgress(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  shared = { worker, remote, client };
  return client;
}

/**
 * A new channel to the in-browser model worker, for the engine worker (which asks for it the
 * first time an answer or a model list needs it). Loads the engine reports travel through the
 * engine's own callbacks; the worker also sends them here (see `webgpuClient`'s fan-out) only
 * for loads the page started.
 */
export async function webgpuPort(): Promise<MessagePort> {
  webgpuClient();
  const channel = new MessageChannel();
  await shared!.remote.connect(Comlink.transfer(channel.port1, [channel.port1]));
  return channel.port2;
}
