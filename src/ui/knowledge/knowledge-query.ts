/**
 * `#word` at the end of the composer's text picks a knowledge base (like `/` picks a prompt):
 * the query is what follows the `#`, or null when the text does not end in such a word. A `#`
 * must start the text or follow blank space, so "C#" or "issue#12" never open the picker, and
 * a markdown heading ("# Title") closes it with its space.
 */
export function hashQuery(text: string): string | null {
  const m = /(?:^|\s)#([^\s#]*)$/.exec(text);
  return m ? m[1]! : null;
}

/** The text without its trailing `#word` (what is left after a base was picked). */
export function dropHashQuery(text: string): string {
  return text.replace(/(^|\s)#[^\s#]*$/, '$1');
}

/** Bases whose name (or description) holds every word of the query, names that start with it first. */
export function matchBases<T extends { name: string; description: string }>(bases: readonly T[], query: string): T[] {
  const q = query.toLowerCase().trim();
  if (!q) return [...bases];
  const words = q.split(/\s+/);
  const hits = bases.filter((b) => words.every((w) => `${b.name} ${b.description}`.toLowerCase().includes(w)));
  const starts = (b: T) => (b.name.toLowerCase().startsWith(q) ? 0 : 1);
  return hits.sort((a, b) => starts(a) - starts(b));
}
