import { appError, toAppError } from '../src/core/errors';
import type { RemoteModel } from '../src/core/providers/types';
import { connectionFingerprint } from '../src/core/storage/connection-fingerprint';
import type { Connection, ModelCacheEntry } from '../src/core/storage/schema';
import { MODEL_CACHE_TTL_MS, SETTINGS } from '../src/core/storage/settings-keys';
import { listedConnections, makePart, ownCacheEntry, partWithoutNetwork } from '../src/core/models/model-parts';
import type { ListOptions, ModelList, ModelListPart } from './api';
import { fetchConnectionModels } from './list-all-models';
import { inBrowserList } from './webgpu/in-browser-list';
import type { EnginePorts } from './ports';

export { MODEL_CACHE_TTL_MS };

export async function readCacheTtl(ports: Pick<EnginePorts, 'db'>): Promise<number> {
  const row = await ports.db.settings.get(SETTINGS.modelCacheTtlMs).catch(() => undefined);
  const v = row?.value;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : MODEL_CACHE_TTL_MS;
}

/**
 * The merged model list of every enabled connection. Each connection is asked in parallel
 * with its own timeout; its part is reported the moment it is known. A list younger than the
 * TTL comes from IndexedDB without a request; a server that fails falls back to its last
 * known list, marked `stale`. Two callers asking while a server is still answering share
 * that one request.
 */
export function createCatalog(ports: Pick<EnginePorts, 'db' | 'fetch' | 'clock' | 'appOrigin' | 'webgpu'>) {
  const inflight = new Map<string, Promise<RemoteModel[]>>();
  /** Questions asked so far, and per connection the latest one whose answer was stored. */
  let asks = 0;
  const stored = new Map<string, number>();

  // The in-browser list changes by this app's own download, import or delete, each followed by a
  // forced list: that one must not join a read under way, which may have begun before the change
  // (seen: a model imported while the start-up list was still being read did not show).
  const ask = (c: Connection, fingerprint: string, force: boolean): Promise<RemoteModel[]> => {
    const key = `${c.id}|${fingerprint}`;
    let p = force && c.kind === 'webgpu' ? undefined : inflight.get(key);
    if (!p) {
      const mine: Promise<RemoteModel[]> = (c.kind === 'webgpu' ? inBrowserModels(ports) : fetchConnectionModels(ports.fetch, c, ports.appOrigin)).finally(() => {
        if (inflight.get(key) === mine) inflight.delete(key);
      });
      p = mine;
      inflight.set(key, p);
    }
    return p;
  };

  async function one(c: Connection, cached: ModelCacheEntry | undefined, ttl: number, force: boolean): Promise<ModelListPart> {
    // The in-browser list changes only by this app's own download, import or delete, which
    // refresh it (force): its stored list is good at any age, and starting web-llm is not free;
    // but while such a read is under way, its answer is newer than what is stored (the picker,
    // opened right after an import, asks without force and must not settle for the old list).
    const fingerprint = connectionFingerprint(c);
    const reading = c.kind === 'webgpu' && inflight.has(`${c.id}|${fingerprint}`);
    const known = reading ? null : partWithoutNetwork(c, cached, force ? 0 : ttl, ports.clock.now(), c.kind === 'webgpu' && !force);
    if (known) return known;
    const mine = ownCacheEntry(c, cached);
    const asked = ++asks;
    try {
      const models = await ask(c, fingerprint, force);
      const fetchedAt = ports.clock.now();
      // An answer to an older question that arrives after a newer one's is not stored over it.
      if ((stored.get(c.id) ?? 0) < asked) {
        stored.set(c.id, asked);
        // A full disk must not hide models the server just gave: the cache is only a convenience.
        await ports.db.modelCache.put({ connectionId: c.id, fingerprint, fetchedAt, models }).catch(() => undefined);
      }
      return makePart(c, 'server', models, null, fetchedAt);
    } catch (e) {
      const error = toAppError(e, 'network');
      return mine ? makePart(c, 'stale', mine.models, error, mine.fetchedAt) : makePart(c, 'none', [], error, null);
    }
  }

  return {
    async list(opts: ListOptions = {}, onPart?: (p: ModelListPart) => void): Promise<ModelList> {
      const connections = listedConnections(await ports.db.connections.toArray());
      const [ttl, cached] = await Promise.all([
        readCacheTtl(ports),
        ports.db.modelCache.bulkGet(connections.map((c) => c.id)).catch(() => [] as Array<ModelCacheEntry | undefined>),
      ]);
      const parts = await Promise.all(
        connections.map(async (c, i) => {
          const p = await one(c, cached[i], ttl, opts.force === true);
          onPart?.(p);
          return p;
        }),
      );
      return { models: parts.flatMap((p) => p.models), statuses: parts.map((p) => p.status) };
    },
  };
}
export type Catalog = ReturnType<typeof createCatalog>;

/** The models downloaded or imported into this browser (web-llm's cache), from the in-browser model worker. */
export async function inBrowserModels(ports: Pick<EnginePorts, 'webgpu'>): Promise<RemoteModel[]> {
  const gpu = ports.webgpu ? await ports.webgpu() : null;
  if (!gpu) throw appError('internal', 'In-browser models cannot be listed here: this engine has no way to reach the WebGPU worker.');
  return inBrowserList(await gpu.cached());
}
