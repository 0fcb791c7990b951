/** Routing of a parsed request to chat, embeddings, listings, control or each kind's 404. */

import { azure } from './azure';
import { chat } from './chat';
import { control } from './control';
import { embeddings } from './embeddings';
import { goJson, ollamaErrorResponse, ollamaNotFoundPage, openAiErrorResponse, openAiInvalidUrl, type ServerKind } from './error-bodies';
import { isRecord } from './helpers';
import { OLLAMA_VERSION, ollamaShow, ollamaTag, openAiModel } from './listings';
import { page } from './pages';
import { preamble } from './preamble';
import { send, sendError, sendJson, type Ctx } from './request-context';
import type { FakeState } from './state';

export async function route(ctx: Ctx, state: FakeState): Promise<void> {
  const { method, path: p } = ctx;
  const { models } = state;
  if (p.startsWith('/__fake/')) return control(ctx, state);
  if (await azure(ctx, state)) return;
  if (page(ctx)) return;
  const kind: ServerKind | undefined = p === '/v1' || p.startsWith('/v1/') ? 'openai' : p === '/api' || p.startsWith('/api/') ? 'ollama' : undefined;
  const listingScenario = ctx.prefix ?? {};

  if (method === 'POST' && p === '/v1/chat/completions') return chat(ctx, 'openai-chat', state);
  if (method === 'POST' && p === '/api/chat') return chat(ctx, 'ollama-chat', state);
  if (method === 'POST' && p === '/api/generate') return chat(ctx, 'ollama-generate', state);
  if (method === 'POST' && p === '/v1/embeddings') return embeddings(ctx, 'openai', state);
  if (method === 'POST' && p === '/api/embed') return embeddings(ctx, 'ollama', state);

  if ((method === 'GET' || method === 'HEAD') && p === '/') {
    if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
    return send(ctx, 200, { 'content-type': 'text/plain; charset=utf-8' }, 'Ollama is running');
  }
  if (method === 'GET' && p === '/v1/models') {
    if (await preamble(ctx, listingScenario, 'openai', undefined, true)) return;
    return sendJson(ctx, 200, { object: 'list', data: models.openai.map(openAiModel) }, 2);
  }
  if (method === 'GET' && p.startsWith('/v1/models/')) {
    const id = decodeURIComponent(p.slice('/v1/models/'.length));
    if (await preamble(ctx, listingScenario, 'openai', id, false)) return;
    if (!models.openai.includes(id)) return sendError(ctx, openAiErrorResponse(404, { method, path: p, model: id }));
    return sendJson(ctx, 200, openAiModel(id), 2);
  }
  if (method === 'GET' && p === '/api/tags') {
    if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
    return send(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, goJson({ models: models.ollama.map(ollamaTag) }));
  }
  if (method === 'GET' && p === '/api/version') {
    if (await preamble(ctx, listingScenario, 'ollama', undefined, true)) return;
    return send(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, goJson({ version: OLLAMA_VERSION }));
  }
  if (method === 'POST' && p === '/api/show') {
    const body = isRecord(ctx.json) ? ctx.json : {};
    const id = typeof body['model'] === 'string' ? body['model'] : typeof body['name'] === 'string' ? body['name'] : '';
    if (await preamble(ctx, listingScenario, 'ollama', id, false)) return;
    if (!models.ollama.includes(id)) return sendError(ctx, ollamaErrorResponse(404, { method, path: p, model: id }));
    return send(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, goJson(ollamaShow(id)));
  }

  if (kind === 'openai') return sendError(ctx, openAiInvalidUrl(method, p));
  return sendError(ctx, ollamaNotFoundPage());
}
