import { appError } from '../errors';
import { excerpt, isRecord, tryParseJson } from './json-fields';
import { mapOpenAIChunk } from './map-openai-chunk';
import type { ChatEvent } from './types';

/**
 * A JSON body where a stream was asked for: a server that ignores `stream: true` (a whole
 * completion, read from `choices[].message`) or one that reports an error with status 200.
 * Ends with `done`, or with `error` and nothing after, like the stream parsers.
 */
export function parseOpenAICompletion(bodyText: string): ChatEvent[] {
  const parsed = tryParseJson(bodyText);
  if (!parsed.ok) {
    return [{ type: 'error', error: appError('protocol', 'The server’s answer is not JSON.', { detail: excerpt(bodyText) }) }];
  }
  const json = parsed.value;
  if (!isRecord(json) || (!Array.isArray(json['choices']) && !('error' in json))) {
    return [{ type: 'error', error: appError('protocol', 'The server’s answer is not a chat completion.', { detail: excerpt(bodyText) }) }];
  }
  const mapped = mapOpenAIChunk(json, 'message');
  const finishReason = mapped.finishReason ?? null;
  if (mapped.error) return [...mapped.events, { type: 'error', error: mapped.error, finishReason }];
  return [...mapped.events, { type: 'done', finishReason }];
}
