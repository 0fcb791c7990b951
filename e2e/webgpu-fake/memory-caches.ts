/**
 * A small in-memory CacheStorage for node tests of the stand-in, with the behaviour of
 * Chromium's Cache API that web-llm depends on (recorded with /usr/bin/chromium, HeadlessChrome 156):
 * - add(request) fetches with the global fetch and stores only a complete 2xx answer; any other
 *   status rejects with TypeError "Failed to execute 'add' on 'Cache': Request failed";
 * - a request whose signal aborts while add() runs rejects with DOMException AbortError
 *   "Failed to execute 'add' on 'Cache': Cache.add() was aborted" (nothing is stored);
 * - a request whose signal was aborted BEFORE add() rejects with the signal's reason as it is
 *   (web-llm aborts with the string "Engine.unload() is called.");
 * - entries are keyed by URL (fragment dropped); keys() gives Requests in insertion order.
 * Only what the stand-in and the worker use: open/has/delete/keys on the storage, and
 * match/add/put/delete/keys on a cache.
 */

interface Entry {
  url: string;
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}

function keyOf(input: RequestInfo | URL): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const u = new URL(raw);
  u.hash = '';
  return u.href;
}

export class MemoryCache {
  readonly entries = new Map<string, Entry>();

  async match(input: RequestInfo | URL): Promise<Response | undefined> {
    const e = this.entries.get(keyOf(input));
    return e && new Response(e.body.slice(0), { status: e.status, headers: e.headers });
  }

  async add(input: RequestInfo | URL): Promise<void> {
    const request = input instanceof Request ? input : new Request(keyOf(input));
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    let response: Response;
    let body: ArrayBuffer;
    try {
      response = await fetch(request);
      if (!response.ok) throw new TypeError("Failed to execute 'add' on 'Cache': Request failed");
      body = await response.arrayBuffer();
    } catch (err) {
      if (signal.aborted) throw new DOMException("Failed to execute 'add' on 'Cache': Cache.add() was aborted", 'AbortError');
      // Chromium: a refused connection is fetch's own TypeError "Failed to fetch".
      if (err instanceof TypeError && err.message === 'fetch failed') throw new TypeError('Failed to fetch');
      throw err;
    }
    this.entries.set(keyOf(request), { url: keyOf(request), status: response.status, headers: [...response.headers], body });
  }

  async put(input: RequestInfo | URL, response: Response): Promise<void> {
    const body = await response.arrayBuffer();
    this.entries.set(keyOf(input), { url: keyOf(input), status: response.status, headers: [...response.headers], body });
  }

  async delete(input: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(keyOf(input));
  }

  async keys(): Promise<Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

export class MemoryCacheStorage {
  readonly caches = new Map<string, MemoryCache>();

  async open(name: string): Promise<MemoryCache> {
    let c = this.caches.get(name);
    if (!c) this.caches.set(name, (c = new MemoryCache()));
    return c;
  }

  async has(name: string): Promise<boolean> {
    return this.caches.has(name);
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }

  async keys(): Promise<string[]> {
    return [...this.caches.keys()];
  }

  /** Every stored URL of one cache (a test helper, not part of the Cache API). */
  urls(name: string): string[] {
    return [...(this.caches.get(name)?.entries.keys() ?? [])];
  }

  /** As the browser's `caches` (the subset above). */
  asCacheStorage(): CacheStorage {
    return this as unknown as CacheStorage;
  }
}
