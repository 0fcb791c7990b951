import { appError, isAppError, type AppError } from '../errors';
import { excerpt, tryParseJson } from './json-fields';
import { readBodyText } from './read-body';
import { errorFromHttp } from './read-error-body';
import { abortedError, isUnfollowedRedirect, looksLikeHtml, redirectError, unreachableError, webPageError } from './transport-errors';
import type { FetchPort, HttpRequest } from './types';

/**
 * One non-streaming request whose answer is JSON (model lists, embeddings): its parsed body, or
 * an AppError — `aborted` (signal), `network` (not reached, or dropped), `http` (errorFromHttp),
 * `protocol` (a redirect not followed, a web page, or `what` is not JSON).
 */
export async function fetchJson(fetch: FetchPort, request: HttpRequest, signal: AbortSignal, what: string): Promise<unknown> {
  if (signal.aborted) throw abortedError();
  let response: Response;
  try {
    response = await fetch(request.url, { ...request.init, signal });
  } catch (err) {
    throw signal.aborted ? abortedError() : unreachableError(request.url, err);
  }
  if (isUnfollowedRedirect(response)) {
    response.body?.cancel().catch(() => undefined);
    throw redirectError(request.url, response);
  }
  let text: string;
  try {
    text = await readBodyText(response, signal);
  } catch (err) {
    throw asAppError(err, signal);
  }
  const contentType = response.headers.get('content-type');
  if (!response.ok) throw errorFromHttp(response.status, response.statusText, text, contentType);
  if (looksLikeHtml(contentType, text)) throw webPageError(response.status);
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw appError('protocol', `${what} is not JSON.`, { detail: excerpt(text) });
  return parsed.value;
}

function asAppError(err: unknown, signal: AbortSignal): AppError {
  if (signal.aborted) return abortedError();
  return isAppError(err) ? err : appError('network', 'The connection to the server was lost.', { detail: String(err) });
}
