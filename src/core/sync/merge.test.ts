import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatHlc } from './hlc';
import { canonicalJson, isLive, merge, mergeAll, mergeInto, recordOf, syncTypeOf, versionEquals } from './merge';
import { WHOLE_TYPES, type DocId, type FieldState, type Hlc, type SyncType, type Version } from './types';

// ---------------------------------------------------------------------------------------------
// Literal examples: the rules as a reader would check them by hand. Stamps: wall ms 1000…, device
// 'a' or 'b'.
// ---------------------------------------------------------------------------------------------

const at = (wall: number, device = 'a', counter = 0): Hlc => formatHlc(wall, counter, device);
const f = (h: Hlc, v: unknown): FieldState => ({ h, v });
const ver = (id: DocId, fields: Record<string, FieldState>, del: Hlc | null = null): Version => ({ id, fields, del });

describe('merge, by example', () => {
  it('keeps both devices’ edits to different fields of a chat', () => {
    const a = ver('chat:1', { title: f(at(1000), 'Trip'), pinned: f(at(1000), false) });
    const b = ver('chat:1', { title: f(at(1000), 'Trip'), pinned: f(at(1200, 'b'), true) });
    expect(recordOf(merge(a, b))).toEqual({ title: 'Trip', pinned: true });
  });

  it('same field: the later clock wins; equal wall+counter: the greater device id', () => {
    const a = ver('chat:1', { title: f(at(1300, 'a'), 'A') });
    const b = ver('chat:1', { title: f(at(1200, 'b'), 'B') });
    expect(recordOf(merge(a, b))).toEqual({ title: 'A' });
    const c = ver('chat:1', { title: f(at(1300, 'b'), 'C') });
    expect(recordOf(merge(a, c))).toEqual({ title: 'C' });
    expect(recordOf(merge(c, a))).toEqual({ title: 'C' });
  });

  it('equal stamps (never made by a real clock): the greater canonical JSON wins, whatever the order', () => {
    const a = ver('setting:theme', { '*': f(at(5), { mode: 'dark' }) });
    const b = ver('setting:theme', { '*': f(at(5), { mode: 'light' }) });
    expect(merge(a, b)).toEqual(b);
    expect(merge(b, a)).toEqual(b);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('a delete wins over older edits and loses to a newer one (field-wise kinds keep their fields)', () => {
    const edited = ver('chat:1', { title: f(at(1000), 'Old'), pinned: f(at(1100), true) });
    const deleted = ver('chat:1', { title: f(at(1000), 'Old') }, at(1500, 'b'));
    const m = merge(edited, deleted);
    expect(isLive(m)).toBe(false);
    expect(m.del).toBe(at(1500, 'b'));
    expect(Object.keys(m.fields).sort()).toEqual(['pinned', 'title']);

    const renamedLater = ver('chat:1', { title: f(at(1600), 'New') });
    const back = merge(m, renamedLater);
    expect(isLive(back)).toBe(true);
    expect(recordOf(back)).toEqual({ title: 'New', pinned: true });
  });

  it('a deleted message carries no content, and an older copy does not bring it back', () => {
    const msg = ver('msg:m1', { '*': f(at(1000), { role: 'user', content: 'secret' }) });
    const tomb = ver('msg:m1', {}, at(2000));
    const m = merge(msg, tomb);
    expect(m).toEqual(ver('msg:m1', {}, at(2000)));
    expect(isLive(m)).toBe(false);
    expect(recordOf(m)).toBeUndefined();
    expect(merge(m, msg)).toEqual(m);
  });

  it('a field stamped exactly at the delete counts as deleted', () => {
    const m = merge(ver('msg:m1', { '*': f(at(7), 'x') }), ver('msg:m1', {}, at(7)));
    expect(isLive(m)).toBe(false);
    expect(m.fields).toEqual({});
    expect(isLive(ver('chat:1', { title: f(at(7), 'x') }, at(7)))).toBe(false);
  });

  it('liveness: no delete → live iff it has a field', () => {
    expect(isLive(ver('chat:1', {}))).toBe(false);
    expect(isLive(ver('chat:1', { title: f(at(1), 'x') }))).toBe(true);
  });

  it('refuses to merge different records, and unknown ids', () => {
    expect(() => merge(ver('chat:1', {}), ver('chat:2', {}))).toThrow(/different records/);
    expect(() => merge(ver('blob:1', {}), ver('blob:1', {}))).toThrow(/Not a sync document id/);
    expect(() => syncTypeOf('chat:')).toThrow();
    expect(() => syncTypeOf('chat')).toThrow();
    expect(syncTypeOf('setting:rag.topK')).toBe('setting');
    expect(() => mergeAll([])).toThrow(/no versions/);
  });

  it('versionEquals compares values canonically and clocks exactly', () => {
    const a = ver('chat:1', { p: f(at(1), { x: 1, y: 2 }) });
    expect(versionEquals(a, ver('chat:1', { p: f(at(1), { y: 2, x: 1 }) }))).toBe(true);
    expect(versionEquals(a, ver('chat:1', { p: f(at(2), { x: 1, y: 2 }) }))).toBe(false);
    expect(versionEquals(a, ver('chat:1', { p: f(at(1), { x: 1, y: 2 }) }, at(0)))).toBe(false);
    expect(versionEquals(a, ver('chat:1', { q: f(at(1), { x: 1, y: 2 }) }))).toBe(false);
    expect(versionEquals(a, ver('chat:1', { p: f(at(1), { x: 1, y: 2 }), q: f(at(1), 1) }))).toBe(false);
  });

  it('keeps a field named __proto__ as a field', () => {
    const a = ver('chat:1', JSON.parse('{"__proto__": {"h": "0000000000001-0000-a", "v": 1}}') as Record<string, FieldState>);
    const m = merge(a, ver('chat:1', { title: f(at(2), 't') }));
    expect(Object.keys(m.fields).sort()).toEqual(['__proto__', 'title']);
    expect(Object.getPrototypeOf(m.fields)).toBe(Object.prototype);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Clocks come from a pool of 12 stamps and values from a small pool, so equal stamps,
// equal values, ties and fields stamped at the delete all happen often.
// ---------------------------------------------------------------------------------------------

const POOL: Hlc[] = [1, 2, 3].flatMap((w) => [0, 1].flatMap((c) => ['a', 'b'].map((d) => formatHlc(w, c, d))));
const clock = fc.constantFrom(...POOL);
const value = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, 1, '', 'x', 'y', [], [1, 2]),
  fc.constantFrom<unknown>({ a: 1, b: 2 }, { b: 2, a: 1 }, { a: 2 }, { nested: { z: 1, y: [0] } }),
);
const IDS: DocId[] = ['chat:c1', 'folder:f1', 'prompt:p1', 'conn:k1', 'msg:m1', 'msg:m2', 'setting:theme'];
const FIELD_NAMES = ['title', 'pinned', 'folderId', 'tags', 'updatedAt'];

function versionOf(id: DocId): fc.Arbitrary<Version> {
  const type = syncTypeOf(id);
  const fields = WHOLE_TYPES.has(type)
    ? fc.option(fc.record({ h: clock, v: value }), { nil: undefined }).map((x): Record<string, FieldState> => (x ? { '*': x } : {}))
    : fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.record({ h: clock, v: value }), { maxKeys: FIELD_NAMES.length });
  return fc.record({ id: fc.constant(id), fields, del: fc.option(clock, { nil: null }) });
}

/** Two or three versions of one random record. */
const sameRecord = fc.constantFrom(...IDS).chain((id) => fc.tuple(versionOf(id), versionOf(id), versionOf(id)));
const anyVersion = fc.constantFrom(...IDS).chain(versionOf);

function same(x: Version, y: Version): void {
  expect(versionEquals(x, y), `${JSON.stringify(x)}\n≠ ${JSON.stringify(y)}`).toBe(true);
}

const RUNS = { numRuns: 500 };

describe('merge is a join-semilattice', () => {
  it('commutative', () => {
    fc.assert(fc.property(sameRecord, ([a, b]) => same(merge(a, b), merge(b, a))), RUNS);
  });

  it('associative', () => {
    fc.assert(fc.property(sameRecord, ([a, b, c]) => same(merge(merge(a, b), c), merge(a, merge(b, c)))), RUNS);
  });

  it('idempotent: merging a state with itself changes nothing (after the first normalisation)', () => {
    fc.assert(
      fc.property(anyVersion, (a) => {
        const n = mergeAll([a]);
        same(merge(a, a), n);
        same(merge(n, n), n);
        same(merge(n, a), n);
      }),
      RUNS,
    );
  });

  it('absorbs: merging in a state already merged changes nothing', () => {
    fc.assert(fc.property(sameRecord, ([a, b]) => same(merge(merge(a, b), b), merge(a, b))), RUNS);
  });

  it('every merged field is one of the inputs’ writes, and the delete is the later of the two', () => {
    fc.assert(
      fc.property(sameRecord, ([a, b]) => {
        const m = merge(a, b);
        for (const [k, fm] of Object.entries(m.fields)) {
          expect([a.fields[k], b.fields[k]]).toContainEqual(fm);
          for (const other of [a.fields[k], b.fields[k]]) if (other) expect(fm.h >= other.h).toBe(true);
        }
        expect(m.del).toBe([a.del, b.del].filter((d) => d !== null).sort().pop() ?? null);
      }),
      RUNS,
    );
  });
});

describe('merge semantics, for any states', () => {
  it('a tombstone wins over every edit older than it (or stamped with it)', () => {
    fc.assert(
      fc.property(anyVersion, clock, (a, d) => {
        const m = merge(a, ver(a.id, {}, d));
        const newer = Object.values(a.fields).some((x) => x.h > d && (a.del === null || x.h > a.del));
        expect(isLive(m)).toBe(newer);
      }),
      RUNS,
    );
  });

  it('an edit newer than the delete wins: the record is live with that value', () => {
    const later = formatHlc(9, 0, 'a');
    fc.assert(
      fc.property(sameRecord, value, ([a, b], v) => {
        const deleted = merge(a, b);
        const key = WHOLE_TYPES.has(syncTypeOf(a.id)) ? '*' : 'title';
        const m = merge(deleted, ver(a.id, { [key]: f(later, v) }));
        expect(isLive(m)).toBe(true);
        expect(canonicalJson(m.fields[key]!.v)).toBe(canonicalJson(v));
        // Field-wise kinds bring back every other field too.
        if (key !== '*') for (const k of Object.keys(deleted.fields)) expect(m.fields[k]).toBeDefined();
      }),
      RUNS,
    );
  });

  it('whole-record kinds: a merged tombstone carries no fields', () => {
    const whole = fc.constantFrom<DocId>('msg:m1', 'setting:theme').chain((id) => fc.tuple(versionOf(id), versionOf(id)));
    fc.assert(
      fc.property(whole, ([a, b]) => {
        const m = merge(a, b);
        if (!isLive(m)) expect(m.fields).toEqual({});
        if (m.del !== null) for (const x of Object.values(m.fields)) expect(x.h > m.del).toBe(true);
      }),
      RUNS,
    );
  });

  it('field-wise kinds: a tombstone keeps every field', () => {
    const fieldwise = fc.constantFrom<DocId>('chat:c1', 'folder:f1').chain((id) => fc.tuple(versionOf(id), versionOf(id)));
    fc.assert(
      fc.property(fieldwise, ([a, b]) => {
        const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)]);
        expect(new Set(Object.keys(merge(a, b).fields))).toEqual(keys);
      }),
      RUNS,
    );
  });
});

describe('sets of records (messages) merge as a union', () => {
  const batch = fc.array(anyVersion, { maxLength: 12 });

  function mapOf(vs: readonly Version[]): Map<DocId, Version> {
    return vs.reduce(mergeInto, new Map<DocId, Version>());
  }

  function sameMap(x: Map<DocId, Version>, y: Map<DocId, Version>): void {
    expect([...x.keys()].sort()).toEqual([...y.keys()].sort());
    for (const [id, v] of x) same(v, y.get(id)!);
  }

  it('merging in any order, or in two halves merged afterwards, yields the same map', () => {
    fc.assert(
      fc.property(
        batch.chain((vs) => fc.tuple(fc.constant(vs), fc.shuffledSubarray(vs, { minLength: vs.length, maxLength: vs.length }), fc.nat())),
        ([vs, shuffled, cut]) => {
          const whole = mapOf(vs);
          sameMap(whole, mapOf(shuffled));
          const i = vs.length ? cut % (vs.length + 1) : 0;
          const left = mapOf(vs.slice(0, i));
          const right = mapOf(vs.slice(i));
          sameMap(whole, [...right.values()].reduce(mergeInto, left));
        },
      ),
      RUNS,
    );
  });

  it('records with different ids never touch each other', () => {
    fc.assert(
      fc.property(batch, (vs) => {
        const m = mapOf(vs);
        expect(m.size).toBe(new Set(vs.map((v) => v.id)).size);
        for (const [id, v] of m) same(v, mergeAll(vs.filter((x) => x.id === id)));
      }),
      RUNS,
    );
  });
});

/** Which kinds the generators above cover; a new SyncType should be added to IDS. */
it('the property tests cover every sync type', () => {
  const covered = new Set<SyncType>(IDS.map(syncTypeOf));
  expect([...covered].sort()).toEqual(['chat', 'conn', 'folder', 'msg', 'prompt', 'setting']);
});
