import * as z from 'zod/mini';
import type { ParleyDb } from './db';
import { connectionKind, connectionSchema, type Connection } from './schema';
import { connectionInput, defaultName } from './connections';
import { newId } from '../id';
import { appError, isAppError, type AppError } from '../errors';

/**
 * The connections file. Export writes Parley's own JSON, with API keys and credential headers
 * only when the user asks. Import reads that JSON or Open WebUI's admin "Export config" file,
 * checks every entry before anything is written, and writes in one transaction.
 */

export const CONNECTIONS_FORMAT = 'parley-connections';
export const CONNECTIONS_VERSION = 1;

/** More entries than anyone configures by hand; a bigger file is refused, not half-read. */
const MAX_ENTRIES = 500;

export type ExportedConnection = Omit<Connection, 'key'> & { key?: string };

export interface ConnectionsFile {
  format: typeof CONNECTIONS_FORMAT;
  version: typeof CONNECTIONS_VERSION;
  exportedAt: string;
  connections: ExportedConnection[];
}

export interface ImportReport {
  added: number;
  updated: number;
  /** Entries left out because they failed validation; each is named in `problems`. */
  skipped: number;
  problems: string[];
  /** Imported, but not quite as the file said (e.g. an Open WebUI-only sign-in method). */
  notes: string[];
}

/**
 * Header names that carry credentials: Authorization, api-key, x-api-key, and anything whose
 * name mentions a key, token, auth, secret, password or cookie (case-insensitive).
 */
const CREDENTIAL_WORDS = ['key', 'token', 'auth', 'secret', 'password', 'cookie'];

export function isCredentialHeader(name: string): boolean {
  const n = name.toLowerCase();
  return CREDENTIAL_WORDS.some((w) => n.includes(w));
}

export function exportConnections(connections: readonly Connection[], opts: { includeKeys: boolean; now: number }): ConnectionsFile {
  return {
    format: CONNECTIONS_FORMAT,
    version: CONNECTIONS_VERSION,
    exportedAt: new Date(opts.now).toISOString(),
    connections: connections.map((c) => {
      const { key, headers, ...rest } = c;
      const out: ExportedConnection = {
        ...rest,
        headers: opts.includeKeys ? { ...headers } : Object.fromEntries(Object.entries(headers).filter(([n]) => !isCredentialHeader(n))),
      };
      // Left out entirely, not '': on import a missing key means "keep the one you have".
      if (opts.includeKeys && key) out.key = key;
      return out;
    }),
  };
}

/** `parley-connections-YYYY-MM-DD.json`, in the user's local date. */
export function connectionsFileName(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `parley-connections-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}.json`;
}

/** One line for the settings panel. */
export function describeImport(r: ImportReport): string {
  const n = r.added + r.updated;
  const parts: string[] = [];
  if (n > 0) parts.push(`Imported ${n} connection${n === 1 ? '' : 's'}${r.updated ? ` (${r.updated} updated)` : ''}.`);
  else if (r.skipped === 0) parts.push('The file has no connections.');
  else parts.push('Nothing was imported.');
  if (r.skipped > 0) parts.push(`Skipped ${r.skipped}: ${r.problems.map((p) => p.replace(/\.$/, '')).join('; ')}.`);
  if (r.notes.length > 0) parts.push(`Note: ${r.notes.join(' ')}`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Reading a file: what an entry may look like, whichever format it came from.

/** RFC 9110 token characters: anything else cannot be sent as a header name. */
const headerName = z.string().check(z.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'not a valid header name'));
const headerValue = z.string().check(z.maxLength(8192), z.regex(/^[^\r\n\0]*$/, 'a header value may not contain line breaks'));
const headersSchema = z.record(headerName, headerValue).check(z.refine((h) => Object.keys(h).length <= 50, 'at most 50 custom headers'));
const text = (max: number) => z.string().check(z.maxLength(max));

/** Every field but kind and url is optional: on update only the fields present are changed. */
const entrySchema = z.object({
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  kind: connectionKind,
  name: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  url: z.string().check(z.trim(), z.maxLength(2048)),
  // Trimmed as the form does: a pasted key often ends in a newline, which fetch refuses in a header.
  key: z.optional(z.string().check(z.trim(), z.maxLength(4096))),
  enabled: z.optional(z.boolean()),
  modelIds: z.optional(z.array(text(300)).check(z.maxLength(5000))),
  prefixId: z.optional(text(100)),
  tags: z.optional(z.array(text(100)).check(z.maxLength(100))),
  headers: z.optional(headersSchema),
  authType: z.optional(z.enum(['bearer', 'none'])),
  azure: z.optional(z.boolean()),
  apiVersion: z.optional(text(100)),
  timeoutMs: z.optional(z.int().check(z.positive(), z.lte(600_000))),
  createdAt: z.optional(z.number()),
});
type Entry = z.infer<typeof entrySchema>;

interface RawEntry {
  label: string;
  value: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

function isHttpUrl(u: string): boolean {
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * zod/mini carries no message texts (they would cost bytes in every bundle), so its issues say
 * only "Invalid input" unless a schema gave its own message; say what was expected instead.
 */
function issueText(i: z.core.$ZodIssue): string {
  if (i.message && i.message !== 'Invalid input') return i.message;
  switch (i.code) {
    case 'invalid_type':
      return `expected ${i.expected}`;
    case 'invalid_value':
      return `expected one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
      return `at most ${String(i.maximum)}${i.origin === 'string' ? ' characters' : i.origin === 'array' ? ' items' : ''}`;
    case 'too_small':
      return `at least ${String(i.minimum)}${i.origin === 'string' ? ' characters' : i.origin === 'array' ? ' items' : ''}`;
    case 'invalid_key':
      return i.issues[0] ? issueText(i.issues[0]) : 'not a valid name';
    default:
      return 'not valid';
  }
}

function issuesText(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${issueText(i)}` : issueText(i))).join('; ');
}

function checkEntry(value: unknown): Entry | string {
  const p = entrySchema.safeParse(value);
  if (!p.success) return issuesText(p.error.issues);
  const e = p.data;
  if (e.kind === 'webgpu') return e;
  if (!isHttpUrl(e.url)) return 'the URL must be a full http:// or https:// address';
  return { ...e, url: e.url.replace(/\/+$/, '') };
}

function notConnections(): AppError {
  return appError('invalid', 'This is not a connections file: expected a Parley connections export or an Open WebUI config export.');
}

const parleyEnvelope = z.object({
  format: z.literal(CONNECTIONS_FORMAT),
  version: z.number(),
  connections: z.array(z.unknown()),
});

function readParley(json: unknown): RawEntry[] | AppError {
  const env = parleyEnvelope.safeParse(json);
  if (!env.success) return appError('invalid', 'This Parley connections file is damaged: it has no list of connections.');
  const { version, connections } = env.data;
  if (version > CONNECTIONS_VERSION)
    return appError('invalid', `This file was made by a newer Parley (format version ${version}); update Parley to import it.`);
  if (version !== CONNECTIONS_VERSION) return appError('invalid', `Unknown connections file version ${version}.`);
  return connections.map((value, i) => {
    const o = isRecord(value) ? value : {};
    const name = typeof o.name === 'string' && o.name ? o.name : typeof o.url === 'string' ? o.url : '';
    return { label: `connection ${i + 1}${name ? ` (${short(name)})` : ''}`, value };
  });
}

// ---------------------------------------------------------------------------------------------
// Open WebUI's config export: `openai: { api_base_urls, api_keys, api_configs }` and
// `ollama: { base_urls, api_configs }`, the lists parallel and `api_configs` keyed by index as a
// string ("0", "1"; older versions keyed it by URL). Ollama keeps its key inside api_configs.

type OwuiKind = 'openai' | 'ollama';

/** Open WebUI stores each setting under its dotted path (`openai.api_configs`); take that flat shape too. */
function owuiSection(json: Record<string, unknown>, kind: OwuiKind): Record<string, unknown> | undefined {
  const nested = json[kind];
  if (isRecord(nested)) return nested;
  const flat = Object.entries(json).filter(([k]) => k.startsWith(`${kind}.`));
  return flat.length > 0 ? Object.fromEntries(flat.map(([k, v]) => [k.slice(kind.length + 1), v])) : undefined;
}

const URLS_FIELD: Record<OwuiKind, string> = { openai: 'api_base_urls', ollama: 'base_urls' };

/** `null` in Open WebUI means "not set", as an absent field does here. */
function unset(v: unknown): unknown {
  return v === null ? undefined : v;
}

function owuiEntries(kind: OwuiKind, sec: Record<string, unknown>, notes: string[]): RawEntry[] {
  const urls = sec[URLS_FIELD[kind]];
  if (!Array.isArray(urls)) return [];
  const keys = Array.isArray(sec.api_keys) ? sec.api_keys : [];
  const configs = isRecord(sec.api_configs) ? sec.api_configs : {};
  // `openai.enable: false` switches every OpenAI connection off in Open WebUI.
  const sectionOn = sec.enable !== false;
  return urls.map((url: unknown, i): RawEntry => {
    const own = Object.hasOwn(configs, String(i)) ? configs[String(i)] : typeof url === 'string' && Object.hasOwn(configs, url) ? configs[url] : undefined;
    const cfg = isRecord(own) ? own : {};
    const label = `Open WebUI ${kind === 'openai' ? 'OpenAI' : 'Ollama'} connection ${i + 1}${typeof url === 'string' ? ` (${short(url)})` : ''}`;
    const auth = unset(cfg.auth_type);
    let authType: unknown = 'bearer';
    if (auth === 'none') authType = 'none';
    else if (auth !== undefined && auth !== 'bearer')
      notes.push(`${label} signs in with Open WebUI's "${short(String(auth))}", which only works on its server; Parley sends the API key instead.`);
    const tags = unset(cfg.tags);
    return {
      label,
      value: {
        kind,
        url,
        key: unset(kind === 'openai' ? keys[i] : cfg.key),
        enabled: sectionOn && cfg.enable !== false,
        modelIds: unset(cfg.model_ids),
        prefixId: unset(cfg.prefix_id),
        // Tags are `{ name }` objects in Open WebUI's settings form; accept plain strings too.
        tags: Array.isArray(tags) ? tags.map((t: unknown) => (isRecord(t) && typeof t.name === 'string' ? t.name : t)) : tags,
        headers: unset(cfg.headers),
        authType,
        azure: kind === 'openai' ? unset(cfg.azure) : undefined,
        apiVersion: unset(cfg.api_version),
      },
    };
  });
}

function readOpenWebUi(json: Record<string, unknown>, notes: string[]): RawEntry[] | undefined {
  const openai = owuiSection(json, 'openai');
  const ollama = owuiSection(json, 'ollama');
  const looksRight = (openai && Array.isArray(openai[URLS_FIELD.openai])) || (ollama && Array.isArray(ollama[URLS_FIELD.ollama]));
  if (!looksRight) return undefined;
  return [...(openai ? owuiEntries('openai', openai, notes) : []), ...(ollama ? owuiEntries('ollama', ollama, notes) : [])];
}

// ---------------------------------------------------------------------------------------------
// Writing.

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Credential headers the file left out (an export without keys) stay as they were. */
function mergeHeaders(old: Record<string, string>, incoming: Record<string, string>): Record<string, string> {
  const have = new Set(Object.keys(incoming).map((n) => n.toLowerCase()));
  const kept = Object.entries(old).filter(([n]) => isCredentialHeader(n) && !have.has(n.toLowerCase()));
  return { ...incoming, ...Object.fromEntries(kept) };
}

/**
 * The same connection: the same id (and kind), else the same kind, URL and prefix id. A
 * matching id of another kind is not this connection; the import then gets a fresh id.
 */
export function findMatch(existing: readonly Connection[], e: Pick<Entry, 'id' | 'kind' | 'url' | 'prefixId'>): Connection | undefined {
  const byId = e.id ? existing.find((c) => c.id === e.id && c.kind === e.kind) : undefined;
  const url = e.url.replace(/\/+$/, '');
  return byId ?? existing.find((c) => c.kind === e.kind && c.url.replace(/\/+$/, '') === url && c.prefixId === (e.prefixId ?? ''));
}

function updated(old: Connection, e: Entry, now: number): Connection {
  const { id: _id, createdAt: _createdAt, key, headers, name, ...fields } = e;
  return connectionSchema.parse({
    ...old,
    ...definedOnly(fields),
    name: name || old.name,
    key: key || old.key,
    headers: headers ? mergeHeaders(old.headers, headers) : old.headers,
    updatedAt: now,
  });
}

function added(existing: readonly Connection[], e: Entry, now: number): Connection {
  const taken = !e.id || existing.some((c) => c.id === e.id);
  return connectionSchema.parse({
    ...definedOnly(e),
    id: taken ? newId() : e.id,
    name: e.name || defaultName(e.kind, e.url, e.azure ?? false),
    key: e.key ?? '',
    createdAt: e.createdAt ?? now,
    updatedAt: now,
  });
}

/** The settings form's own rules, so an import cannot store what the form would refuse. */
function formProblem(c: Connection): string | undefined {
  if (c.kind === 'webgpu') return undefined;
  const r = connectionInput.safeParse(c);
  return r.success ? undefined : issuesText(r.error.issues);
}

/**
 * Imports a parsed JSON file. Returns an AppError, and writes nothing, when the file is not a
 * connections file at all; otherwise every valid entry is written and each invalid one named.
 */
export async function importConnections(db: ParleyDb, json: unknown, now: number): Promise<ImportReport | AppError> {
  if (!isRecord(json)) return notConnections();
  const notes: string[] = [];
  const raw = json.format === CONNECTIONS_FORMAT ? readParley(json) : readOpenWebUi(json, notes);
  if (raw === undefined) return notConnections();
  if (isAppError(raw)) return raw;
  if (raw.length > MAX_ENTRIES) return appError('invalid', `This file lists ${raw.length} connections; Parley imports at most ${MAX_ENTRIES} at a time.`);

  const report: ImportReport = { added: 0, updated: 0, skipped: 0, problems: [], notes };
  /** Problems with the entry's position, so they are listed in file order. */
  const problems: Array<[number, string]> = [];
  const valid: Array<{ at: number; label: string; entry: Entry }> = [];
  raw.forEach(({ label, value }, at) => {
    const r = checkEntry(value);
    if (typeof r === 'string') problems.push([at, `${label}: ${r}`]);
    else valid.push({ at, label, entry: r });
  });

  // One transaction: if any write fails, none of them happened and the table is as it was.
  if (valid.length > 0) {
    await db.transaction('rw', db.connections, async () => {
      const current = await db.connections.toArray();
      for (const { at, label, entry: e } of valid) {
        const match = findMatch(current, e);
        const record = match ? updated(match, e, now) : added(current, e, now);
        // Checked before it is written: a refused entry is skipped, the others still go in.
        const problem = formProblem(record);
        if (problem) {
          problems.push([at, `${label}: ${problem}`]);
          continue;
        }
        await db.connections.put(record);
        if (match) {
          current[current.indexOf(match)] = record;
          report.updated++;
        } else {
          current.push(record);
          report.added++;
        }
      }
    });
  }
  report.problems = problems.sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  report.skipped = problems.length;
  return report;
}
