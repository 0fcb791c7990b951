import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable, DBCoreTransaction, Dexie, Middleware, Transaction } from 'dexie';
import { createClock, newDeviceId, type HlcClock } from './hlc';
import { changedFields, docId, keyOf, syncsKey, syncsRecord, TYPE_OF_TABLE, blankState } from './records';
import { WHOLE_TYPES, type DocId, type OutboxRow, type SyncStateRow, type SyncType } from './types';

/**
 * The outbox (issue 9): a Dexie DBCore middleware, installed in ParleyDb's constructor, so every
 * context that opens the database (page, engine, data, search, knowledge and WebGPU workers)
 * records what its writes changed, in the same IndexedDB transaction as the write. A write that
 * never commits leaves no trace, and a committed one is never missed.
 *
 * For each put/add/delete/deleteRange on a synced table (records.ts: settings on the allowlist,
 * connections other than In-browser) it reads the old rows, stamps the fields whose value
 * changed with an HLC (whole kinds, msg/setting: field '*'), a delete with `del` (whole kinds
 * also drop their clocks), writes the record's `syncState` row and puts `{id, at}` in
 * `syncOutbox`. A write that changes nothing records nothing.
 *
 * The device id is kept in `syncState` under the reserved id 'parley:device' (not a document id:
 * 'parley' is no SyncType), created by the first write that needs it, inside that write's
 * transaction. Not in `settings`: a backup exports every setting, and a backup restored on
 * another browser must not make it the same device.
 *
 * Not recorded: writes in a transaction marked with `markSyncApply` (apply.ts writes what came
 * from the server and keeps syncState/syncOutbox itself), and writes of a schema upgrade (they
 * convert local data; the version change transaction is not one this middleware opened).
 */

/** The `syncState` row holding this browser's sync device id (12 characters of [0-9a-z]). */
export const DEVICE_ROW_ID = 'parley:device';
/** That row: shaped as a SyncStateRow too, so code reading every row of the table never trips on it. */
export interface DeviceRow extends SyncStateRow {
  id: typeof DEVICE_ROW_ID;
  device: string;
}
const DEVICE_RE = /^[0-9a-z]{1,64}$/;
/** Tables the middleware writes beside a synced one. */
const BOOKKEEPING = ['syncState', 'syncOutbox'];

/** Marks the IDB transaction itself, which every write of the Dexie transaction (and its nested ones) carries down as `req.trans`. */
const SYNC_APPLY = Symbol('parley.syncApply');

/**
 * Marks `tx` as sync's own apply step: its writes are not stamped nor put in the outbox. Call it
 * inside the transaction before the first write (`markSyncApply(Dexie.currentTransaction!)`).
 */
export function markSyncApply(tx: Transaction): void {
  Object.defineProperty(tx.idbtrans, SYNC_APPLY, { value: true });
}

function isSyncApply(trans: DBCoreTransaction): boolean {
  return (trans as unknown as Record<symbol, unknown>)[SYNC_APPLY] === true;
}

export interface OutboxOptions {
  /** Wall clock ms, for the HLC and `OutboxRow.at` (a port for tests). */
  now?: () => number;
}

type Change = { fields: string[] } | { deleted: true };

export function outboxMiddleware(opts: OutboxOptions = {}): Middleware<DBCore> {
  const now = opts.now ?? Date.now;
  return {
    stack: 'dbcore',
    name: 'SyncOutbox',
    create(down) {
      /** This context's clock, made once the device id is read (the first recorded write). */
      let clock: HlcClock | undefined;
      /** Transactions this middleware widened to the bookkeeping tables (only those record). */
      const widened = new WeakSet<object>();

      async function clockIn(trans: DBCoreTransaction): Promise<HlcClock> {
        if (clock) return clock;
        const state = down.table('syncState');
        const row = (await state.get({ trans, key: DEVICE_ROW_ID })) as Partial<DeviceRow> | undefined;
        let device = typeof row?.device === 'string' && DEVICE_RE.test(row.device) ? row.device : undefined;
        if (device === undefined) {
          // Kept for this write only: if its transaction aborts the row is gone, and the next write makes it again.
          const created = newDeviceId();
          await state.mutate({ trans, type: 'put', values: [deviceRow(created)] });
          return createClock(created, now);
        }
        clock ??= createClock(device, now);
        return clock;
      }

      /** Stamps `changes` and queues them, in `trans`. */
      async function record(trans: DBCoreTransaction, type: SyncType, changes: Map<DocId, Change>): Promise<void> {
        const c = await clockIn(trans);
        const ids = [...changes.keys()];
        const stateTable = down.table('syncState');
        const states = ((await stateTable.getMany({ trans, keys: ids })) as Array<SyncStateRow | undefined>).map((s, i) => s ?? blankState(ids[i]!));
        // Another tab or worker may have stamped these records: the new stamp must be later.
        for (const s of states) {
          for (const h of Object.values(s.clocks)) c.observe(h);
          if (s.del !== null) c.observe(s.del);
        }
        const h = c.now();
        const whole = WHOLE_TYPES.has(type);
        const rows = states.map((s): SyncStateRow => {
          const change = changes.get(s.id)!;
          if ('deleted' in change) return { ...s, clocks: whole ? {} : s.clocks, del: h };
          const clocks = whole ? {} : { ...s.clocks };
          for (const f of change.fields) clocks[f] = h;
          return { ...s, clocks };
        });
        const at = now();
        await stateTable.mutate({ trans, type: 'put', values: rows });
        await down.table('syncOutbox').mutate({ trans, type: 'put', values: ids.map((id): OutboxRow => ({ id, at })) });
      }

      async function mutateAndRecord(table: DBCoreTable, type: SyncType, req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
        const { trans } = req;
        const pk = table.schema.primaryKey;
        let keys: unknown[];
        let before: Array<object | undefined>;
        if (req.type === 'deleteRange') {
          // Connections are filtered by kind, so their rows are read; other kinds need keys only.
          const withValues = type === 'conn';
          const found = await table.query({ trans, query: { index: pk, range: req.range }, values: withValues });
          keys = withValues ? found.result.map((r: object) => keyOf(type, r)) : found.result;
          before = withValues ? found.result : keys.map(() => undefined);
        } else {
          keys = req.type === 'delete' ? req.keys : (req.keys ?? req.values.map((v) => pk.extractKey?.(v)));
          // A row without a valid key fails below anyway; nothing to record.
          if (keys.some((k) => k === undefined || k === null)) return table.mutate(req);
          before = (await table.getMany({ trans, keys })) as Array<object | undefined>;
        }
        const res = await table.mutate(req);
        const changes = new Map<DocId, Change>();
        keys.forEach((key, i) => {
          if (res.failures[i] !== undefined || typeof key !== 'string') return;
          const id = docId(type, key);
          const old = before[i];
          if (req.type === 'put' || req.type === 'add') {
            const value = req.values[i] as object;
            if (!syncsRecord(type, value)) return;
            const fields = changedFields(type, old, value);
            const prev = changes.get(id);
            const merged = prev && 'fields' in prev ? [...new Set([...prev.fields, ...fields])] : fields;
            if (merged.length > 0) changes.set(id, { fields: merged });
          } else if (req.type === 'deleteRange' && type !== 'conn') {
            if (syncsKey(type, key)) changes.set(id, { deleted: true });
          } else if (old !== undefined && syncsRecord(type, old)) {
            changes.set(id, { deleted: true });
          }
        });
        if (changes.size > 0) await record(trans, type, changes);
        return res;
      }

      return {
        ...down,
        transaction(stores, mode, options) {
          if (mode !== 'readwrite' || !stores.some((s) => TYPE_OF_TABLE.has(s))) return down.transaction(stores, mode, options);
          const trans = down.transaction([...new Set([...stores, ...BOOKKEEPING])], mode, options);
          widened.add(trans);
          return trans;
        },
        table(name) {
          const table = down.table(name);
          const type = TYPE_OF_TABLE.get(name);
          if (type === undefined) return table;
          return {
            ...table,
            mutate: (req) => (widened.has(req.trans) && !isSyncApply(req.trans) ? mutateAndRecord(table, type, req) : table.mutate(req)),
          };
        },
      };
    },
  };
}

/**
 * This browser's sync device id, created if no write has needed it yet (the sync worker names
 * its `_local/` checkpoint after it).
 */
export async function ensureDeviceId(db: Dexie): Promise<string> {
  const state = db.table<SyncStateRow, string>('syncState');
  return db.transaction('rw', state, async () => {
    const row = (await state.get(DEVICE_ROW_ID)) as Partial<DeviceRow> | undefined;
    if (typeof row?.device === 'string' && DEVICE_RE.test(row.device)) return row.device;
    const device = newDeviceId();
    await state.put(deviceRow(device));
    return device;
  });
}

function deviceRow(device: string): DeviceRow {
  return { id: DEVICE_ROW_ID, clocks: {}, del: null, rev: null, device };
}
