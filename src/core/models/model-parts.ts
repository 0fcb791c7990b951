import { appError, type AppError } from '../errors';
import type { RemoteModel } from '../providers/types';
import { connectionFingerprint } from '../storage/connection-fingerprint';
import type { Connection, ModelCacheEntry } from '../storage/schema';
import type { ConnectionStatus, ModelEntry, ModelListPart, ModelSource } from './types';

/** The allowlist as models, when the connection has one. */
export function allowlistModels(c: Connection): RemoteModel[] | null {
  return c.modelIds.length > 0 ? c.modelIds.map((id) => ({ id, name: id })) : null;
}

/** Azure cannot list deployments with a key; without an allowlist there is nothing to show. */
export function azureNeedsDeployments(c: Connection): boolean {
  return c.kind === 'openai' && c.azure && c.modelIds.length === 0;
}

export const AZURE_NO_DEPLOYMENTS = 'Azure has no model discovery: enter your deployment names under “Model IDs”.';

/** Models as the picker shows them: prefix applied, connection name and tags attached. */
export function toEntries(c: Connection, models: RemoteModel[]): ModelEntry[] {
  return models.map((m) => ({
    id: c.prefixId ? `${c.prefixId}.${m.id}` : m.id,
    modelId: m.id,
    name: m.name || m.id,
    connectionId: c.id,
    connectionName: c.name,
    kind: c.kind,
    tags: c.tags,
  }));
}

export function makePart(c: Connection, source: ModelSource, models: RemoteModel[], error: AppError | null, fetchedAt: number | null): ModelListPart {
  const status: ConnectionStatus = {
    connectionId: c.id,
    connectionName: c.name,
    ok: source === 'server' || source === 'cache' || source === 'allowlist',
    count: models.length,
    error,
    source,
    fetchedAt,
  };
  return { status, models: toEntries(c, models) };
}

/** The cache entry of this connection, if it was listed with the same URL, key and headers. */
export function ownCacheEntry(c: Connection, entry: ModelCacheEntry | undefined): ModelCacheEntry | undefined {
  return entry && entry.fingerprint === connectionFingerprint(c) ? entry : undefined;
}

/**
 * The part of a connection that needs no request: its allowlist, Azure's missing deployments,
 * or its cached list when younger than `ttl` (any age with `anyAge`). Null: ask the server.
 */
export function partWithoutNetwork(c: Connection, cached: ModelCacheEntry | undefined, ttl: number, now: number, anyAge = false): ModelListPart | null {
  const allowed = allowlistModels(c);
  if (allowed) return makePart(c, 'allowlist', allowed, null, null);
  if (azureNeedsDeployments(c)) return makePart(c, 'none', [], appError('invalid', AZURE_NO_DEPLOYMENTS), null);
  const mine = ownCacheEntry(c, cached);
  if (mine && (anyAge || now - mine.fetchedAt < ttl)) return makePart(c, 'cache', mine.models, null, mine.fetchedAt);
  return null;
}

/**
 * The connections a model list is made of: enabled, oldest first. An in-browser (`webgpu`)
 * connection lists the models downloaded or imported into this browser.
 */
export function listedConnections(all: Connection[]): Connection[] {
  return all.filter((c) => c.enabled).sort((a, b) => a.createdAt - b.createdAt);
}
