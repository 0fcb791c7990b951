import { createSignal } from 'solid-js';
import type { GpuCaps } from '../../core/webgpu/detect';
import type { CachedModel, CatalogEntry, WebGpuLoadProgress } from '../../../workers/webgpu/api';
import type { WebGpuClient } from '../webgpu-client';
import { errorView, type ErrorView } from './error-view';

/** What the section needs of the page: the worker (lazily started), storage, and the app's model list. */
export interface WebGpuDeps {
  /** Starts (or returns) the in-browser model worker's client. */
  client: () => Promise<WebGpuClient>;
  /** navigator.storage.estimate, or null where the page has none. */
  estimate: (() => Promise<{ usage?: number; quota?: number }>) | null;
  /** The set of usable models changed (download, delete, import, new source): the picker should ask again. */
  onModelsChanged: () => void;
}

/** The load on screen: one at a time, like the worker. `adopted`: started before this section opened. */
export interface ActiveLoad {
  modelId: string;
  progress: WebGpuLoadProgress | null;
  adopted: boolean;
}

export type SectionStatus =
  | { kind: 'starting' }
  | { kind: 'unavailable'; caps: GpuCaps }
  | { kind: 'ready'; caps: GpuCaps }
  | { kind: 'failed'; error: ErrorView };

/**
 * Settings › In-browser models' state: adapter, catalog, what is cached, the running download
 * and per-model errors, with the actions that change them. Every action ends by reading the
 * cache and the storage estimate again, so sizes on screen follow what really happened.
 */
export function createWebGpuModels(deps: WebGpuDeps) {
  const [status, setStatus] = createSignal<SectionStatus>({ kind: 'starting' });
  const [catalog, setCatalog] = createSignal<CatalogEntry[]>([]);
  const [cached, setCached] = createSignal<ReadonlyMap<string, CachedModel>>(new Map());
  const [loaded, setLoaded] = createSignal<string | null>(null);
  const [estimate, setEstimate] = createSignal<{ usage?: number; quota?: number } | null>(null);
  const [active, setActive] = createSignal<ActiveLoad | null>(null);
  /** Downloads stopped (or failed) half way: their files stay cached, so Download resumes them. */
  const [partial, setPartial] = createSignal<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = createSignal<Readonly<Record<string, ErrorView>>>({});
  const [listError, setListError] = createSignal<ErrorView | null>(null);
  /** A delete in progress: its buttons are disabled. */
  const [deleting, setDeleting] = createSignal<string | null>(null);
  /** A folder import is writing into the cache: no download meanwhile. */
  const [importing, setImporting] = createSignal(false);
  /** Models this section loaded itself: the fan-out of their progress must not look like someone else's load. */
  const own = new Set<string>();
  let client: WebGpuClient | null = null;
  let unsubscribe: (() => void) | null = null;

  const setError = (modelId: string, view: ErrorView | null) => {
    const next = { ...errors() };
    if (view) next[modelId] = view;
    else delete next[modelId];
    setErrors(next);
  };
  const markPartial = (modelId: string, on: boolean) => {
    const next = new Set(partial());
    if (on) next.add(modelId);
    else next.delete(modelId);
    setPartial(next);
  };
  const entry = (modelId: string) => catalog().find((e) => e.modelId === modelId);

  /** Reads the cache, the loaded model and the storage estimate again; each may fail alone. */
  const refresh = async () => {
    const c = client;
    if (!c) return;
    const [list, now, est] = await Promise.all([
      c.cached().then(
        (l) => (setListError(null), l),
        (e: unknown) => (setListError(errorView(e)), null),
      ),
      c.loaded().catch(() => null),
      deps.estimate ? deps.estimate().catch(() => null) : Promise.resolve(null),
    ]);
    if (list) {
      const complete = list.filter((m) => !m.partial);
      setCached(new Map(complete.map((m) => [m.modelId, m])));
      // Stopped downloads the worker finds in the cache (from an earlier visit too), plus those
      // stopped in this one that it could not measure; none of them once complete.
      const stopped = [...partial(), ...list.filter((m) => m.partial).map((m) => m.modelId)];
      setPartial(new Set(stopped.filter((id) => !complete.some((m) => m.modelId === id))));
    }
    setLoaded(now);
    setEstimate(est);
  };

  /** Another tab of Settings (or this one before it was reopened) started a load: show it here too. */
  const hear = (p: WebGpuLoadProgress & { modelId: string }) => {
    if (own.has(p.modelId)) return;
    const a = active();
    if (a && !a.adopted) return;
    if (p.phase === 'done') {
      if (a?.modelId === p.modelId) {
        setActive(null);
        void refresh().then(deps.onModelsChanged);
      }
      return;
    }
    setActive({ modelId: p.modelId, progress: p, adopted: true });
  };

  const start = async () => {
    try {
      const c = await deps.client();
      client = c;
      const caps = await c.caps();
      if (!caps.available) {
        setStatus({ kind: 'unavailable', caps });
        return;
      }
      unsubscribe = c.onLoadProgress(hear);
      setCatalog(await c.catalog(caps));
      setStatus({ kind: 'ready', caps });
      await refresh();
    } catch (e) {
      setStatus({ kind: 'failed', error: errorView(e) });
    }
  };

  /** Downloads (web-llm downloads by loading) and leaves the model loaded for the first chat. */
  const download = async (modelId: string) => {
    const c = client;
    if (!c || active() || importing()) return;
    setError(modelId, null);
    own.add(modelId);
    setActive({ modelId, progress: null, adopted: false });
    let fetched = false;
    try {
      await c.load(modelId, (p) => {
        // A report can arrive after the load has answered: it must not bring the bar back.
        const a = active();
        if (!a || a.modelId !== modelId || a.adopted) return;
        if (p.phase === 'fetch') fetched = true;
        setActive({ modelId, progress: p, adopted: false });
      });
      markPartial(modelId, false);
    } catch (e) {
      const view = errorView(e, entry(modelId)?.f32Variant);
      // What was fetched stays cached: the next Download continues from there.
      if (view.aborted || fetched) markPartial(modelId, true);
      if (!view.aborted) setError(modelId, view);
    } finally {
      setActive(null);
      await refresh();
      deps.onModelsChanged();
    }
  };

  const cancel = async () => {
    const a = active();
    if (!client || !a) return;
    await client.cancelLoad().catch(() => undefined);
    // An adopted load has no promise here to answer: the row says what the cancel did.
    if (a.adopted) {
      setActive(null);
      markPartial(a.modelId, true);
      await refresh();
    }
  };

  /** Deletes every cached file of the model (also a partial download's), unloading it first. */
  const remove = async (modelId: string) => {
    const c = client;
    if (!c || deleting()) return;
    setError(modelId, null);
    setDeleting(modelId);
    try {
      await c.delete(modelId);
      markPartial(modelId, false);
    } catch (e) {
      setError(modelId, errorView(e));
    } finally {
      setDeleting(null);
      await refresh();
      deps.onModelsChanged();
    }
  };

  /** For the "delete and download again" of a corrupt file. */
  const redownload = async (modelId: string) => {
    await remove(modelId);
    if (!errors()[modelId]) await download(modelId);
  };

  const unload = async () => {
    if (!client) return;
    await client.unload().catch((e: unknown) => setListError(errorView(e)));
    await refresh();
  };

  /** After an import or a new model source: the cache changed under us. */
  const changed = async (importedId?: string) => {
    if (importedId) {
      markPartial(importedId, false);
      setError(importedId, null);
    }
    await refresh();
    deps.onModelsChanged();
  };

  const close = () => {
    unsubscribe?.();
    unsubscribe = null;
  };

  const state = { status, catalog, cached, loaded, estimate, active, partial, errors, listError, deleting, importing, entry };
  const actions = { start, refresh, download, cancel, remove, redownload, unload, changed, setImporting, close, client: () => client };
  return [state, actions] as const;
}

export type WebGpuModels = ReturnType<typeof createWebGpuModels>;

