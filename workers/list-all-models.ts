import { appError, toAppError } from '../src/core/errors';
import { listModels } from '../src/core/providers/list-models';
import { filterChatModels } from '../src/core/providers/filter-chat-models';
import { explainUnreachable } from '../src/core/providers/explain-unreachable';
import { isAppError } from '../src/core/errors';
import type { Endpoint, FetchPort, RemoteModel } from '../src/core/providers/types';
import type { Connection } from '../src/core/storage/schema';
import type { ConnectionStatus, ModelEntry, ModelList, VerifyResult } from './api';

/** How long one server may take to list its models before it is reported as timed out. */
export const LIST_TIMEOUT_MS = 10_000;

export function endpointOf(c: Connection): Endpoint {
  return { kind: c.kind, url: c.url, key: c.key, authType: c.authType, headers: c.headers };
}

/** The models of one connection: its allowlist if it has one, else what the server lists. */
export async function connectionModels(fetch: FetchPort, c: Connection, appOrigin: string, timeoutMs = LIST_TIMEOUT_MS): Promise<RemoteModel[]> {
  if (c.modelIds.length > 0) return c.modelIds.map((id) => ({ id, name: id }));
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return filterChatModels(c.url, await listModels(fetch, endpointOf(c), signal));
  } catch (e) {
    if (signal.aborted) throw appError('timeout', `No answer from ${c.url} within ${Math.round(timeoutMs / 1000)} s.`);
    if (isAppError(e) && e.kind === 'network') throw explainUnreachable(c.kind, c.url, appOrigin, e);
    throw e;
  }
}

export function toEntries(c: Connection, models: RemoteModel[]): ModelEntry[] {
  return models.map((m) => ({
    id: c.prefixId ? `${c.prefixId}.${m.id}` : m.id,
    modelId: m.id,
    name: m.name || m.id,
    connectionId: c.id,
    connectionName: c.name,
    kind: c.kind,
  }));
}

/** Every enabled connection is asked in parallel; one dead server only marks its own status. */
export async function listAllModels(fetch: FetchPort, connections: Connection[], appOrigin: string): Promise<ModelList> {
  const enabled = connections.filter((c) => c.enabled);
  const results = await Promise.all(
    enabled.map(async (c): Promise<{ entries: ModelEntry[]; status: ConnectionStatus }> => {
      try {
        const models = await connectionModels(fetch, c, appOrigin);
        return { entries: toEntries(c, models), status: { connectionId: c.id, ok: true, count: models.length, error: null } };
      } catch (e) {
        return { entries: [], status: { connectionId: c.id, ok: false, count: 0, error: toAppError(e, 'network') } };
      }
    }),
  );
  return { models: results.flatMap((r) => r.entries), statuses: results.map((r) => r.status) };
}

export async function verify(fetch: FetchPort, c: Connection, appOrigin: string): Promise<VerifyResult> {
  try {
    const models = await connectionModels(fetch, { ...c, modelIds: [] }, appOrigin);
    return { ok: true, count: models.length };
  } catch (e) {
    return { ok: false, error: toAppError(e, 'network') };
  }
}
