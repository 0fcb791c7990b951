/**
 * web-llm 0.2.86's ArtifactCache (the default "cache" backend, node_modules/@mlc-ai/web-llm/lib/
 * index.js, class ArtifactCache) over a given CacheStorage, step for step, so the stand-in
 * stores and looks up exactly as web-llm does:
 * - fetchWithCache(url): match(url); when absent cache.add(new Request(url, { signal })) (the
 *   browser's own fetch and its own errors), then match again and convert;
 * - hasAllKeys(urls): every url is among the request URLs of cache.keys();
 * - deleteInCache(url): cache.delete(url).
 * The cache is opened on first use, as web-llm does.
 */
export class ArtifactCache {
  private cache: Cache | undefined;

  constructor(
    private readonly storage: () => CacheStorage,
    readonly scope: string,
  ) {}

  private async open(): Promise<Cache> {
    return (this.cache ??= await this.storage().open(this.scope));
  }

  async fetchWithCache(url: string, storetype: 'json', signal?: AbortSignal): Promise<unknown>;
  async fetchWithCache(url: string, storetype: 'arraybuffer', signal?: AbortSignal): Promise<ArrayBuffer>;
  async fetchWithCache(url: string, storetype: 'json' | 'arraybuffer', signal?: AbortSignal): Promise<unknown> {
    await this.addToCache(url, signal);
    const result = await (await this.open()).match(new Request(url));
    if (result === undefined) throw Error('Cannot fetch ' + url);
    return storetype === 'json' ? await result.json() : await result.arrayBuffer();
  }

  async addToCache(url: string, signal?: AbortSignal): Promise<void> {
    const request = new Request(url, signal ? { signal } : undefined);
    const cache = await this.open();
    const result = await cache.match(request);
    if (result === undefined) await cache.add(request);
  }

  async hasAllKeys(keys: string[]): Promise<boolean> {
    const cache = await this.open();
    return cache
      .keys()
      .then((requests) => requests.map((r) => r.url))
      .then((cacheKeys) => keys.every((key) => cacheKeys.indexOf(key) !== -1))
      .catch(() => false);
  }

  async deleteInCache(url: string): Promise<void> {
    await (await this.open()).delete(url);
  }
}
