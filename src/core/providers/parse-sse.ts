import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { appError, toAppError, type AppError } from '../errors';
import { excerpt, tryParseJson } from './json-fields';
import { mapOpenAIChunk } from './map-openai-chunk';
import { readErrorEnvelope } from './read-error-envelope';
import type { ChatEvent } from './types';

/** Where the stream stands after the events parsed so far. */
type Progress = 'reading' | 'finished' | 'failed';

/**
 * OpenAI-compatible SSE bytes → ChatEvents. Never throws: it ends with exactly one `done`,
 * or with an `error` (server error, non-JSON data, or a failure reading `body`) and nothing after.
 * It stops reading at `data: [DONE]` and after an error.
 */
export async function* parseOpenAIStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<ChatEvent> {
  // One decoder in stream mode: a multi-byte character split across reads is held, not mangled.
  const decoder = new TextDecoder();
  const messages: EventSourceMessage[] = [];
  // Comments (`: keep-alive`, `: OPENROUTER PROCESSING`) carry nothing, so no onComment.
  const parser = createParser({ onEvent: (m) => messages.push(m) });
  let finishReason: string | null = null;

  const errorEvent = (error: AppError): ChatEvent => ({ type: 'error', error, finishReason });

  function* drain(): Generator<ChatEvent, Progress> {
    try {
      for (const m of messages) {
        const data = m.data.trim();
        if (data === '[DONE]') return 'finished';
        // An empty data line is a heartbeat some proxies send.
        if (data === '') continue;
        const parsed = tryParseJson(data);
        if (!parsed.ok) {
          yield errorEvent(
            appError('protocol', 'The server sent something that is not JSON in the stream.', { detail: excerpt(data) }),
          );
          return 'failed';
        }
        if (m.event === 'error') {
          // Groq: `event: error` + `data: {"error":{…}}`.
          yield errorEvent(namedEventError(parsed.value, data));
          return 'failed';
        }
        const mapped = mapOpenAIChunk(parsed.value);
        yield* mapped.events;
        if (mapped.finishReason !== undefined) finishReason = mapped.finishReason;
        if (mapped.error) {
          yield errorEvent(mapped.error);
          return 'failed';
        }
      }
      return 'reading';
    } finally {
      messages.length = 0;
    }
  }

  let progress: Progress = 'reading';
  try {
    for await (const bytes of body) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      progress = yield* drain();
      if (progress !== 'reading') break;
    }
    if (progress === 'reading') {
      parser.feed(decoder.decode());
      // `reset({ consume: true })` parses an unterminated last line but, in eventsource-parser
      // 3.1, does not dispatch an event whose blank line never came (`data: [DONE]\n` at EOF).
      // A blank line does both; it changes nothing when the body ended cleanly.
      parser.feed('\n\n');
      parser.reset({ consume: true });
      progress = yield* drain();
    }
  } catch (err) {
    yield errorEvent(toAppError(err, 'network'));
    return;
  }
  if (progress !== 'failed') yield { type: 'done', finishReason };
}

function namedEventError(json: unknown, raw: string): AppError {
  const env = readErrorEnvelope(json);
  if (!env) return appError('stream', 'The server reported an error in the stream.', { detail: excerpt(raw) });
  return appError('stream', env.message, {
    ...('code' in env ? { code: env.code } : {}),
    ...('type' in env ? { type: env.type } : {}),
  });
}
