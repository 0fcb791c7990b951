import { appError } from '../errors';
import { fetchJson } from './fetch-json';
import { buildOllamaModelsRequest, parseOllamaModels } from './ollama';
import { buildOpenAIModelsRequest, parseOpenAIModels } from './openai';
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
  const json = await fetchJson(fetch, request, signal, 'The server’s model list');
  return endpoint.kind === 'ollama' ? parseOllamaModels(json) : parseOpenAIModels(json);
}

