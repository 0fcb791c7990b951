import { appError, type AppError } from '../errors';

/**
 * The errors of the transport itself (not the server's own words), shared by streaming and
 * model listing so the UI sees the same wording for the same failure.
 */

/** Same wording as `toAppError` gives a DOM AbortError, so the UI needs one case. */
export function abortedError(): AppError {
  return appError('aborted', 'Stopped.');
}

/**
 * fetch rejected. A browser gives no reason (a CORS refusal and a dead server both read
 * "Failed to fetch"), so the message names both.
 */
export function unreachableError(url: string, cause: unknown): AppError {
  return appError(
    'network',
    `Could not reach ${originOf(url)}: the server may be down or the address wrong, or the browser blocked the request (CORS: the server must allow this app's origin).`,
    { detail: causeText(cause) },
  );
}

/** A read failed after the answer had started: the server or a proxy dropped the connection. */
export function connectionLostError(cause: unknown): AppError {
  return appError('network', 'The connection to the server was lost mid-answer.', { detail: causeText(cause) });
}

/**
 * A redirect that was not followed (see HttpRequest.init.redirect). A browser hides where it
 * pointed (`opaqueredirect`, status 0); node shows the 3xx itself.
 */
export function isUnfollowedRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

export function redirectError(url: string, response: Response): AppError {
  const where = response.headers.get('location');
  return appError(
    'http',
    `${originOf(url)} answered with a redirect. Parley does not follow redirects with your key or headers, so they only ever go to the address you entered.`,
    {
      detail: `Enter the final address as the URL${where ? ` (the server pointed to ${where})` : ''}: often https:// instead of http://, or with or without a trailing /v1.`,
      ...(response.status ? { status: response.status } : {}),
    },
  );
}

/** A login page, captive portal or reverse proxy answered instead of the API. */
export const WEB_PAGE_MESSAGE =
  'The server answered with a web page instead of the API. Check the URL (an API base usually ends in /v1); a login page or a proxy may be in the way.';

/** A 2xx web page: the protocol is wrong, not the status (non-2xx pages go through errorFromHttp). */
export function webPageError(status: number): AppError {
  return appError('protocol', WEB_PAGE_MESSAGE, { detail: `HTTP ${status} with an HTML body`, status });
}

export function looksLikeHtml(contentType: string | null, body: string): boolean {
  if (contentType !== null && /\btext\/html\b/i.test(contentType)) return true;
  return /^\s*<(!doctype html|html[\s>]|head[\s>]|body[\s>])/i.test(body);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
