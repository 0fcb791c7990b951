import type { Table } from 'dexie';
import type { ParleyDb } from '../storage/db';
import { nodeOf } from '../storage/message-node';
import type { Message } from '../storage/schema';
import { isLive, merge, versionEquals } from './merge';
import { markSyncApply } from './outbox';
import { parseRecord, type SyncRecord } from './record-parse';
import { blankState, parseDocId, PRIVATE_CONN_FIELDS, privateField, recordToVersion, sameValue, syncsKey, syncsRecord, TABLE_OF } from './records';
import { SYNC_TYPES, type DocId, type SyncStateRow, type SyncType, type Version } from './types';

/**
 * Applying what came from the server (issue 9), in ONE transaction: for each document the local
 * version (record + syncState) is merged with the remote one, and the merge is written back —
 * the record (a message also its node; a deleted message also its node and images), its
 * clocks and the server revision. The transaction is marked as sync's own (`markSyncApply`), so
 * the outbox middleware stamps nothing: the outbox is decided here. When what this device now
 * holds adds nothing to the remote version, the server has everything and the record leaves the
 * outbox; otherwise this device has newer fields and the record is queued (`needsPush`).
 *
 * A remote record that is not valid (zod), not synced (a setting off the allowlist, an In-browser
 * connection) or that cannot be stored (a prompt command another prompt here uses) is skipped
 * and reported, never written. Any failure while writing aborts the transaction: nothing of the
 * batch is kept, and the caller pulls it again.
 */

export interface ApplyItem {
  version: Version;
  /** The document's `_rev` on the server (null if unknown). */
  rev: string | null;
}

export interface ApplyResult {
  /** Documents merged and stored. */
  applied: number;
  skipped: Array<{ id: DocId; reason: string }>;
  /** Documents whose merge holds more than the server has: push them (they are in the outbox). */
  needsPush: DocId[];
}

export interface SyncOptions {
  /** Whether connections' API keys sync (the user opted in). Without, a connection keeps its local key. */
  includeKeys: boolean;
}

function tableOf(db: ParleyDb, type: SyncType): Table<SyncRecord, string> {
  return db.table(TABLE_OF[type]);
}

/** The remote version without what this device does not take: a connection's key and headers unless keys sync. */
function acceptable(type: SyncType, v: Version, opts: SyncOptions): Version {
  if (!Object.keys(v.fields).some((f) => privateField(type, f, opts.includeKeys))) return v;
  return { ...v, fields: Object.fromEntries(Object.entries(v.fields).filter(([f]) => !privateField(type, f, opts.includeKeys))) };
}

/** Clocks of a merged version; a connection keeps the local key's and headers' clocks when keys do not sync. */
function clocksOf(type: SyncType, merged: Version, state: SyncStateRow, opts: SyncOptions): Record<string, string> {
  const clocks = Object.fromEntries(Object.entries(merged.fields).map(([k, f]) => [k, f.h]));
  for (const f of PRIVATE_CONN_FIELDS) if (privateField(type, f, opts.includeKeys) && state.clocks[f] !== undefined) clocks[f] = state.clocks[f];
  return clocks;
}

interface Planned {
  id: DocId;
  type: SyncType;
  key: string;
  remote: Version;
  merged: Version;
  local: SyncRecord | undefined;
  /** The record to store, or null to delete it. */
  next: SyncRecord | null;
  state: SyncStateRow;
}

export async function applyRemote(db: ParleyDb, items: readonly ApplyItem[], opts: SyncOptions): Promise<ApplyResult> {
  const result: ApplyResult = { applied: 0, skipped: [], needsPush: [] };
  // One entry per document: two versions of one document in a batch merge first.
  const byId = new Map<DocId, ApplyItem>();
  for (const item of items) {
    const id = item.version.id;
    const seen = byId.get(id);
    byId.set(id, seen ? { version: merge(seen.version, item.version), rev: item.rev ?? seen.rev } : item);
  }
  const tables = [...SYNC_TYPES.map((t) => tableOf(db, t)), db.nodes, db.blobs, db.syncState, db.syncOutbox];
  return db.transaction('rw', tables, async (tx) => {
    markSyncApply(tx);
    const ids = [...byId.keys()];
    const states = await db.syncState.bulkGet(ids);
    const plans: Planned[] = [];
    for (const [i, id] of ids.entries()) {
      const parsed = parseDocId(id);
      if (!parsed) {
        result.skipped.push({ id, reason: 'not a sync document id' });
        continue;
      }
      if (!syncsKey(parsed.type, parsed.id)) {
        result.skipped.push({ id, reason: 'this setting does not sync' });
        continue;
      }
      plans.push({ id, type: parsed.type, key: parsed.id, remote: byId.get(id)!.version, merged: byId.get(id)!.version, local: undefined, next: null, state: states[i] ?? blankState(id) });
    }
    // Local records, one bulkGet per table.
    for (const type of SYNC_TYPES) {
      const ofType = plans.filter((p) => p.type === type);
      if (ofType.length === 0) continue;
      const locals = await tableOf(db, type).bulkGet(ofType.map((p) => p.key));
      ofType.forEach((p, i) => (p.local = locals[i]));
    }
    const kept: Planned[] = [];
    for (const p of plans) {
      const reason = plan(p, opts);
      if (reason === null) kept.push(p);
      else result.skipped.push({ id: p.id, reason });
    }
    const free = await freeCommands(db, kept);
    const writable = kept.filter((p) => {
      const reason = free(p);
      if (reason !== null) result.skipped.push({ id: p.id, reason });
      return reason === null;
    });
    await write(db, writable);
    const states2 = writable.map((p): SyncStateRow => ({ id: p.id, clocks: clocksOf(p.type, p.merged, p.state, opts), del: p.merged.del, rev: byId.get(p.id)!.rev ?? p.state.rev }));
    await db.syncState.bulkPut(states2);
    // What this device would push now, against what the server has: pushing is needed only when
    // it adds something (a deleted record keeps no values here, so its tombstone adds nothing
    // to one the server already has).
    const ahead = new Set(
      writable.filter((p, i) => !versionEquals(merge(p.remote, recordToVersion(p.type, p.next ?? undefined, states2[i]!, opts)), p.remote)).map((p) => p.id),
    );
    const done = writable.filter((p) => !ahead.has(p.id)).map((p) => p.id);
    const now = Date.now();
    await db.syncOutbox.bulkDelete(done);
    await db.syncOutbox.bulkPut([...ahead].map((id) => ({ id, at: now })));
    result.applied = writable.length;
    result.needsPush = [...ahead];
    return result;
  });
}

/** Merges one document and decides what to store; returns why it is skipped, or null. */
function plan(p: Planned, opts: SyncOptions): string | null {
  p.remote = acceptable(p.type, p.remote, opts);
  if (p.local !== undefined && !syncsRecord(p.type, p.local)) return 'the local record does not sync';
  const local = recordToVersion(p.type, p.local, p.state, opts);
  try {
    p.merged = merge(local, p.remote);
  } catch (e) {
    return `cannot merge: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!isLive(p.merged)) {
    p.next = null;
    return null;
  }
  const parsed = parseRecord(p.type, p.merged);
  if (!parsed.ok) return parsed.reason;
  let next: SyncRecord = parsed.record;
  if (!syncsRecord(p.type, next)) return 'this record does not sync';
  if (p.type === 'conn' && !opts.includeKeys) {
    const local = p.local as { key?: string; headers?: Record<string, string> } | undefined;
    next = { ...next, key: local?.key ?? '', headers: local?.headers ?? {} } as SyncRecord;
  }
  p.next = next;
  return null;
}

/**
 * Prompts' commands are unique (`&command`): a remote prompt whose command another prompt here
 * (or earlier in the batch) holds is skipped, so one clash does not abort the whole batch.
 */
async function freeCommands(db: ParleyDb, plans: readonly Planned[]): Promise<(p: Planned) => string | null> {
  const incoming = plans.filter((p) => p.type === 'prompt' && p.next !== null);
  if (incoming.length === 0) return () => null;
  const deleted = new Set(plans.filter((p) => p.type === 'prompt' && p.next === null).map((p) => p.key));
  const owner = new Map<string, string>();
  const commands = incoming.map((p) => (p.next as { command: string }).command);
  for (const row of await db.prompts.where('command').anyOf(commands).toArray()) {
    if (!deleted.has(row.id) && !incoming.some((p) => p.key === row.id)) owner.set(row.command, row.id);
  }
  return (p) => {
    if (p.type !== 'prompt' || p.next === null) return null;
    const command = (p.next as { command: string }).command;
    const holder = owner.get(command);
    if (holder !== undefined && holder !== p.key) return `the command /${command} is used by another prompt here`;
    owner.set(command, p.key);
    return null;
  };
}

/** Stores the planned records and deletes the deleted ones (messages: with their nodes and images). */
async function write(db: ParleyDb, plans: readonly Planned[]): Promise<void> {
  for (const type of SYNC_TYPES) {
    const ofType = plans.filter((p) => p.type === type);
    const puts = ofType.filter((p) => p.next !== null && !sameValue(p.next, p.local)).map((p) => p.next!);
    const dels = ofType.filter((p) => p.next === null && p.local !== undefined);
    if (dels.length > 0) await tableOf(db, type).bulkDelete(dels.map((p) => p.key));
    if (puts.length > 0) await tableOf(db, type).bulkPut(puts);
    if (type !== 'msg') continue;
    const gone = dels.map((p) => p.local as Message);
    // A message that moved chats (never done by Parley, but a record may say so) leaves its old node.
    const moved = ofType.filter((p) => p.next !== null && p.local !== undefined && (p.local as Message).chatId !== (p.next as Message).chatId);
    const staleNodes = [...gone, ...moved.map((p) => p.local as Message)].map((m): [string, string] => [m.chatId, m.id]);
    if (staleNodes.length > 0) await db.nodes.bulkDelete(staleNodes);
    if (puts.length > 0) await db.nodes.bulkPut((puts as Message[]).map(nodeOf));
    if (gone.length > 0) await db.blobs.where('messageId').anyOf(gone.map((m) => m.id)).delete();
  }
}

/** This device's version of each document, and the server revision it knows (null for an id that is not a sync document). */
export async function localVersions(db: ParleyDb, ids: readonly DocId[], opts: SyncOptions): Promise<Array<ApplyItem | null>> {
  const tables = [...SYNC_TYPES.map((t) => tableOf(db, t)), db.syncState];
  return db.transaction('r', tables, async () => {
    const states = await db.syncState.bulkGet([...ids]);
    return Promise.all(
      ids.map(async (id, i) => {
        const parsed = parseDocId(id);
        if (!parsed) return null;
        const state = states[i] ?? blankState(id);
        const record = await tableOf(db, parsed.type).get(parsed.id);
        const live = record !== undefined && syncsRecord(parsed.type, record) ? record : undefined;
        return { version: recordToVersion(parsed.type, live, state, opts), rev: state.rev };
      }),
    );
  });
}

/** One document's local version (see `localVersions`). */
export async function localVersion(db: ParleyDb, id: DocId, opts: SyncOptions): Promise<ApplyItem | null> {
  return (await localVersions(db, [id], opts))[0] ?? null;
}

/**
 * After a push: each document's new server revision is stored, and it leaves the outbox unless
 * it changed here since the pushed version was read (then it stays queued for the next push).
 */
export async function markPushed(db: ParleyDb, pushed: ReadonlyArray<{ version: Version; rev: string }>, opts: SyncOptions): Promise<void> {
  const tables = [...SYNC_TYPES.map((t) => tableOf(db, t)), db.syncState, db.syncOutbox];
  await db.transaction('rw', tables, async () => {
    const now = await localVersions(db, pushed.map((p) => p.version.id), opts);
    const states = await db.syncState.bulkGet(pushed.map((p) => p.version.id));
    await db.syncState.bulkPut(pushed.map((p, i) => ({ ...(states[i] ?? blankState(p.version.id)), rev: p.rev })));
    const unchanged = pushed.filter((p, i) => now[i] !== null && versionEquals(now[i]!.version, p.version)).map((p) => p.version.id);
    await db.syncOutbox.bulkDelete(unchanged);
  });
}
