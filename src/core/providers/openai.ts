import * as z from 'zod/mini';
import { appError } from '../errors';
import { baseUrl, httpRequest } from './base-url';
import { OLLAMA_ONLY_PARAMS, type ChatMessage, type ChatRequest, type Endpoint, type HttpRequest, type RemoteModel } from './types';
import { isOpenAIHost, isReasoningModel, mapReasoningBody } from './map-reasoning-model';

/** One message as OpenAI's wire takes it: with images, `content` becomes text and `image_url` parts. */
export type OpenAIMessage = { role: ChatMessage['role']; content: string | Array<Record<string, unknown>> };

export function toOpenAIMessage(m: ChatMessage): OpenAIMessage {
  if (!m.images || m.images.length === 0) return { role: m.role, content: m.content };
  return {
    role: m.role,
    content: [
      { type: 'text', text: m.content },
      ...m.images.map((img) => ({ type: 'image_url', image_url: { url: `data:${img.mime};base64,${img.base64}` } })),
    ],
  };
}

/**
 * The chat body OpenAI-compatible servers take: streamed, asking for the usage chunk at the
 * end, Ollama-only params left out. `strictReasoning`: the server is OpenAI's or Azure's, which
 * reject `max_tokens` and `system` for reasoning models.
 */
export function openAIChatBody(req: ChatRequest, strictReasoning: boolean): Record<string, unknown> {
  const { stop, ...rest } = req.params ?? {};
  const params: Record<string, unknown> = { ...rest };
  for (const k of OLLAMA_ONLY_PARAMS) delete params[k];
  const messages = req.messages.map(toOpenAIMessage);
  const plain = {
    model: req.model,
    messages,
    stream: true,
    ...(req.usageOption === false ? {} : { stream_options: { include_usage: true } }),
    ...params,
    // Some servers reject `stop: []`; an empty list means "none" anyway.
    ...(stop && stop.length > 0 ? { stop } : {}),
  };
  return strictReasoning && isReasoningModel(req.model) ? mapReasoningBody(req.model, plain, messages) : plain;
}

/** POST `${base}/chat/completions`. */
export function buildOpenAIChatRequest(endpoint: Endpoint, req: ChatRequest): HttpRequest {
  // undefined params drop out in JSON.stringify.
  return httpRequest(endpoint, `${baseUrl(endpoint)}/chat/completions`, 'POST', JSON.stringify(openAIChatBody(req, isOpenAIHost(endpoint.url))));
}

/** GET `${base}/models`. */
export function buildOpenAIModelsRequest(endpoint: Endpoint): HttpRequest {
  return httpRequest(endpoint, `${baseUrl(endpoint)}/models`, 'GET');
}

/** One entry of a model list; fields other than `id` fall back to absent when mistyped. */
const openAIModelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.catch(z.optional(z.string()), undefined),
  owned_by: z.catch(z.optional(z.string()), undefined),
  // vLLM
  max_model_len: z.catch(z.optional(z.int().check(z.positive())), undefined),
  // OpenRouter
  context_length: z.catch(z.optional(z.int().check(z.positive())), undefined),
});

/** `{data: [...]}`; Ollama's `/v1/models` sends `data: null` when nothing is installed. */
const openAIListSchema = z.union([
  z.object({ data: z.nullable(z.array(z.unknown())) }),
  // A few servers (Together) answer with the bare array.
  z.array(z.unknown()),
]);

/**
 * A `/models` body → RemoteModels. An entry that does not fit (no id) is skipped, so one odd
 * model does not hide the others; a body that is not a model list throws a `protocol` AppError.
 */
export function parseOpenAIModels(json: unknown): RemoteModel[] {
  const list = openAIListSchema.safeParse(json);
  if (!list.success) throw appError('protocol', 'The server’s model list is not in the expected format (no "data" list).');
  const entries = Array.isArray(list.data) ? list.data : (list.data.data ?? []);
  const models: RemoteModel[] = [];
  for (const entry of entries) {
    const parsed = openAIModelSchema.safeParse(entry);
    if (!parsed.success) continue;
    const m = parsed.data;
    const model: RemoteModel = { id: m.id, name: m.name || m.id };
    if (m.owned_by) model.ownedBy = m.owned_by;
    const contextLength = m.max_model_len ?? m.context_length;
    if (contextLength !== undefined) model.contextLength = contextLength;
    models.push(model);
  }
  return models;
}
