import { appError, isAppError, type AppError } from '../errors';
import { buildOllamaChatRequest } from './ollama';
import { buildOpenAIChatRequest } from './openai';
import { parseOllamaStream } from './parse-ollama-stream';
import { parseOpenAICompletion } from './parse-openai-completion';
import { parseOpenAIStream } from './parse-sse';
import { readBody, readBodyText } from './read-body';
import { errorFromHttp } from './read-error-body';
import { splitHarmony } from './split-harmony';
import { splitThinkTags } from './split-think-tags';
import { abortedError, isUnfollowedRedirect, looksLikeHtml, redirectError, unreachableError, webPageError } from './transport-errors';
import { buildAzureChatRequest } from './azure';
import type { ChatEvent, ChatRequest, Endpoint, FetchPort, HttpRequest } from './types';

/**
 * Streams one chat reply. Never throws: every failure is one `error` event, and the sequence
 * ends with exactly one `done` or one `error`. `signal` reaches fetch and every body read;
 * after an abort the last event is an `error` of kind `aborted`.
 */
export async function* streamChat(
  fetch: FetchPort,
  endpoint: Endpoint,
  req: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const request = buildChatRequest(endpoint, req);
  if (isAppError(request)) {
    yield fail(request);
    return;
  }
  if (signal.aborted) {
    yield fail(abortedError());
    return;
  }

  let response: Response;
  try {
    response = await fetch(request.url, { ...request.init, signal });
  } catch (err) {
    yield fail(signal.aborted ? abortedError() : unreachableError(request.url, err));
    return;
  }
  if (isUnfollowedRedirect(response)) {
    response.body?.cancel().catch(() => undefined);
    yield fail(redirectError(request.url, response));
    return;
  }

  const contentType = response.headers.get('content-type');
  if (!response.ok) {
    const text = await readErrorText(response, signal);
    if (text !== null && rejectsUsageOption(endpoint, req, response.status, text)) {
      // Once: the retry has usageOption false, so it cannot come back here.
      yield* streamChat(fetch, endpoint, { ...req, usageOption: false }, signal);
      return;
    }
    yield fail(text === null ? abortedError() : errorFromHttp(response.status, response.statusText, text, contentType));
    return;
  }
  if (looksLikeHtml(contentType, '')) {
    response.body?.cancel().catch(() => undefined);
    yield fail(webPageError(response.status));
    return;
  }
  // A server that ignored `stream: true`, or one that reports an error as a 200 JSON body.
  if (endpoint.kind === 'openai' && contentType !== null && /\bapplication\/json\b/i.test(contentType)) {
    let text: string;
    try {
      text = await readBodyText(response, signal);
    } catch (err) {
      yield fail(isAppError(err) ? err : abortedError());
      return;
    }
    yield* looksLikeHtml(null, text) ? [fail(webPageError(response.status))] : parseOpenAICompletion(text);
    return;
  }
  if (!response.body) {
    yield fail(appError('protocol', 'The server answered with an empty body.'));
    return;
  }

  const bytes = readBody(response.body, signal);
  const events = endpoint.kind === 'ollama' ? parseOllamaStream(bytes) : parseOpenAIStream(bytes);
  // Both splits pass text through untouched unless the answer opens with their tags.
  yield* splitThinkTags(splitHarmony(events));
}

/**
 * A server that does not know `stream_options` (older vLLM, Azure api-versions before
 * 2024-09, strict proxies) refuses the whole request with 400/422 naming it; the answer
 * without usage numbers is worth more than the error.
 */
export function rejectsUsageOption(endpoint: Endpoint, req: ChatRequest, status: number, body: string): boolean {
  return endpoint.kind === 'openai' && req.usageOption !== false && (status === 400 || status === 422) && /stream_options|include_usage/i.test(body);
}

function fail(error: AppError): ChatEvent {
  return { type: 'error', error };
}

function buildChatRequest(endpoint: Endpoint, req: ChatRequest): HttpRequest | AppError {
  switch (endpoint.kind) {
    case 'openai':
      return endpoint.azure ? buildAzureChatRequest(endpoint, req) : buildOpenAIChatRequest(endpoint, req);
    case 'ollama':
      return buildOllamaChatRequest(endpoint, req);
    case 'webgpu':
      return appError('internal', 'WebGPU models are not supported here: they run in the local-model engine, not over HTTP.');
  }
}

/** The body of an error answer; null after an abort, '' when the read failed (the status still speaks). */
async function readErrorText(response: Response, signal: AbortSignal): Promise<string | null> {
  try {
    return await readBodyText(response, signal);
  } catch {
    return signal.aborted ? null : '';
  }
}
