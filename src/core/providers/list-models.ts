import { appError, isAppError, type AppError } from '../errors';
import { excerpt, tryParseJson } from './json-fields';
import { buildOllamaModelsRequest, parseOllamaModels } from './ollama';
import { buildOpenAIModelsRequest, parseOpenAIModels } from './openai';
import { readBodyText } from './read-body';
import { errorFromHttp } from './read-error-body';
import { abortedError, isUnfollowedRedirect, looksLikeHtml, redirectError, unreachableError, webPageError } from './transport-errors';
import { buildAzureModelsRequest } from './azure';
import type { Endpoint, FetchPort, RemoteModel } from './types';

/**
 * The models a server lists. Throws an AppError: `http` (errorFromHttp), `network` (not
 * reached, or dropped), `aborted` (signal), `protocol` (a web page, non-JSON, not a list),
 * `internal` (WebGPU connections are not listed over HTTP).
 */
export async function listModels(fetch: FetchPort, endpoint: Endpoint, signal: AbortSignal): Promise<RemoteModel[]> {
  if (endpoint.kind === 'webgpu') {
    throw appError('internal', 'WebGPU models are not listed here: they come from the local-model engine, not over HTTP.');
  }
  const request =
    endpoint.kind === 'ollama' ? buildOllamaModelsRequest(endpoint) : endpoint.azure ? buildAzureModelsRequest(endpoint) : buildOpenAIModelsRequest(endpoint);
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
  if (!parsed.ok) throw appError('protocol', 'The server’s model list is not JSON.', { detail: excerpt(text) });
  return endpoint.kind === 'ollama' ? parseOllamaModels(parsed.value) : parseOpenAIModels(parsed.value);
}

function asAppError(err: unknown, signal: AbortSignal): AppError {
  if (signal.aborted) return abortedError();
  return isAppError(err) ? err : appError('network', 'The connection to the server was lost.', { detail: String(err) });
}
