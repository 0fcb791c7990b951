import * as z from 'zod/mini';
import type { ParleyDb } from './db';
import { connectionKind, connectionSchema, type Connection } from './schema';
import { newId } from '../id';
import { appError, type AppError } from '../errors';
import { SETTINGS } from './settings-keys';

/** A header name as HTTP allows it (RFC 9110 token); fetch throws on anything else. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers a page may not set; the browser drops them or refuses the request. */
const FORBIDDEN_HEADERS = new Set(['host', 'origin', 'referer', 'cookie', 'content-length', 'connection', 'user-agent']);

const headersSchema = z.record(
  z.string().check(
    z.regex(HEADER_NAME, 'Header names may only use letters, digits and - (no spaces or colons).'),
    z.refine((k) => !FORBIDDEN_HEADERS.has(k.toLowerCase()), 'Browsers do not let a page set that header.'),
  ),
  z.string().check(z.refine((v) => !/[\r\n\0]/.test(v), 'Header values must be on one line.')),
);

/**
 * The custom-headers box: empty, or a JSON object of string values. Returns the headers or
 * an AppError whose message says what is wrong in the user's terms.
 */
export function parseHeadersJson(text: string): Record<string, string> | AppError {
  const t = text.trim();
  if (t === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return appError('invalid', 'Custom headers must be JSON, for example {"X-Api-Version": "2"}.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return appError('invalid', 'Custom headers must be a JSON object of names and values, for example {"X-Api-Version": "2"}.');
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) return appError('invalid', `Custom headers: “${name}” is not a header name (letters, digits and - only; no spaces or colons).`);
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) return appError('invalid', `Custom headers: browsers do not let a page set “${name}”.`);
    if (typeof v !== 'string') return appError('invalid', `Custom headers: the value of “${name}” must be a string in quotes.`);
    if (/[\r\n\0]/.test(v)) return appError('invalid', `Custom headers: the value of “${name}” must be on one line.`);
    out[name] = v;
  }
  return out;
}

/** Comma- or newline-separated text → trimmed, non-empty, unique items in order. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== ''))];
}

const httpUrl = z.string().check(
  z.trim(),
  z.refine((u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'Enter a full URL starting with http:// or https://'),
);

/** What the settings form submits; validated before anything is written. */
export const connectionInput = z.object({
  kind: connectionKind,
  id: z.optional(z.string()),
  name: z._default(z.string().check(z.trim(), z.maxLength(200)), ''),
  url: httpUrl,
  /** Absent when editing means "keep the saved key" (the form never receives it back). */
  key: z.optional(z.string().check(z.trim())),
  enabled: z._default(z.boolean(), true),
  modelIds: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))).check(z.maxLength(5000)), []),
  prefixId: z._default(
    z.string().check(z.trim(), z.maxLength(100), z.regex(/^[^\s.]*$/, 'The prefix may not contain spaces or dots (it is followed by one).')),
    '',
  ),
  tags: z._default(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))).check(z.maxLength(50)), []),
  headers: z._default(headersSchema, {}),
  authType: z._default(z.enum(['bearer', 'none']), 'bearer'),
  azure: z._default(z.boolean(), false),
  apiVersion: z._default(z.string().check(z.trim(), z.maxLength(40)), ''),
  timeoutMs: z._default(
    z.int().check(z.gte(1000, 'The timeout must be at least 1 second.'), z.lte(300_000, 'The timeout may be at most 300 seconds.')),
    10_000,
  ),
});
export type ConnectionInput = z.input<typeof connectionInput>;

export function defaultName(kind: Connection['kind'], url: string, azure = false): string {
  try {
    const host = new URL(url).host;
    if (azure) return `Azure (${host.split('.')[0]})`;
    return kind === 'ollama' ? `Ollama (${host})` : host;
  } catch {
    return kind;
  }
}

export async function saveConnection(db: ParleyDb, input: ConnectionInput, now: number): Promise<Connection | AppError> {
  const parsed = connectionInput.safeParse(input);
  if (!parsed.success) return appError('invalid', parsed.error.issues.map((i) => i.message).join('; '));
  const v = parsed.data;
  const url = v.url.replace(/\/+$/, '');
  return db.transaction('rw', db.connections, async () => {
    const old = v.id ? await db.connections.get(v.id) : undefined;
    if (v.id && !old) return appError('invalid', 'This connection was removed in the meantime.');
    const record = connectionSchema.parse({
      ...(old ?? {}),
      id: old?.id ?? newId(),
      kind: v.kind,
      name: v.name || defaultName(v.kind, url, v.azure),
      url,
      key: v.key ?? old?.key ?? '',
      enabled: v.enabled,
      modelIds: v.modelIds,
      prefixId: v.prefixId,
      tags: v.tags,
      headers: v.headers,
      authType: v.authType,
      azure: v.kind === 'openai' && v.azure,
      apiVersion: v.apiVersion,
      timeoutMs: v.timeoutMs,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    });
    await db.connections.put(record);
    return record;
  });
}

/** The name the In-browser (WebGPU) connection gets. */
export const IN_BROWSER_NAME = 'In-browser';

/**
 * Adds the In-browser connection (kind `webgpu`: models run in this browser with web-llm, no
 * URL). `auto`: the app offers it once, when it first finds WebGPU; after that (or after the
 * user removed it) it is not added again by itself. Returns the connection, or null when an
 * automatic add was not wanted. One transaction, so two tabs starting together add one.
 */
export async function addInBrowserConnection(db: ParleyDb, now: number, opts: { auto?: boolean } = {}): Promise<Connection | null> {
  return db.transaction('rw', db.connections, db.settings, async () => {
    const offered = (await db.settings.get(SETTINGS.webgpuOffered))?.value === true;
    const existing = (await db.connections.toArray()).find((c) => c.kind === 'webgpu');
    await db.settings.put({ key: SETTINGS.webgpuOffered, value: true });
    if (existing) return opts.auto ? null : existing;
    if (opts.auto && offered) return null;
    const record = connectionSchema.parse({ id: newId(), kind: 'webgpu', name: IN_BROWSER_NAME, url: '', createdAt: now, updatedAt: now });
    await db.connections.put(record);
    return record;
  });
}
