import { createSignal } from 'solid-js';
import type { ModelEntry, ModelList } from '../../../workers/api';
import type { EngineClient } from '../engine-client';
import { toAppError, type AppError } from '../../core/errors';

/** A chosen model: the id Parley shows plus the connection that serves it. */
export interface ModelRef {
  id: string;
  connectionId: string;
}

export function sameModel(a: ModelRef | null | undefined, b: ModelRef | null | undefined): boolean {
  return !!a && !!b && a.id === b.id && a.connectionId === b.connectionId;
}

/** The merged model list from the engine, refreshed on demand (connections changed, button). */
export function createModels(engine: EngineClient) {
  const [list, setList] = createSignal<ModelList>({ models: [], statuses: [] });
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<AppError | null>(null);
  let generation = 0;

  const refresh = async () => {
    const mine = ++generation;
    setLoading(true);
    try {
      const l = await engine.listModels();
      // A slower, older refresh must not overwrite a newer one.
      if (mine === generation) {
        setList(l);
        setError(null);
      }
    } catch (e) {
      if (mine === generation) setError(toAppError(e));
    } finally {
      if (mine === generation) setLoading(false);
    }
  };

  const find = (ref: ModelRef | null | undefined): ModelEntry | undefined =>
    ref ? list().models.find((m) => m.id === ref.id && m.connectionId === ref.connectionId) : undefined;

  return [{ list, loading, error, find }, { refresh }] as const;
}
export type Models = ReturnType<typeof createModels>;
