/** Most characters of a page's text sent with a question (about 5,000 tokens). */
export const MAX_PAGE_CHARS = 20_000;

/**
 * Text read out of a page, tidied: spaces and tabs collapsed within lines, lines trimmed, at
 * most one blank line in a row. Cut at `max` characters (at a word boundary when one is near)
 * and says so, so the chip and the model can tell the reader it is not the whole page.
 */
export function tidyPageText(raw: string, max = MAX_PAGE_CHARS): { text: string; truncated: boolean } {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text.length <= max) return { text, truncated: false };
  const cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  return { text: (space > max * 0.9 ? cut.slice(0, space) : cut).trimEnd(), truncated: true };
}
