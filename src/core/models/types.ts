import type { AppError } from '../errors';
import type { ConnectionKind } from '../providers/types';

/** One model as the picker shows it. */
export interface ModelEntry {
  /** Id as Parley shows and stores it (the connection's prefix applied). */
  id: string;
  /** Id as the server knows it. */
  modelId: string;
  name: string;
  connectionId: string;
  connectionName: string;
  kind: ConnectionKind;
  /** The connection's tags, shown in the picker and filterable. */
  tags: string[];
}

/**
 * Where a connection's models came from: the server just now, the cache (younger than the
 * TTL), its allowlist, the last known list because the server failed (`stale`), or nowhere.
 */
export type ModelSource = 'server' | 'cache' | 'allowlist' | 'stale' | 'none';

export interface ConnectionStatus {
  connectionId: string;
  connectionName: string;
  /** The models are current: fresh, cached within the TTL, or the allowlist. */
  ok: boolean;
  count: number;
  /** Why the last attempt failed (also set when `stale` models are shown). */
  error: AppError | null;
  source: ModelSource;
  /** When the models shown were listed by the server (null for an allowlist or nothing). */
  fetchedAt: number | null;
}

/** One connection's share of the list, sent as soon as that connection has answered. */
export interface ModelListPart {
  status: ConnectionStatus;
  models: ModelEntry[];
}


export interface ModelList {
  models: ModelEntry[];
  statuses: ConnectionStatus[];
}
