import { baseUrl, httpRequest } from './base-url';
import { openAIChatBody } from './openai';
import type { ChatRequest, Endpoint, HttpRequest } from './types';

/** The GA api-version used when the connection names none. */
export const AZURE_API_VERSION = '2024-10-21';

/**
 * The resource's root (`https://NAME.openai.azure.com`): users paste it with or without a
 * trailing `/openai`, and the paths below add that segment themselves.
 */
export function azureRoot(endpoint: Endpoint): string {
  return baseUrl(endpoint).replace(/\/openai$/i, '');
}

function apiVersion(endpoint: Endpoint): string {
  return encodeURIComponent(endpoint.azure?.apiVersion.trim() || AZURE_API_VERSION);
}

/**
 * POST `{root}/openai/deployments/{deployment}/chat/completions?api-version=…`. Azure takes
 * the model from the path (the deployment name); the body keeps `model` as well, which Azure
 * ignores. Reasoning deployments follow OpenAI's rules, so the strict mapping always applies.
 */
export function buildAzureChatRequest(endpoint: Endpoint, req: ChatRequest): HttpRequest {
  const url = `${azureRoot(endpoint)}/openai/deployments/${encodeURIComponent(req.model)}/chat/completions?api-version=${apiVersion(endpoint)}`;
  return httpRequest(endpoint, url, 'POST', JSON.stringify(openAIChatBody(req, true)));
}

/**
 * GET `{root}/openai/models?api-version=…`: the models the resource could deploy, not the
 * deployments (Azure cannot list those with a key). Used only to check the key and the URL.
 */
export function buildAzureModelsRequest(endpoint: Endpoint): HttpRequest {
  return httpRequest(endpoint, `${azureRoot(endpoint)}/openai/models?api-version=${apiVersion(endpoint)}`, 'GET');
}

/**
 * POST `{root}/openai/deployments/{deployment}/embeddings?api-version=…` with a JSON `body`
 * (`{input, model}`): like chat, Azure takes the model from the path.
 */
export function buildAzureEmbeddingsRequest(endpoint: Endpoint, deployment: string, body: string): HttpRequest {
  const url = `${azureRoot(endpoint)}/openai/deployments/${encodeURIComponent(deployment)}/embeddings?api-version=${apiVersion(endpoint)}`;
  return httpRequest(endpoint, url, 'POST', body);
}
