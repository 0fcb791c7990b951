import { appError, type AppError } from '../errors';
import { isRecord, numberField, recordField, stringField, type JsonRecord } from './json-fields';
import { readErrorEnvelope } from './read-error-envelope';
import type { ChatEvent } from './types';

/** What one OpenAI-compatible chunk (or a whole non-streamed completion) says. */
export interface MappedChunk {
  /** text, reasoning, refusal, tool-call and usage events, in that order. */
  events: ChatEvent[];
  /** Non-null finish_reason of choice 0, if this chunk carried one. */
  finishReason?: string;
  /** An error object riding in the chunk (top-level or inside a normal chunk, as OpenRouter does). */
  error?: AppError;
}

/**
 * Maps one parsed chunk. `part` is `delta` for streamed chunks and `message` for a
 * non-streamed completion; Perplexity sends both in every chunk, and `message` there is the
 * running total, so a stream must read `delta` only.
 */
export function mapOpenAIChunk(chunk: unknown, part: 'delta' | 'message' = 'delta'): MappedChunk {
  const out: MappedChunk = { events: [] };
  if (!isRecord(chunk)) return out;

  const choices = chunk['choices'];
  if (Array.isArray(choices)) {
    // n>1 streams interleave choices; only index 0 is this message. Choice order is not index order.
    for (const choice of choices) {
      if (!isRecord(choice) || numberField(choice, 'index') !== 0) continue;
      const body = recordField(choice, part);
      if (body) mapDelta(body, out.events);
      const finish = stringField(choice, 'finish_reason');
      if (finish !== undefined && finish !== '') out.finishReason = finish;
    }
  }

  // Groq used to send usage only inside x_groq; the top-level field wins when both exist.
  const usage = recordField(chunk, 'usage') ?? recordField(recordField(chunk, 'x_groq') ?? {}, 'usage');
  // llama.cpp puts its own speed figures (`timings`: predicted_per_second, prompt_ms…) beside
  // usage; they ride in the usage event under `timings` so the speed shown is the server's.
  const timings = recordField(chunk, 'timings');
  if (timings) out.events.push({ type: 'usage', usage: { ...usage, timings } });
  else if (usage) out.events.push({ type: 'usage', usage });

  if ('error' in chunk && chunk['error'] !== null) {
    const env = readErrorEnvelope({ error: chunk['error'] });
    out.error = appError('stream', env?.message ?? 'The server reported an error in the stream.', {
      ...(env && 'code' in env ? { code: env.code } : {}),
      ...(env && 'type' in env ? { type: env.type } : {}),
    });
  }
  return out;
}

function mapDelta(delta: JsonRecord, events: ChatEvent[]): void {
  // reasoning_content (DeepSeek, vLLM, xAI…) or reasoning (OpenRouter, Groq, Ollama /v1).
  // OpenRouter repeats the same text in reasoning_details[], which is deliberately not read.
  const reasoning = stringField(delta, 'reasoning_content') || stringField(delta, 'reasoning');
  if (reasoning) events.push({ type: 'reasoning', text: reasoning });

  const content = delta['content'];
  if (typeof content === 'string') {
    if (content) events.push({ type: 'text', text: content });
  } else if (Array.isArray(content)) {
    for (const piece of content) mapContentPart(piece, events);
  }

  const refusal = stringField(delta, 'refusal');
  if (refusal) events.push({ type: 'refusal', text: refusal });

  const toolCalls = delta['tool_calls'];
  if (Array.isArray(toolCalls)) {
    toolCalls.forEach((call, position) => {
      if (!isRecord(call)) return;
      const fn = recordField(call, 'function') ?? {};
      const args = fn['arguments'];
      const event: Extract<ChatEvent, { type: 'tool-call' }> = {
        type: 'tool-call',
        // Some servers omit the index when every call arrives whole; the position stands in.
        index: numberField(call, 'index') ?? position,
        arguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
      };
      const id = stringField(call, 'id');
      const name = stringField(fn, 'name');
      if (id) event.id = id;
      if (name) event.name = name;
      events.push(event);
    });
  }
}

/** Mistral sends content as parts: `{type:'text',text}` and `{type:'thinking',thinking:[{type:'text',text}]}`. */
function mapContentPart(piece: unknown, events: ChatEvent[]): void {
  if (!isRecord(piece)) return;
  const type = stringField(piece, 'type');
  if (type === 'text') {
    const text = stringField(piece, 'text');
    if (text) events.push({ type: 'text', text });
  } else if (type === 'thinking') {
    const thinking = piece['thinking'];
    if (typeof thinking === 'string') {
      if (thinking) events.push({ type: 'reasoning', text: thinking });
    } else if (Array.isArray(thinking)) {
      for (const inner of thinking) {
        const text = isRecord(inner) ? stringField(inner, 'text') : undefined;
        if (text) events.push({ type: 'reasoning', text });
      }
    }
  }
}
