import { SETTINGS } from '../storage/settings-keys';
import { recordOf } from './merge';
import { SYNC_TYPES, WHOLE_TYPES, type DocId, type FieldState, type Hlc, type SyncStateRow, type SyncType, type Version } from './types';

/**
 * Local records ↔ sync versions (issue 9). Free of zod: the outbox middleware (installed in
 * every context's ParleyDb, so in the main bundle) uses this file; validating a record that
 * came from the server is `versionToRecord` in record-parse.ts.
 */

/** The Dexie table each synced kind lives in. */
export const TABLE_OF: Readonly<Record<SyncType, string>> = {
  chat: 'chats',
  msg: 'messages',
  folder: 'folders',
  prompt: 'prompts',
  setting: 'settings',
  conn: 'connections',
};

/** Table name → synced kind, for the tables that sync. */
export const TYPE_OF_TABLE: ReadonlyMap<string, SyncType> = new Map(SYNC_TYPES.map((t) => [TABLE_OF[t], t]));

/** The stamp of a field no edit since sync existed has touched (records written before version 9): below every real stamp. */
export const ORIGIN_HLC: Hlc = '0000000000000-0000-0';

/**
 * Settings that follow the user to another device. Not: ollamaProbed / webgpu.offered (facts
 * about this browser), sidebarPinnedHint (a cache), import staging, and every 'sync.*' key
 * (sync's own bookkeeping, its key and credentials).
 */
const SYNCED_SETTINGS: ReadonlySet<string> = new Set([
  SETTINGS.defaultModel,
  SETTINGS.modelCacheTtlMs,
  SETTINGS.favoriteModels,
  SETTINGS.defaultParams,
  SETTINGS.defaultSystem,
  SETTINGS.theme,
  SETTINGS.tasks,
  SETTINGS.webgpuWeightsBase,
  SETTINGS.webgpuLibsBase,
]);

export function settingSyncs(key: string): boolean {
  return SYNCED_SETTINGS.has(key) || key.startsWith('rag.');
}

export function docId(type: SyncType, id: string): DocId {
  return `${type}:${id}`;
}

/** `{type, id}` of a document id, or null when it is not `<SyncType>:<non-empty id>`. */
export function parseDocId(id: DocId): { type: SyncType; id: string } | null {
  const i = id.indexOf(':');
  if (i <= 0 || i === id.length - 1) return null;
  const type = id.slice(0, i);
  return (SYNC_TYPES as readonly string[]).includes(type) ? { type: type as SyncType, id: id.slice(i + 1) } : null;
}

/** The primary key of a record of `type` (settings are keyed by `key`, the rest by `id`). */
export function keyOf(type: SyncType, record: object): unknown {
  return (record as Record<string, unknown>)[type === 'setting' ? 'key' : 'id'];
}

/** Whether this record syncs at all: settings only on the allowlist, never the In-browser (webgpu) connection. */
export function syncsRecord(type: SyncType, record: unknown): boolean {
  if (record === null || typeof record !== 'object') return false;
  const r = record as Record<string, unknown>;
  if (type === 'setting') return typeof r.key === 'string' && settingSyncs(r.key);
  if (type === 'conn') return r.kind !== 'webgpu';
  return true;
}

/** Whether a record of this kind with this key syncs, before its value is known (deletes of settings). */
export function syncsKey(type: SyncType, key: unknown): boolean {
  return type !== 'setting' || (typeof key === 'string' && settingSyncs(key));
}

/** The state of a record sync has never seen. */
export function blankState(id: DocId): SyncStateRow {
  return { id, clocks: {}, del: null, rev: null };
}

/**
 * A connection's fields that travel only when the user opted in to syncing API keys: the key and
 * the custom headers (they often carry credentials: `Authorization`, `api-key`, `x-api-key`…).
 * Without the opt-in each device keeps its own.
 */
export const PRIVATE_CONN_FIELDS: readonly string[] = ['key', 'headers'];

/** Fields of `type` that are left out unless the user opted in (PRIVATE_CONN_FIELDS). */
export function privateField(type: SyncType, field: string, includeKeys: boolean): boolean {
  return type === 'conn' && !includeKeys && PRIVATE_CONN_FIELDS.includes(field);
}

/**
 * The version of a local record: its values with the clocks in `state`. A missing record
 * (deleted, or never here) is `{fields: {}, del}`: its values are gone, so a tombstone pushed
 * from here carries none (merge keeps what the server had only if it was newer).
 * Fields of field-wise kinds whose clock is known but that the record lacks were removed by
 * an edit: they are kept with an undefined value so that removal wins over older values.
 */
export function recordToVersion(type: SyncType, record: object | undefined, state: SyncStateRow, opts: { includeKeys: boolean }): Version {
  const fields: Record<string, FieldState> = {};
  if (record !== undefined) {
    if (WHOLE_TYPES.has(type)) {
      fields['*'] = { h: state.clocks['*'] ?? ORIGIN_HLC, v: record };
    } else {
      const r = record as Record<string, unknown>;
      for (const k of Object.keys(r)) {
        if (!privateField(type, k, opts.includeKeys)) fields[k] = { h: state.clocks[k] ?? ORIGIN_HLC, v: r[k] };
      }
      for (const [k, h] of Object.entries(state.clocks)) {
        if (!Object.hasOwn(fields, k) && !privateField(type, k, opts.includeKeys)) fields[k] = { h, v: undefined };
      }
    }
  }
  return { id: state.id, fields, del: state.del };
}

/**
 * The record a version holds, not validated (record-parse.ts validates): fields with an
 * undefined value (removed) are left out.
 */
export function rawRecordOf(v: Version): Record<string, unknown> | undefined {
  const r = recordOf(v);
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return undefined;
  return Object.fromEntries(Object.entries(r).filter(([, x]) => x !== undefined));
}

/** Deep equality of JSON-like values (key order ignored): a write that changes nothing records nothing. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameValue(x, bb[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k], rb[k]));
}

/**
 * The fields of `type` that differ between an old and a new record (old undefined: every
 * field). Whole kinds: `['*']` when anything differs.
 */
export function changedFields(type: SyncType, before: object | undefined, after: object): string[] {
  if (WHOLE_TYPES.has(type)) return before !== undefined && sameValue(before, after) ? [] : ['*'];
  const b = (before ?? {}) as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const names = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...names].filter((k) => !sameValue(b[k], a[k]));
}
