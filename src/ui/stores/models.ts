import { createSignal } from 'solid-js';
import type { ListOptions, ModelEntry, ModelList, ModelListPart } from '../../../workers/api';
import type { EngineClient } from '../engine-client';
import type { ParleyDb } from '../../core/storage/db';
import { SETTINGS } from '../../core/storage/settings-keys';
import { listedConnections, partWithoutNetwork } from '../../core/models/model-parts';
import { toAppError, type AppError } from '../../core/errors';

/** What sending with no model to ask says (the composer's send, a launch from the address). */
export const PICK_A_MODEL = 'Pick a model first (add a connection in Settings if the list is empty).';

/** A chosen model: the id Parley shows plus the connection that serves it. */
export interface ModelRef {
  id: string;
  connectionId: string;
}

export function sameModel(a: ModelRef | null | undefined, b: ModelRef | null | undefined): boolean {
  return !!a && !!b && a.id === b.id && a.connectionId === b.connectionId;
}

/** How a favourite is stored: connection and id, since two servers may share model ids. */
export function favoriteKey(m: ModelRef): string {
  return `${m.connectionId}|${m.id}`;
}

/** Parts in the order they first appeared, each replaced by its newer version. */
function merge(parts: Map<string, ModelListPart>): ModelList {
  const all = [...parts.values()];
  return { models: all.flatMap((p) => p.models), statuses: all.map((p) => p.status) };
}

/**
 * The merged model list from the engine. A refresh shows each connection's models the moment
 * that connection answers (the list on screen stays until then, so nothing flashes empty);
 * the engine's final answer then fixes the order and drops removed connections.
 */
export function createModels(engine: EngineClient, db: ParleyDb) {
  const [list, setList] = createSignal<ModelList>({ models: [], statuses: [] });
  const [loading, setLoading] = createSignal(false);
  /** Whether the list is what there is to know for now (stored lists read, or a refresh done): before, an empty list means nothing yet. */
  const [known, setKnown] = createSignal(false);
  const [error, setError] = createSignal<AppError | null>(null);
  const [favorites, setFavorites] = createSignal<ReadonlySet<string>>(new Set());
  let generation = 0;

  /**
   * What IndexedDB already knows (allowlists, cached lists of any age), read on this thread
   * so the picker fills before the engine worker has even started. Parts the engine has
   * already sent win.
   */
  const showKnown = async (mine: number, parts: Map<string, ModelListPart>) => {
    const listed = listedConnections(await db.connections.toArray());
    const cached = await db.modelCache.bulkGet(listed.map((c) => c.id));
    if (mine !== generation) return;
    let added = false;
    listed.forEach((c, i) => {
      if (parts.has(c.id)) return;
      // Any age: an old list on screen for the moment until the engine answers beats none.
      const known = partWithoutNetwork(c, cached[i], 0, Date.now(), true);
      if (known) {
        parts.set(c.id, known);
        added = true;
      }
    });
    if (added) setList(merge(parts));
    if (added || listed.length === 0) setKnown(true);
  };

  const refresh = async (opts: ListOptions = {}) => {
    const mine = ++generation;
    setLoading(true);
    const parts = new Map<string, ModelListPart>();
    const current = list();
    for (const s of current.statuses) parts.set(s.connectionId, { status: s, models: current.models.filter((m) => m.connectionId === s.connectionId) });
    if (parts.size === 0) showKnown(mine, parts).catch(() => undefined);
    try {
      const l = await engine.listModels(opts, (p) => {
        if (mine !== generation) return;
        parts.set(p.status.connectionId, p);
        setList(merge(parts));
      });
      // A slower, older refresh must not overwrite a newer one.
      if (mine === generation) {
        setList(l);
        setError(null);
      }
    } catch (e) {
      if (mine === generation) setError(toAppError(e));
    } finally {
      if (mine === generation) {
        setLoading(false);
        setKnown(true);
      }
    }
  };

  const find = (ref: ModelRef | null | undefined): ModelEntry | undefined =>
    ref ? list().models.find((m) => m.id === ref.id && m.connectionId === ref.connectionId) : undefined;

  const loadFavorites = async () => {
    const row = await db.settings.get(SETTINGS.favoriteModels).catch(() => undefined);
    const v = row?.value;
    if (Array.isArray(v)) setFavorites(new Set(v.filter((x): x is string => typeof x === 'string')));
  };

  /** Stars or unstars a model; resolves to an error when it could not be stored. */
  const toggleFavorite = async (m: ModelRef): Promise<AppError | null> => {
    const next = new Set(favorites());
    const k = favoriteKey(m);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    const before = favorites();
    setFavorites(next);
    try {
      await db.settings.put({ key: SETTINGS.favoriteModels, value: [...next] });
      return null;
    } catch (e) {
      setFavorites(before);
      return toAppError(e, 'storage');
    }
  };

  return [{ list, loading, known, error, find, favorites }, { refresh, loadFavorites, toggleFavorite }] as const;
}
export type Models = ReturnType<typeof createModels>;
