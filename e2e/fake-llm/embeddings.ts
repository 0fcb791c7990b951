/** POST /v1/embeddings and /api/embed: deterministic bag-of-words unit vectors. */

import { createHash } from 'node:crypto';

import { badRequest, goJson, type ServerKind } from './error-bodies';
import { isRecord } from './helpers';
import { preamble } from './preamble';
import { send, sendError, sendJson, type Ctx } from './request-context';
import type { FakeState } from './state';
import { countTokens } from './tokens';

function embed(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) {
    const h = createHash('sha256').update(w).digest();
    const idx = h.readUInt32LE(0) % dims;
    v[idx] = (v[idx] ?? 0) + ((h[4] ?? 0) & 1 ? 1 : -1);
  }
  let norm = Math.hypot(...v);
  if (norm === 0) {
    v[0] = 1;
    norm = 1;
  }
  return v.map((x) => Math.round((x / norm) * 1e7) / 1e7);
}

export async function embeddings(ctx: Ctx, kind: ServerKind, state: FakeState): Promise<void> {
  const body = isRecord(ctx.json) ? ctx.json : undefined;
  const model = body && typeof body['model'] === 'string' ? body['model'] : undefined;
  const s = ctx.prefix ?? (model !== undefined ? state.scenarios.get(model) : undefined) ?? {};
  if (s.cors === false) ctx.cors = {};
  if (await preamble(ctx, s, kind, model, false)) return;
  if (!body) return sendError(ctx, badRequest(kind, 'json', ctx.jsonError));
  if (!model) return sendError(ctx, badRequest(kind, 'model'));
  const input = body['input'];
  const inputs = Array.isArray(input) ? input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof input === 'string' ? input : ''];
  const dims = typeof body['dimensions'] === 'number' && body['dimensions'] > 0 ? Math.floor(body['dimensions']) : 768;
  const vectors = inputs.map((t) => embed(t, dims));
  const tokens = inputs.reduce((a, t) => a + countTokens(t), 0);
  if (kind === 'openai') {
    const base64 = body['encoding_format'] === 'base64';
    return sendJson(
      ctx,
      200,
      {
        object: 'list',
        data: vectors.map((v, index) => ({
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
        })),
        model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      2,
    );
  }
  send(
    ctx,
    200,
    { 'content-type': 'application/json; charset=utf-8' },
    goJson({ model, embeddings: vectors, total_duration: 14_143_917, load_duration: 1_019_500, prompt_eval_count: tokens }),
  );
}
