import type { Connection } from './schema';

/**
 * A short digest of everything that decides what a server lists (where and how it is called,
 * not its name, tags or enable switch), so a cached list is used only for the same server and
 * key. FNV-1a: the key must not be recoverable from the cache, and collisions only cost a fetch.
 */
export function connectionFingerprint(c: Connection): string {
  const text = JSON.stringify([c.kind, c.url, c.key, c.authType, c.headers, c.azure, c.apiVersion]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
