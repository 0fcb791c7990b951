import type { AppError } from '../../core/errors';
import type { GpuCaps } from '../../core/webgpu/detect';
import type { CachedModel, CatalogEntry, FolderFile, ImportProgress, ImportResult, LoadResult, WebGpuLoadProgress } from '../../../workers/webgpu/api';
import type { WebGpuClient } from '../webgpu-client';

/**
 * A WebGpuClient for the section's tests, driven by hand: a load stays pending until the test
 * reports progress and finishes or fails it, as the worker does over Comlink (errors are plain
 * AppError objects, cancelLoad makes the pending load reject with kind 'aborted').
 */
export class FakeWebGpuClient implements WebGpuClient {
  calls: string[] = [];
  loadedId: string | null = null;
  pending: { modelId: string; onProgress?: (p: WebGpuLoadProgress) => void; resolve: (r: LoadResult) => void; reject: (e: unknown) => void } | null = null;
  listeners = new Set<(p: WebGpuLoadProgress & { modelId: string }) => void>();
  deleteError: AppError | null = null;
  reloadResult: AppError | null = null;
  importFn: (modelId: string, files: FolderFile[], onProgress?: (p: ImportProgress) => void) => Promise<ImportResult> = async () => ({
    ok: false,
    problems: [],
  });

  constructor(
    public capsValue: GpuCaps,
    public entries: CatalogEntry[],
    public cachedList: CachedModel[] = [],
  ) {}

  async caps() {
    this.calls.push('caps');
    return this.capsValue;
  }
  async catalog(_caps: GpuCaps) {
    this.calls.push('catalog');
    return this.entries;
  }
  load(modelId: string, onProgress?: (p: WebGpuLoadProgress) => void): Promise<LoadResult> {
    this.calls.push(`load ${modelId}`);
    return new Promise<LoadResult>((resolve, reject) => {
      this.pending = onProgress ? { modelId, onProgress, resolve, reject } : { modelId, resolve, reject };
    });
  }
  async cancelLoad() {
    this.calls.push('cancelLoad');
    this.failLoad({ kind: 'aborted', message: 'Stopped.' });
  }
  async stream(): Promise<void> {
    throw new Error('not used by the settings section');
  }
  async cancel() {}
  async unload() {
    this.calls.push('unload');
    this.loadedId = null;
  }
  async loaded() {
    return this.loadedId;
  }
  async cached() {
    this.calls.push('cached');
    return this.cachedList;
  }
  async delete(modelId: string) {
    this.calls.push(`delete ${modelId}`);
    if (this.deleteError) throw this.deleteError;
    this.cachedList = this.cachedList.filter((m) => m.modelId !== modelId);
    if (this.loadedId === modelId) this.loadedId = null;
  }
  async reloadSource() {
    this.calls.push('reloadSource');
    return this.reloadResult;
  }
  importFolder(modelId: string, files: FolderFile[], onProgress?: (p: ImportProgress) => void) {
    this.calls.push(`importFolder ${modelId}`);
    return this.importFn(modelId, files, onProgress);
  }
  onLoadProgress(fn: (p: WebGpuLoadProgress & { modelId: string }) => void) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The worker reports progress of the pending load (to its caller and to every listener, as the page client fans out). */
  progress(p: WebGpuLoadProgress) {
    const l = this.pending;
    if (!l) throw new Error('no load pending');
    l.onProgress?.(p);
    for (const fn of this.listeners) fn({ ...p, modelId: l.modelId });
  }
  /** The pending load ends well: the model is cached (with `bytes`) and loaded. */
  finishLoad(bytes?: number) {
    const l = this.pending;
    if (!l) throw new Error('no load pending');
    this.pending = null;
    if (!this.cachedList.some((m) => m.modelId === l.modelId)) this.cachedList = [...this.cachedList, bytes === undefined ? { modelId: l.modelId } : { modelId: l.modelId, bytes }];
    this.loadedId = l.modelId;
    l.resolve({ modelId: l.modelId, alreadyLoaded: false });
  }
  failLoad(err: unknown) {
    const l = this.pending;
    if (!l) return;
    this.pending = null;
    l.reject(err);
  }
}

/** Lets promises and Solid's updates run: the fake answers asynchronously, like the worker. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

export const MIB = 1024 * 1024;

export function entry(modelId: string, over: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    modelId,
    displayName: modelId.replace(/-q\d.*$/, '').replace(/-/g, ' '),
    family: modelId.split('-')[0]!.replace(/[\d.]+$/, ''),
    quantization: /-(q\d+f\d+(?:_\d+)?)-MLC/.exec(modelId)?.[1] ?? '',
    lowResource: false,
    needsF16: false,
    kind: 'llm',
    runnable: true,
    ...over,
  };
}
