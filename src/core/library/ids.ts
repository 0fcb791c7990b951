/**
 * Ids for imported records. A source id is kept when Parley can use it (the chat route accepts
 * `[A-Za-z0-9_-]{1,100}`, see `src/ui/stores/route.ts`); otherwise a stable one is derived from
 * the source, so importing the same file again finds the same ids instead of adding copies.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

export function isParleyId(s: unknown): s is string {
  return typeof s === 'string' && ID_PATTERN.test(s);
}

/** Two 32-bit FNV-1a passes with different seeds: 64 bits, plenty to tell a library's records apart. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** A deterministic id from `parts` (joined unambiguously), e.g. `stableId('c', sourceId, createdAt)`. */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  return `${prefix}${hash64(parts.map((p) => `${p.length}:${p}`).join('|'))}`;
}
