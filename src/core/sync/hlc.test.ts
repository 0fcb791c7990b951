import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createClock, formatHlc, maxHlc, MAX_COUNTER, newDeviceId, parseHlc } from './hlc';
import { mulberry32 } from '../seeded-random';

/** A wall clock the test moves by hand. */
function manualTime(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => void (t = v) };
}

describe('formatHlc / parseHlc', () => {
  it('writes the fixed-width format and reads it back', () => {
    const h = formatHlc(1_700_000_000_123, 35, 'dev1');
    expect(h).toBe('1700000000123-000z-dev1');
    expect(parseHlc(h)).toEqual({ wall: 1_700_000_000_123, counter: 35, device: 'dev1' });
    expect(formatHlc(5, 0, 'a')).toBe('0000000000005-0000-a');
  });

  it('rejects malformed stamps', () => {
    for (const bad of [
      '',
      '1700000000123-0000-',
      '170000000012-0000-dev',
      '1700000000123-000-dev',
      '1700000000123-0000-DEV',
      '1700000000123-0000-de-v',
      '1700000000123_0000_dev',
      ' 1700000000123-0000-dev',
      '1700000000123-0000-dev\n',
      'x700000000123-0000-dev',
    ]) {
      expect(() => parseHlc(bad), bad).toThrow(/Malformed HLC/);
    }
    expect(() => parseHlc(42 as unknown as string)).toThrow(/Malformed HLC/);
  });

  it('refuses values that do not fit the format', () => {
    expect(() => formatHlc(-1, 0, 'a')).toThrow();
    expect(() => formatHlc(10_000_000_000_000, 0, 'a')).toThrow();
    expect(() => formatHlc(1, MAX_COUNTER + 1, 'a')).toThrow();
    expect(() => formatHlc(1, 0, '')).toThrow();
    expect(() => formatHlc(1, 0, 'a-b')).toThrow();
  });

  it('string order is (wall, counter, device) order', () => {
    const part = fc.record({
      wall: fc.integer({ min: 0, max: 9_999_999_999_999 }),
      counter: fc.integer({ min: 0, max: MAX_COUNTER }),
      device: fc.stringMatching(/^[0-9a-z]{1,12}$/),
    });
    fc.assert(
      fc.property(part, part, (a, b) => {
        const sa = formatHlc(a.wall, a.counter, a.device);
        const sb = formatHlc(b.wall, b.counter, b.device);
        const tuple = a.wall - b.wall || a.counter - b.counter || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);
        expect(Math.sign(sa < sb ? -1 : sa > sb ? 1 : 0)).toBe(Math.sign(tuple));
      }),
    );
  });

  it('maxHlc treats null as earliest', () => {
    const a = formatHlc(1, 0, 'a');
    const b = formatHlc(1, 0, 'b');
    expect(maxHlc(null, null)).toBeNull();
    expect(maxHlc(a, null)).toBe(a);
    expect(maxHlc(null, a)).toBe(a);
    expect(maxHlc(a, b)).toBe(b);
    expect(maxHlc(b, a)).toBe(b);
  });
});

describe('createClock', () => {
  it('stamps the wall clock with counter 0 when time moves forward', () => {
    const t = manualTime(1000);
    const c = createClock('dev', t.now);
    expect(c.now()).toBe('0000000001000-0000-dev');
    t.set(1005);
    expect(c.now()).toBe('0000000001005-0000-dev');
  });

  it('counts up within one millisecond and stays monotonic when the wall clock goes back', () => {
    const t = manualTime(2000);
    const c = createClock('dev', t.now);
    expect(c.now()).toBe('0000000002000-0000-dev');
    expect(c.now()).toBe('0000000002000-0001-dev');
    t.set(1500);
    expect(c.now()).toBe('0000000002000-0002-dev');
    t.set(2001);
    expect(c.now()).toBe('0000000002001-0000-dev');
  });

  it('moves to the next millisecond when the counter is full', () => {
    const c = createClock('dev', () => 7);
    let last = c.now();
    for (let i = 0; i < MAX_COUNTER; i++) last = c.now();
    expect(last).toBe(formatHlc(7, MAX_COUNTER, 'dev'));
    expect(c.now()).toBe('0000000000008-0000-dev');
    expect(c.now()).toBe('0000000000008-0001-dev');
  });

  it('is strictly increasing under any sequence of wall times, observations included', () => {
    const step = fc.oneof(
      fc.record({ wall: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ remote: fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'm', 'zz')) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const t = manualTime(0);
        const c = createClock('m', t.now);
        let prev = c.last();
        for (const s of steps) {
          if ('wall' in s) {
            t.set(s.wall);
            const h = c.now();
            expect(h > prev).toBe(true);
            expect(c.last()).toBe(h);
            prev = h;
          } else {
            const r = formatHlc(...s.remote);
            c.observe(r);
            expect(c.last() >= r).toBe(true);
            expect(c.last() >= prev).toBe(true);
            const next = c.now();
            expect(next > r && next > prev).toBe(true);
            prev = next;
          }
        }
      }),
    );
  });

  it('observe makes the next stamp greater than a remote one from the future', () => {
    const c = createClock('aaa', () => 1000);
    c.observe('0000000009000-0005-zzz');
    expect(c.last()).toBe('0000000009000-0005-zzz');
    expect(c.now()).toBe('0000000009000-0006-aaa');
  });

  it('observe beats a remote stamp with equal wall and counter but a greater device id', () => {
    const c = createClock('aaa', () => 1000);
    expect(c.now()).toBe('0000000001000-0000-aaa');
    c.observe('0000000001000-0000-zzz');
    expect(c.now()).toBe('0000000001000-0001-aaa');
  });

  it('observe ignores older stamps and rejects malformed ones', () => {
    const c = createClock('aaa', () => 1000);
    const h = c.now();
    c.observe('0000000000500-0009-zzz');
    expect(c.last()).toBe(h);
    expect(() => c.observe('soon')).toThrow(/Malformed/);
  });

  it('breaks ties between devices by device id', () => {
    const a = createClock('aaaa', () => 42).now();
    const b = createClock('bbbb', () => 42).now();
    expect(a < b).toBe(true);
    expect(maxHlc(a, b)).toBe(b);
  });

  it('refuses a device id that would break the format', () => {
    expect(() => createClock('Dev-1')).toThrow();
  });
});

describe('newDeviceId', () => {
  it('is 12 base-36 characters', () => {
    for (let i = 0; i < 20; i++) expect(newDeviceId()).toMatch(/^[0-9a-z]{12}$/);
    expect(newDeviceId()).not.toBe(newDeviceId());
  });

  it('takes a random source, and stays in range even if it returns 1', () => {
    expect(newDeviceId(mulberry32(1))).toBe(newDeviceId(mulberry32(1)));
    expect(newDeviceId(() => 0)).toBe('000000000000');
    expect(newDeviceId(() => 1)).toBe('zzzzzzzzzzzz');
  });
});
