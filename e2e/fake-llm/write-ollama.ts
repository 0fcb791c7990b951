/** Ollama native /api/chat and /api/generate: NDJSON lines when streaming, else one object. */

import { performance } from 'node:perf_hooks';

import { OLLAMA_STREAM_ERROR, goJson, ollamaErrorResponse } from './error-bodies';
import type { Json } from './helpers';
import type { ChatAnswer } from './chat-answer';
import { writeSteps } from './pacing';
import { sendError, type Ctx } from './request-context';
import type { Scenario } from './scenario';
import { truncate, type Step } from './steps';

/** Go's time.RFC3339Nano in UTC: nanoseconds (microsecond-accurate here), trailing zeros trimmed. */
function goTime(): string {
  const t = performance.timeOrigin + performance.now(); // ms, monotonic with sub-ms precision
  const ms = Math.floor(t);
  const iso = new Date(ms).toISOString(); // 2025-08-20T13:48:24.316Z
  const subMs = Math.floor((t - ms) * 1e6)
    .toString()
    .padStart(6, '0');
  const frac = (iso.slice(20, 23) + subMs).replace(/0+$/, '');
  return iso.slice(0, 19) + (frac ? '.' + frac : '') + 'Z';
}

export async function writeOllamaChat(ctx: Ctx, s: Scenario, a: ChatAnswer): Promise<void> {
  const { endpoint, model, reply, reasoning, contentToks, reasoningToks, finishReason, pTokens, evalCount, stream } = a;
  const started = performance.now();
  const generate = endpoint === 'ollama-generate';
  const loadDuration = 38_473_250;
  const promptEvalDuration = pTokens * 1_725_516;
  const metrics = (): Record<string, Json> => {
    const elapsedNs = Math.round((performance.now() - started) * 1e6);
    const evalDuration = Math.max(evalCount * 4_800_000, elapsedNs);
    return {
      total_duration: loadDuration + promptEvalDuration + evalDuration + 1_052_625,
      load_duration: loadDuration,
      prompt_eval_count: pTokens,
      prompt_eval_duration: promptEvalDuration,
      eval_count: evalCount,
      eval_duration: evalDuration,
    };
  };
  const context = (): Json[] => {
    const ids: Json[] = [];
    for (let i = 0; i < Math.min(pTokens + evalCount, 4096); i++) ids.push((i * 7919 + 128000) % 151936);
    return ids;
  };
  const tokenLine = (t: string, thinking: boolean): Step['data'] => () => {
    const o: Record<string, Json> = { model, created_at: goTime() };
    if (generate) {
      o['response'] = thinking ? '' : t;
      if (thinking) o['thinking'] = t;
    } else {
      const message: Record<string, Json> = { role: 'assistant', content: thinking ? '' : t };
      if (thinking) message['thinking'] = t;
      o['message'] = message;
    }
    o['done'] = false;
    return Buffer.from(goJson(o) + '\n');
  };
  const finalObject = (full: boolean): Record<string, Json> => {
    const o: Record<string, Json> = { model, created_at: goTime() };
    if (generate) {
      o['response'] = full ? reply : '';
      if (full && reasoning) o['thinking'] = reasoning;
      o['done'] = true;
      o['done_reason'] = finishReason;
      o['context'] = context();
    } else {
      const message: Record<string, Json> = { role: 'assistant', content: full ? reply : '' };
      if (full && reasoning) message['thinking'] = reasoning;
      o['message'] = message;
      o['done_reason'] = finishReason;
      o['done'] = true;
    }
    return { ...o, ...metrics() };
  };

  if (!stream) {
    if (s.hangAfterTokens !== undefined) return;
    if (s.dropAfterTokens !== undefined) {
      ctx.req.socket.destroy();
      return;
    }
    if (s.errorAfterTokens !== undefined) return sendError(ctx, ollamaErrorResponse(500, { method: ctx.method, path: ctx.path, model }));
    if (s.tokensPerSecond) await ctx.sleep((evalCount / s.tokensPerSecond) * 1000);
    const text = goJson(finalObject(true));
    const steps: Step[] = [{ kind: 'head', data: Buffer.from(text) }];
    return writeSteps(ctx, 200, { 'content-type': 'application/json; charset=utf-8' }, steps, { split: s.split }, 'end', Buffer.byteLength(text));
  }

  const steps: Step[] = [];
  for (const t of reasoningToks) steps.push({ kind: 'token', data: tokenLine(t, true) });
  for (const t of contentToks) steps.push({ kind: 'token', data: tokenLine(t, false) });
  steps.push({ kind: 'tail', data: () => Buffer.from(goJson(finalObject(false)) + '\n') });
  const t = truncate(steps, s, [{ kind: 'tail', data: Buffer.from(goJson(OLLAMA_STREAM_ERROR) + '\n') }]);
  return writeSteps(ctx, 200, { 'content-type': 'application/x-ndjson' }, t.steps, s, t.ending);
}
