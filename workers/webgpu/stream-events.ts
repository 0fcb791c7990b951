import { abortedError } from '../../src/core/providers/transport-errors';
import type { ChatEvent, ChatRequest } from '../../src/core/providers/types';
import type { WebGpuApi, WebGpuLoadProgress } from './api';

/**
 * The caller's side of WebGpuApi.stream: the callback turned back into the AsyncIterable the
 * engine consumes from every provider, and the AbortSignal turned into `cancel(requestId)`.
 * `api` may be the Comlink proxy (then pass callbacks through Comlink.proxy: `wrapCallback`)
 * or the service itself. Never throws; ends with exactly one `done` or `error` like streamChat.
 */
export async function* streamEvents(
  api: Pick<WebGpuApi, 'stream' | 'cancel'>,
  requestId: number,
  request: ChatRequest,
  signal: AbortSignal,
  options: { onProgress?: (p: WebGpuLoadProgress) => void; wrapCallback?: <F extends (...args: never[]) => void>(fn: F) => F } = {},
): AsyncGenerator<ChatEvent> {
  const wrap = options.wrapCallback ?? (<F>(fn: F) => fn);
  const buffered: ChatEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const push = (ev: ChatEvent) => {
    buffered.push(ev);
    wake?.();
  };
  if (signal.aborted) {
    yield { type: 'error', error: abortedError() };
    return;
  }
  const onAbort = () => void api.cancel(requestId);
  signal.addEventListener('abort', onAbort, { once: true });
  const progress = options.onProgress ? wrap(options.onProgress) : undefined;
  void api
    .stream(requestId, request, wrap(push), progress)
    .catch((err: unknown) => push({ type: 'error', error: { kind: 'internal', message: 'The in-browser model worker failed.', detail: String(err) } }))
    .finally(() => {
      finished = true;
      wake?.();
    });
  try {
    let ended = false;
    while (!ended) {
      const ev = buffered.shift();
      if (ev) {
        ended = ev.type === 'done' || ev.type === 'error';
        yield ev;
        continue;
      }
      if (finished) {
        // The worker returned without a final event (it should not): end like an abort would.
        yield { type: 'error', error: abortedError() };
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A consumer that stops reading early stops the generation too.
    if (!finished) void api.cancel(requestId);
  }
}
