import { appError } from '../errors';
import { excerpt, tryParseJson } from './json-fields';

/**
 * Newline-delimited JSON bytes → one parsed value per line. The partial last line of a read is
 * kept for the next read (splitting each read on "\n" alone breaks lines that straddle reads);
 * CRLF and blank lines are accepted, and a last line without "\n" is still parsed.
 *
 * A line that is not JSON throws an AppError of kind `protocol` (after yielding the lines
 * before it): the generator yields data, so a broken stream is an exception here, and callers
 * such as parseOllamaStream turn it into an `error` event.
 */
export async function* splitNdjson(body: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let partial = '';
  for await (const bytes of body) {
    const text = partial + decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      const line = text.slice(start, newline).trim();
      if (line !== '') yield parseLine(line);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    partial = text.slice(start);
  }
  const last = (partial + decoder.decode()).trim();
  if (last !== '') yield parseLine(last);
}

function parseLine(line: string): unknown {
  const parsed = tryParseJson(line);
  if (!parsed.ok) throw appError('protocol', 'The server sent a line that is not JSON in the stream.', { detail: excerpt(line) });
  return parsed.value;
}
