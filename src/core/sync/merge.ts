import { maxHlc } from './hlc';
import { SYNC_TYPES, WHOLE_TYPES, type DocId, type FieldState, type SyncType, type Version } from './types';

/**
 * The merge of two states of one record (issue 9). Pure, and a join-semilattice: commutative,
 * associative and idempotent (merge.test.ts checks it with random versions), so devices and
 * CouchDB conflict revisions converge whatever order they merge in.
 *
 * Rules, each with its tie-break:
 * 1. Per field, the write with the greater clock wins (`newerField`). Clocks are HLC stamps,
 *    compared as strings: wall time, then counter, then the writing device's id. Two different
 *    writes have equal stamps only if a device reused a stamp, which a clock never does; should
 *    it happen anyway, the value whose canonical JSON (keys sorted) is the greater string wins,
 *    only so that every device picks the same one.
 * 2. The deletion clock is the later of the two (`maxHlc`; null = never deleted).
 * 3. A record is live iff some field is newer than the deletion (`isLive`): a tombstone wins over
 *    every edit older than it (or stamped the same), an edit newer than the delete wins.
 * 4. Whole-record kinds (WHOLE_TYPES: msg, setting) keep nothing under a tombstone: fields not
 *    newer than the deletion are dropped, so a deleted message carries no content. (The plan
 *    said `h < del`; `h <= del` is used so a field stamped exactly with the delete, which rule 3
 *    already counts as deleted, is not kept as data either.) Other kinds keep their fields under
 *    the tombstone, so one field edited after the delete brings back the whole record.
 * 5. Different records never conflict: a set of records merges by id (`mergeInto`), a union.
 */

/** The kind of a document id `<type>:<record id>`; throws if the prefix is not a SyncType. */
export function syncTypeOf(id: DocId): SyncType {
  const i = id.indexOf(':');
  const t = i > 0 ? id.slice(0, i) : '';
  if (!(SYNC_TYPES as readonly string[]).includes(t) || i === id.length - 1) {
    throw new Error(`Not a sync document id: ${JSON.stringify(id)}`);
  }
  return t as SyncType;
}

export function isWhole(id: DocId): boolean {
  return WHOLE_TYPES.has(syncTypeOf(id));
}

/**
 * JSON with object keys sorted, so two equal values give one string whatever their key order
 * (the tie-break of rule 1 and `versionEquals` must not depend on insertion order). `undefined`
 * (a missing value) is the empty string, below every JSON text.
 */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]))
      : x,
  ) ?? '';
}

/** Rule 1: the write that wins between two writes of one field (`a` when they are the same write). */
export function newerField(a: FieldState, b: FieldState): FieldState {
  if (a.h !== b.h) return a.h > b.h ? a : b;
  return canonicalJson(b.v) > canonicalJson(a.v) ? b : a;
}

/** Rule 3: some field was written after the last deletion (no deletion: the record has a field). */
export function isLive(v: Version): boolean {
  const fields = Object.values(v.fields);
  return v.del === null ? fields.length > 0 : fields.some((f) => f.h > v.del!);
}

/** Rules 1, 2 and 4. Throws when a and b are not the same record. */
export function merge(a: Version, b: Version): Version {
  if (a.id !== b.id) throw new Error(`merge: different records ${JSON.stringify(a.id)} and ${JSON.stringify(b.id)}`);
  const whole = isWhole(a.id);
  const del = maxHlc(a.del, b.del);
  const fields = new Map<string, FieldState>();
  for (const [k, f] of Object.entries(a.fields)) fields.set(k, f);
  for (const [k, f] of Object.entries(b.fields)) {
    const mine = fields.get(k);
    fields.set(k, mine ? newerField(mine, f) : f);
  }
  const kept = [...fields].filter(([, f]) => !(whole && del !== null && f.h <= del));
  // fromEntries defines own properties, so even a field named "__proto__" stays a field.
  return { id: a.id, fields: Object.fromEntries(kept.map(([k, f]) => [k, { h: f.h, v: f.v }])), del };
}

/** Merges any number of states of one record (at least one). */
export function mergeAll(vs: readonly Version[]): Version {
  const [first, ...rest] = vs;
  if (!first) throw new Error('mergeAll: no versions');
  // Merging the first with itself normalises it (rule 4) even when it is the only one.
  return rest.reduce(merge, merge(first, first));
}

/** Rule 5: merges `v` into a map of records by id, in place; returns the map. */
export function mergeInto(map: Map<DocId, Version>, v: Version): Map<DocId, Version> {
  const mine = map.get(v.id);
  map.set(v.id, mine ? merge(mine, v) : mergeAll([v]));
  return map;
}

/** Same record, same deletion clock, same fields with the same clocks and (canonically) equal values. */
export function versionEquals(a: Version, b: Version): boolean {
  if (a.id !== b.id || a.del !== b.del) return false;
  const ka = Object.keys(a.fields);
  if (ka.length !== Object.keys(b.fields).length) return false;
  return ka.every((k) => {
    const fb = Object.hasOwn(b.fields, k) ? b.fields[k] : undefined;
    const fa = a.fields[k]!;
    return fb !== undefined && fa.h === fb.h && canonicalJson(fa.v) === canonicalJson(fb.v);
  });
}

/**
 * The record a version describes, whether or not it is live (callers check `isLive`): for
 * whole-record kinds the value of field `'*'` (undefined when there is none), else an object of
 * every field's value.
 */
export function recordOf(v: Version): unknown {
  if (isWhole(v.id)) return Object.hasOwn(v.fields, '*') ? v.fields['*']!.v : undefined;
  return Object.fromEntries(Object.entries(v.fields).map(([k, f]) => [k, f.v]));
}
