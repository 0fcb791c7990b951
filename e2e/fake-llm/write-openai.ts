/** OpenAI chat completions: SSE chunks when streaming, else one chat.completion JSON. */

import { OPENAI_STREAM_ERROR, openAiErrorResponse } from './error-bodies';
import { base62, isRecord, sha256, type Json } from './helpers';
import type { ChatAnswer } from './chat-answer';
import { writeSteps } from './pacing';
import { sendError, type Ctx } from './request-context';
import type { Scenario } from './scenario';
import { truncate, type Step } from './steps';

export async function writeOpenAiChat(ctx: Ctx, s: Scenario, a: ChatAnswer): Promise<void> {
  const { body, model, n, reply, reasoning, contentToks, reasoningToks, finishReason, pTokens, evalCount, stream } = a;
  const id = `chatcmpl-${base62(`chatcmpl-${n}`, 29)}`;
  const created = Math.floor(Date.now() / 1000);
  const fingerprint = `fp_${sha256(model).slice(0, 10)}`;
  const usage = {
    prompt_tokens: pTokens,
    completion_tokens: evalCount,
    total_tokens: pTokens + evalCount,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningToks.length,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const headers = { 'x-request-id': `req_${sha256(`req-${n}`).slice(0, 32)}`, 'openai-processing-ms': '42' };

  if (!stream) {
    if (s.hangAfterTokens !== undefined) return; // never answers
    if (s.dropAfterTokens !== undefined) {
      ctx.req.socket.destroy();
      return;
    }
    if (s.errorAfterTokens !== undefined) return sendError(ctx, openAiErrorResponse(500, { method: ctx.method, path: ctx.path, model }));
    if (s.tokensPerSecond) await ctx.sleep((evalCount / s.tokensPerSecond) * 1000);
    const message: Record<string, Json> = { role: 'assistant', content: reply };
    if (reasoning) message['reasoning_content'] = reasoning;
    message['refusal'] = null;
    message['annotations'] = [];
    const completion = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
      service_tier: 'default',
      system_fingerprint: fingerprint,
    };
    const text = JSON.stringify(completion, null, 2);
    const steps: Step[] = [{ kind: 'head', data: Buffer.from(text) }];
    return writeSteps(ctx, 200, { 'content-type': 'application/json', ...headers }, steps, { split: s.split }, 'end', Buffer.byteLength(text));
  }

  const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
  const includeUsage = streamOptions['include_usage'] === true;
  const obfuscate = streamOptions['include_obfuscation'] !== false;
  let chunkNo = 0;
  const chunk = (choices: Json[], usageValue?: Json): Step['data'] => {
    const o: Record<string, Json> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices,
    };
    if (usageValue !== undefined) o['usage'] = usageValue;
    else if (includeUsage) o['usage'] = null;
    if (obfuscate) {
      const k = chunkNo++;
      o['obfuscation'] = base62(`${id}-${k}`, 1 + (k * 7) % 12);
    }
    return Buffer.from(`data: ${JSON.stringify(o)}\n\n`);
  };
  const choice = (delta: Json, finish: string | null = null): Json => ({ index: 0, delta, logprobs: null, finish_reason: finish });
  const steps: Step[] = [];
  if (reasoningToks.length > 0) {
    steps.push({ kind: 'head', data: chunk([choice({ role: 'assistant', content: null, reasoning_content: '' })]) });
    for (const t of reasoningToks) steps.push({ kind: 'token', data: chunk([choice({ content: null, reasoning_content: t })]) });
    for (const t of contentToks) steps.push({ kind: 'token', data: chunk([choice({ content: t, reasoning_content: null })]) });
  } else {
    steps.push({ kind: 'head', data: chunk([choice({ role: 'assistant', content: '', refusal: null })]) });
    for (const t of contentToks) steps.push({ kind: 'token', data: chunk([choice({ content: t })]) });
  }
  steps.push({ kind: 'tail', data: chunk([choice({}, finishReason)]) });
  if (includeUsage) steps.push({ kind: 'tail', data: chunk([], usage) });
  steps.push({ kind: 'tail', data: Buffer.from('data: [DONE]\n\n') });
  const errorSteps: Step[] = [
    { kind: 'tail', data: Buffer.from(`data: ${JSON.stringify(OPENAI_STREAM_ERROR)}\n\n`) },
    { kind: 'tail', data: Buffer.from('data: [DONE]\n\n') },
  ];
  const t = truncate(steps, s, errorSteps);
  return writeSteps(
    ctx,
    200,
    { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers },
    t.steps,
    s,
    t.ending,
  );
}
