import { appError, toAppError, type AppError } from '../errors';
import { isRecord, recordField, stringField, type JsonRecord } from './json-fields';
import { splitNdjson } from './parse-ndjson';
import { readErrorEnvelope } from './read-error-envelope';
import type { ChatEvent, Usage } from './types';

/** Counters of Ollama's `done:true` line that make up its usage (durations in nanoseconds). */
const USAGE_KEYS = [
  'prompt_eval_count',
  'eval_count',
  'total_duration',
  'load_duration',
  'prompt_eval_duration',
  'eval_duration',
] as const;

/**
 * Ollama NDJSON (`/api/chat` and `/api/generate`) → ChatEvents. Never throws: it ends with
 * exactly one `done` (after the usage of the `done:true` line), or with an `error` and nothing
 * after. A body that ends without `done:true` still ends with `done` (finishReason null).
 */
export async function* parseOllamaStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<ChatEvent> {
  // Ollama sends each tool call whole, without an index; a running count keeps two calls apart.
  let toolIndex = 0;
  try {
    for await (const line of splitNdjson(body)) {
      if (!isRecord(line)) continue;
      if ('error' in line) {
        yield { type: 'error', error: lineError(line) };
        return;
      }
      const message = recordField(line, 'message');
      // /api/chat puts the delta in `message`; /api/generate puts it at the top level.
      const delta = message ?? line;
      const thinking = stringField(delta, 'thinking');
      if (thinking) yield { type: 'reasoning', text: thinking };
      const text = message ? stringField(message, 'content') : stringField(line, 'response');
      if (text) yield { type: 'text', text };
      const calls = delta['tool_calls'];
      if (Array.isArray(calls)) {
        for (const call of calls) {
          if (!isRecord(call)) continue;
          yield toolCallEvent(call, toolIndex++);
        }
      }
      if (line['done'] === true) {
        const usage = usageOf(line);
        if (usage) yield { type: 'usage', usage };
        yield { type: 'done', finishReason: stringField(line, 'done_reason') ?? null };
        return;
      }
    }
  } catch (err) {
    yield { type: 'error', error: toAppError(err, 'network') };
    return;
  }
  yield { type: 'done', finishReason: null };
}

function lineError(line: JsonRecord): AppError {
  const env = readErrorEnvelope(line);
  return appError('stream', env?.message ?? 'The server reported an error in the stream.', {
    ...(env && 'code' in env ? { code: env.code } : {}),
    ...(env && 'type' in env ? { type: env.type } : {}),
  });
}

/** Ollama gives arguments as an object; the event carries them as JSON text, like OpenAI's. */
function toolCallEvent(call: JsonRecord, index: number): ChatEvent {
  const fn = recordField(call, 'function') ?? {};
  const args = fn['arguments'];
  const event: Extract<ChatEvent, { type: 'tool-call' }> = {
    type: 'tool-call',
    index,
    arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
  };
  const id = stringField(call, 'id');
  const name = stringField(fn, 'name');
  if (id) event.id = id;
  if (name) event.name = name;
  return event;
}

function usageOf(line: JsonRecord): Usage | undefined {
  const usage: Usage = {};
  for (const key of USAGE_KEYS) {
    if (typeof line[key] === 'number') usage[key] = line[key];
  }
  return Object.keys(usage).length > 0 ? usage : undefined;
}
