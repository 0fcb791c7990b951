import * as z from 'zod/mini';
import { appError } from '../errors';
import { baseUrl, httpRequest } from './base-url';
import type { ChatRequest, Endpoint, HttpRequest, RemoteModel } from './types';

/** POST `${base}/api/chat`, streamed; generation params go in `options` under Ollama's names. */
export function buildOllamaChatRequest(endpoint: Endpoint, req: ChatRequest): HttpRequest {
  const p = req.params ?? {};
  const options = {
    temperature: p.temperature,
    top_p: p.top_p,
    num_predict: p.max_tokens,
    stop: p.stop && p.stop.length > 0 ? p.stop : undefined,
    seed: p.seed,
    frequency_penalty: p.frequency_penalty,
    presence_penalty: p.presence_penalty,
    num_ctx: p.num_ctx,
    top_k: p.top_k,
    min_p: p.min_p,
    repeat_penalty: p.repeat_penalty,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const body = {
    model: req.model,
    // Ollama takes images as bare base64 strings beside the text, never as content parts.
    messages: req.messages.map((m) => ({ role: m.role, content: m.content, ...(m.images?.length ? { images: m.images.map((i) => i.base64) } : {}) })),
    stream: true,
    ...(Object.keys(defined).length > 0 ? { options: defined } : {}),
    // keep_alive is a top-level field of the request, not an option.
    ...(p.keep_alive !== undefined ? { keep_alive: p.keep_alive } : {}),
  };
  return httpRequest(endpoint, `${baseUrl(endpoint)}/api/chat`, 'POST', JSON.stringify(body));
}

/** GET `${base}/api/tags`: the installed models. */
export function buildOllamaModelsRequest(endpoint: Endpoint): HttpRequest {
  return httpRequest(endpoint, `${baseUrl(endpoint)}/api/tags`, 'GET');
}

/** One entry of `/api/tags`; `name` and `model` are the same today, either may be missing. */
const ollamaModelSchema = z
  .object({
    name: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
    model: z.catch(z.optional(z.string().check(z.minLength(1))), undefined),
    size: z.catch(z.optional(z.number().check(z.gte(0))), undefined),
  })
  .check(z.refine((m) => m.name !== undefined || m.model !== undefined));

const ollamaListSchema = z.object({ models: z.nullable(z.array(z.unknown())) });

/** An `/api/tags` body → RemoteModels; entries without a name are skipped. */
export function parseOllamaModels(json: unknown): RemoteModel[] {
  const list = ollamaListSchema.safeParse(json);
  if (!list.success) throw appError('protocol', 'The server’s model list is not in the expected format (no "models" list).');
  const models: RemoteModel[] = [];
  for (const entry of list.data.models ?? []) {
    const parsed = ollamaModelSchema.safeParse(entry);
    if (!parsed.success) continue;
    const { name, model, size } = parsed.data;
    const id = model ?? name ?? '';
    const out: RemoteModel = { id, name: name ?? id };
    if (size !== undefined) out.size = size;
    models.push(out);
  }
  return models;
}
