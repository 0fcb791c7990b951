import type { Endpoint } from '../src/core/providers/types';
import type { Connection } from '../src/core/storage/schema';

/** What the providers need to know of a stored connection. `appOrigin` is Parley's own origin. */
export function endpointOf(c: Connection, appOrigin: string): Endpoint {
  return {
    kind: c.kind,
    url: c.url,
    key: c.key,
    authType: c.authType,
    headers: c.headers,
    ...(c.azure && c.kind === 'openai' ? { azure: { apiVersion: c.apiVersion } } : {}),
    ...(appOrigin ? { appOrigin } : {}),
  };
}
