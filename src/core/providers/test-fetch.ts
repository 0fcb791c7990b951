import type { FetchPort } from './types';

/** Test helper: a FetchPort that records its calls and answers with `respond`. */
export function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchPort = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fetch, calls };
}

/** A body that sends `chunks`, then ends, fails with `failWith`, or hangs (ignoring any abort). */
export function bodyOf(chunks: readonly Uint8Array[], end: 'close' | 'hang' | { failWith: unknown } = 'close') {
  const state = { cancelled: false };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk) return controller.enqueue(chunk);
      if (end === 'close') return controller.close();
      if (end === 'hang') return new Promise<void>(() => undefined);
      return controller.error(end.failWith);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}
