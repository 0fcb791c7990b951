import { appError, toAppError, type AppError } from '../../src/core/errors';
import type { RagSettings } from '../../src/core/rag/settings';
import type { Embedder } from '../../src/core/rag/types';
import type { ParleyDb } from '../../src/core/storage/db';
import type { EmbedApi, EmbedConfig, EmbedderInfo, EmbedLoadProgress } from '../embed-api';
import { embedCancellable } from '../../src/ui/embed-client';
import { endpointOf } from '../endpoint-of';

/**
 * The embedding model the settings choose, loaded through the embed service (in this worker:
 * transformers.js is imported by the service only when the in-browser engine loads). One model
 * at a time; a load for other settings replaces it.
 */
export interface EmbedderSlot {
  /** The embedder for the current settings, loading it if needed; an AppError when it cannot load. */
  get(settings: RagSettings, onProgress?: (p: EmbedLoadProgress) => void): Promise<Embedder | AppError>;
  /** The id the current settings' embedder has or will have (without loading), or null when none is chosen. */
  expectedId(settings: RagSettings): string | null;
  info(): EmbedderInfo | undefined;
  lastError(): AppError | undefined;
}

/** The config for the settings, or an AppError when they are incomplete (no model, no connection). */
export async function embedConfig(db: ParleyDb, s: RagSettings, appOrigin: string): Promise<EmbedConfig | AppError> {
  if (s.model.trim() === '') return appError('invalid', 'Choose an embedding model in Settings › Knowledge.', { code: 'no_embedder' });
  if (s.engine === 'local') {
    return { engine: 'local', modelId: s.model, ...(s.localBaseUrl ? { baseUrl: s.localBaseUrl } : {}), ...(s.localDtype !== 'auto' ? { dtype: s.localDtype } : {}) };
  }
  const c = s.connectionId ? await db.connections.get(s.connectionId) : undefined;
  if (!c) return appError('invalid', 'The connection chosen for embeddings no longer exists: pick one in Settings › Knowledge.', { code: 'no_embedder' });
  return { engine: s.engine, connection: { id: c.id, ...endpointOf(c, appOrigin) }, model: s.model };
}

/**
 * Embedder ids as the embed service gives them (see Embedder.id): known before loading, so a
 * base indexed with another model is recognised without loading anything.
 */
export function embedderIdOf(s: RagSettings): string | null {
  if (s.model.trim() === '') return null;
  if (s.engine === 'local') return `local:${s.model}`;
  return s.connectionId ? `${s.engine}:${s.connectionId}:${s.model}` : null;
}


export function createEmbedderSlot(db: ParleyDb, service: EmbedApi, appOrigin: string): EmbedderSlot {
  let info: EmbedderInfo | undefined;
  let error: AppError | undefined;
  return {
    async get(settings, onProgress) {
      const config = await embedConfig(db, settings, appOrigin);
      if ('kind' in config && 'message' in config) {
        error = config;
        return config;
      }
      try {
        info = await service.load(config as EmbedConfig, onProgress);
        error = undefined;
      } catch (err) {
        error = toAppError(err);
        return error;
      }
      const loaded = info;
      return {
        id: loaded.id,
        maxBatch: loaded.maxBatch,
        // An abort (a cancelled document) cancels the request in the embed service: a hanging
        // server's request is aborted and the next document or search goes on.
        embed: (texts, signal) => embedCancellable(service, loaded.id, texts, signal),
      };
    },
    expectedId: embedderIdOf,
    info: () => info,
    lastError: () => error,
  };
}
