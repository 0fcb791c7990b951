import { appError, toAppError } from '../src/core/errors';
import { listModels } from '../src/core/providers/list-models';
import { filterChatModels } from '../src/core/providers/filter-chat-models';
import { explainUnreachable } from '../src/core/providers/explain-unreachable';
import { isAppError } from '../src/core/errors';
import type { FetchPort, RemoteModel } from '../src/core/providers/types';
import type { Connection } from '../src/core/storage/schema';
import type { VerifyResult } from './api';
import { AZURE_NO_DEPLOYMENTS } from '../src/core/models/model-parts';
import { endpointOf } from './endpoint-of';

/**
 * What the server lists, with the timeout of this connection. Failures become AppErrors a
 * user can act on: `timeout`, the CORS/mixed-content explanation for `network`, the server's
 * own words for `http`. The allowlist is not applied here.
 */
export async function fetchConnectionModels(fetch: FetchPort, c: Connection, appOrigin: string): Promise<RemoteModel[]> {
  const signal = AbortSignal.timeout(c.timeoutMs);
  try {
    return filterChatModels(c.url, await listModels(fetch, endpointOf(c, appOrigin), signal));
  } catch (e) {
    if (signal.aborted) {
      throw appError('timeout', `${c.url} did not list its models within ${formatSeconds(c.timeoutMs)}.`, {
        detail: 'The server may be overloaded, asleep or unreachable behind a firewall. Check it is running, or raise this connection’s timeout.',
      });
    }
    if (isAppError(e) && e.kind === 'network') throw explainUnreachable(c.kind, c.url, appOrigin, e);
    throw e;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/**
 * The Verify button: always asks the server (never the cache, never the allowlist), so the
 * answer says whether URL and key work right now. Azure counts the deployments entered.
 */
export async function verify(fetch: FetchPort, c: Connection, appOrigin: string): Promise<VerifyResult> {
  try {
    const models = await fetchConnectionModels(fetch, c, appOrigin);
    if (c.kind === 'openai' && c.azure) {
      if (c.modelIds.length === 0) return { ok: false, error: appError('invalid', `The key and URL work. ${AZURE_NO_DEPLOYMENTS}`) };
      return { ok: true, count: c.modelIds.length };
    }
    return { ok: true, count: models.length };
  } catch (e) {
    return { ok: false, error: toAppError(e, 'network') };
  }
}
