/**
 * Errors cross every border (worker bridge, storage, UI) as plain data the UI can show.
 * `message` is written for the user; `detail` carries what a developer needs (status, body).
 */
export type AppErrorKind =
  | 'http' // the server answered with a non-2xx status
  | 'network' // fetch rejected: offline, DNS, CORS, connection refused or dropped
  | 'timeout' // we gave up waiting
  | 'stream' // the server reported an error inside an otherwise good stream
  | 'protocol' // the body was not what the protocol promises (HTML page, bad JSON)
  | 'aborted' // the user stopped it
  | 'storage' // IndexedDB refused (quota, corruption)
  | 'invalid' // input failed validation
  | 'internal';

export interface AppError {
  kind: AppErrorKind;
  message: string;
  detail?: string;
  status?: number;
  /** Provider-specific error code or type, e.g. `invalid_api_key`, `insufficient_quota`. */
  code?: string | number | null;
  type?: string | null;
}

export function appError(kind: AppErrorKind, message: string, extra: Omit<AppError, 'kind' | 'message'> = {}): AppError {
  return { kind, message, ...extra };
}

/** Turns anything thrown into an AppError without losing the original text. */
export function toAppError(err: unknown, fallbackKind: AppErrorKind = 'internal'): AppError {
  if (isAppError(err)) return err;
  // Before AbortError: a transaction the quota aborted surfaces as an abort wrapping the quota error.
  if (isQuotaError(err)) return appError('storage', STORAGE_FULL, { detail: String(err), code: 'QuotaExceededError' });
  if (err instanceof DOMException && err.name === 'AbortError') return appError('aborted', 'Stopped.');
  if (err instanceof DOMException && err.name === 'TimeoutError') return appError('timeout', 'The request timed out.');
  if (err instanceof Error) return appError(fallbackKind, err.message || err.name, { detail: err.stack });
  return appError(fallbackKind, String(err));
}

export function isAppError(x: unknown): x is AppError {
  return typeof x === 'object' && x !== null && typeof (x as AppError).kind === 'string' && typeof (x as AppError).message === 'string';
}

/**
 * What a write refused for lack of space tells the user. Every write is one transaction, so
 * a refused one leaves nothing of itself behind: "nothing was saved" is true, not hopeful.
 */
export const STORAGE_FULL =
  'Storage is full: the browser refused to save more data. Free space (delete old chats or images, or export and clear) and try again. Nothing was saved from this action.';

/**
 * The same, for an answer that streamed but whose final save was refused: it is on screen, and
 * what the timed saves stored before is kept, so "nothing was saved" would not be true.
 */
export const STORAGE_FULL_ANSWER =
  'Storage is full: this answer was not saved completely and may end early after a reload. Free space (delete old chats or images, or export and clear), then regenerate or continue it.';

/**
 * Whether `err` is the browser refusing a write for lack of space, in any of the forms it
 * reaches us: the DOMException itself (every current engine names it so for IndexedDB), Dexie's
 * `QuotaExceededError` (same name, the DOMException as `inner`), Dexie's `AbortError` for the
 * transaction the quota aborted (`inner`), a `BulkError` whose `failures` hold it, or a `cause`.
 */
export function isQuotaError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  if (Array.isArray(e.failures) && e.failures.some((f) => isQuotaError(f, depth + 1))) return true;
  return isQuotaError(e.inner, depth + 1) || isQuotaError(e.cause, depth + 1);
}
