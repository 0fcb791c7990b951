/**
 * JSON → pretty-printed text in fenced blocks. A small document is one block; a large one is
 * split along its structure: each item of a large array, each member of a large object, its own
 * block, labelled with its path ($.items[3]), so a chunk holds whole items. JSON Lines: one
 * block per line.
 */

/** A value whose pretty-printed text is at most this long stays one block. */
const BLOCK_CHARS = 1500;

export type JsonResult = { ok: true; text: string } | { ok: false; detail: string };

export function jsonToMarkdown(text: string, options: { lines?: boolean; blockChars?: number } = {}): JsonResult {
  const limit = options.blockChars ?? BLOCK_CHARS;
  if (options.lines) {
    const blocks: string[] = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!.trim();
      if (l === '') continue;
      const parsed = parse(l);
      if (!parsed.ok) return { ok: false, detail: `line ${i + 1}: ${parsed.detail}` };
      blocks.push(...split(parsed.value, `line ${i + 1}`, limit));
    }
    return { ok: true, text: blocks.join('\n\n') };
  }
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  return { ok: true, text: split(parsed.value, '$', limit).join('\n\n') };
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

const fence = (body: string) => '```json\n' + body + '\n```';

function split(value: unknown, path: string, limit: number): string[] {
  const pretty = JSON.stringify(value, null, 2) ?? 'null';
  const top = path === '$';
  if (pretty.length <= limit || value === null || typeof value !== 'object') return [top ? fence(pretty) : `${path}\n${fence(pretty)}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => split(v, `${path}[${i}]`, limit));
  return Object.entries(value).flatMap(([k, v]) => split(v, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, limit));
}
