import { abortedError, connectionLostError } from './transport-errors';

/**
 * A response body as an async iterable of byte chunks, read with a reader (Safari's
 * ReadableStream is not async-iterable). Stops at once when `signal` aborts, even if the body
 * itself ignores the signal, and cancels the body so the connection closes. Throws an AppError:
 * `aborted` after an abort, `network` (connection lost mid-answer) when a read fails.
 */
export async function* readBody(stream: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      if (signal.aborted) throw abortedError();
      const result = await readOrAbort(reader, signal);
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Early exit (abort, error, the consumer stopped at [DONE]): release the connection.
    if (!finished) reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // Older engines throw while a read is pending; the cancel above already freed the stream.
    }
  }
}

function readOrAbort(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    reader.read().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? abortedError() : connectionLostError(err));
      },
    );
  });
}

/**
 * The whole body as text, with the same abort and failure rules as readBody. A missing body
 * (204, HEAD) reads as ''.
 */
export async function readBodyText(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  for await (const bytes of readBody(response.body, signal)) text += decoder.decode(bytes, { stream: true });
  return text + decoder.decode();
}
