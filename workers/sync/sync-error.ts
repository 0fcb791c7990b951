/**
 * What can go wrong talking to the sync server, in words a user can act on. `kind` is for code
 * (what to offer, whether to retry); `message` is for the status line; `detail` for developers.
 */
export type SyncErrorKind =
  | 'auth' // 401/403: wrong username or password, or not allowed on this database
  | 'not-found' // 404: no such database (or server path)
  | 'network' // the connection broke off in the middle of an answer
  | 'server' // 5xx or another status the protocol does not expect
  | 'cors-or-offline' // fetch itself failed: offline, wrong address, or CORS not allowing this origin
  | 'timeout' // no answer in time
  | 'bad-response'; // an answer that is not what CouchDB sends (HTML page, bad JSON, wrong shape)

export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly status?: number,
    readonly detail?: string,
  ) {
    super(message);
  }

  /** Worth trying again later by itself (vs. needing the user: credentials, address, database). */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'cors-or-offline';
  }
}

export function isSyncError(err: unknown): err is SyncError {
  return err instanceof SyncError;
}

/** `host[:port]` of the server, for messages; the URL itself if it does not parse. */
export function serverName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** A CouchDB error body's `reason` (or `error`), for the message; '' if there is none. */
export function reasonOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const { reason, error } = body as { reason?: unknown; error?: unknown };
  if (typeof reason === 'string' && reason) return reason;
  return typeof error === 'string' ? error : '';
}

/** The error for an HTTP status the caller did not expect. */
export function statusError(server: string, db: string, status: number, body: unknown, what: string): SyncError {
  const reason = reasonOf(body);
  const because = reason ? `: ${reason}` : '';
  const detail = `${what} → ${status}${because}`;
  if (status === 401) {
    return new SyncError('auth', `The sync server at ${server} did not accept the username or password (HTTP 401${because}).`, status, detail);
  }
  if (status === 403) {
    return new SyncError('auth', `The sync server at ${server} does not let this user use the database “${db}” (HTTP 403${because}).`, status, detail);
  }
  if (status === 404) {
    return new SyncError('not-found', `The sync server at ${server} has no database “${db}” (HTTP 404). Check the address and the database name.`, status, detail);
  }
  return new SyncError('server', `The sync server at ${server} failed to answer (HTTP ${status}${because}). Parley will try again.`, status, detail);
}
