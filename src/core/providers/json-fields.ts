/**
 * Narrowing helpers for JSON of unknown shape. Stream chunks are read field by field rather
 * than through one strict schema: a provider adding or mistyping one field must not make us
 * drop the whole delta.
 */
export type JsonRecord = Record<string, unknown>;

export function isRecord(x: unknown): x is JsonRecord {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function stringField(obj: JsonRecord, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' ? v : undefined;
}

export function numberField(obj: JsonRecord, key: string): number | undefined {
  const v = obj[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function recordField(obj: JsonRecord, key: string): JsonRecord | undefined {
  const v = obj[key];
  return isRecord(v) ? v : undefined;
}

/** JSON.parse without throwing: a bad body is an answer to report, not an exception. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The first `max` characters of a body, for `detail` fields a developer reads. */
export function excerpt(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
