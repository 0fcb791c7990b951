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
  if (err instanceof DOMException && err.name === 'AbortError') return appError('aborted', 'Stopped.');
  if (err instanceof DOMException && err.name === 'TimeoutError') return appError('timeout', 'The request timed out.');
  if (err instanceof DOMException && err.name === 'QuotaExceededError')
    return appError('storage', 'The browser refused to store more data: the disk or the storage quota is full.');
  if (err instanceof Error) return appError(fallbackKind, err.message || err.name, { detail: err.stack });
  return appError(fallbackKind, String(err));
}

export function isAppError(x: unknown): x is AppError {
  return typeof x === 'object' && x !== null && typeof (x as AppError).kind === 'string' && typeof (x as AppError).message === 'string';
}
