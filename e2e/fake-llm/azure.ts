/**
 * Azure OpenAI's shape: `/openai/deployments/{deployment}/chat/completions?api-version=…` with
 * the key in an `api-key` header, and `/openai/models?api-version=…`. Deployments are the
 * server's OpenAI model ids. Error bodies are Azure's (`code` as a string, its wording).
 */

import { chat } from './chat';
import { isRecord } from './helpers';
import { openAiModel } from './listings';
import { preamble } from './preamble';
import { sendJson, type Ctx } from './request-context';
import type { FakeState } from './state';

const DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';
const NO_DEPLOYMENT =
  'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.';

function azureError(ctx: Ctx, status: number, code: string, message: string): void {
  sendJson(ctx, status, { error: { code, message } });
}

/** Handles `/openai/…`; returns false for any other path. */
export async function azure(ctx: Ctx, state: FakeState): Promise<boolean> {
  const { method, path: p } = ctx;
  if (!p.startsWith('/openai/')) return false;
  const query = new URLSearchParams((ctx.req.url ?? '').split('?')[1] ?? '');
  const chatMatch = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(p);
  const isModels = p === '/openai/models';
  if (!(method === 'POST' && chatMatch) && !(method === 'GET' && isModels)) {
    azureError(ctx, 404, '404', 'Resource not found');
    return true;
  }
  if (!query.get('api-version')) {
    azureError(ctx, 404, '404', 'Resource not found');
    return true;
  }
  const key = ctx.req.headers['api-key'];
  if (typeof key !== 'string' || key === '' || key === 'bad') {
    azureError(ctx, 401, '401', DENIED);
    return true;
  }
  if (isModels) {
    if (await preamble(ctx, ctx.prefix ?? {}, 'openai', undefined, true)) return true;
    sendJson(ctx, 200, { data: state.models.openai.map(openAiModel), object: 'list' });
    return true;
  }
  const deployment = decodeURIComponent(chatMatch![1]!);
  if (!state.models.openai.includes(deployment)) {
    azureError(ctx, 404, 'DeploymentNotFound', NO_DEPLOYMENT);
    return true;
  }
  // Azure takes the model from the path; the fake's chat reads it from the body.
  if (isRecord(ctx.json)) ctx.json = { ...ctx.json, model: deployment };
  await chat(ctx, 'openai-chat', state);
  return true;
}
