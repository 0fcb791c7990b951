import { normalizeTag } from '../storage/library-ops';

/**
 * Reading what a task model answered. Small models wrap the JSON they were asked for in prose,
 * in ```json fences, or after a think block, so the first JSON value found anywhere in the
 * text is taken. Anything unusable gives null: the task then changes nothing.
 */

/** Most tags and follow-up questions kept from one answer. */
export const MAX_TAGS = 3;
export const MAX_FOLLOW_UPS = 3;
/** Longest generated title kept (the sidebar shows far less). */
export const GENERATED_TITLE_MAX = 80;
const FOLLOW_UP_MAX = 300;

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The end of the JSON object or array opening at `start` (strings and escapes respected), or -1. */
function closingIndex(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The first JSON object or array in `text`, or undefined. */
export function extractJson(text: string): unknown {
  const body = text.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  const whole = tryParse(body);
  if (whole !== undefined && typeof whole === 'object' && whole !== null) return whole;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '{' && body[i] !== '[') continue;
    const end = closingIndex(body, i);
    if (end < 0) continue;
    const value = tryParse(body.slice(i, end + 1));
    if (value !== undefined) return value;
  }
  return undefined;
}

function field(json: unknown, ...names: string[]): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const rec = json as Record<string, unknown>;
  for (const n of names) if (n in rec) return rec[n];
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseTitle(text: string): string | null {
  const raw = field(extractJson(text), 'title');
  if (typeof raw !== 'string') return null;
  const t = raw
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s"'“”‘’`]+/, '')
    .replace(/[\s"'“”‘’`.。!]+$/, '');
  if (t === '') return null;
  return t.length > GENERATED_TITLE_MAX ? `${t.slice(0, GENERATED_TITLE_MAX - 1).trim()}…` : t;
}

/** Tags as the sidebar stores them (see normalizeTag), without repeats, at most MAX_TAGS. */
export function parseTags(text: string): string[] | null {
  const json = extractJson(text);
  const list = Array.isArray(json) ? strings(json) : strings(field(json, 'tags'));
  const out: string[] = [];
  for (const t of list) {
    if (t.trim() === '') continue;
    const tag = normalizeTag(t);
    if (!out.includes(tag)) out.push(tag);
    if (out.length === MAX_TAGS) break;
  }
  return out.length > 0 ? out : null;
}

/** Up to MAX_FOLLOW_UPS distinct questions; an empty list is a valid answer ("nothing follows"). */
export function parseFollowUps(text: string): string[] | null {
  const json = extractJson(text);
  const value = Array.isArray(json) ? json : field(json, 'follow_ups', 'followUps', 'questions');
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const q of strings(value)) {
    const t = q.replace(/\s+/g, ' ').trim().slice(0, FOLLOW_UP_MAX);
    if (t !== '' && !out.includes(t)) out.push(t);
    if (out.length === MAX_FOLLOW_UPS) break;
  }
  return out;
}
