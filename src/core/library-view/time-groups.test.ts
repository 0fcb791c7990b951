import { describe, expect, it } from 'vitest';
import { createTimeGrouper } from './time-groups';

// Local-time dates, so the test means the same in any time zone the machine is in.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

describe('createTimeGrouper', () => {
  const group = createTimeGrouper(at(2026, 11, 22, 9, 30));
  const label = (t: number) => group(t).label;

  it('places today, yesterday, the previous 7 and 30 days by calendar day', () => {
    expect(label(at(2026, 11, 22, 0, 0))).toBe('Today');
    expect(label(at(2026, 11, 22, 23, 59))).toBe('Today');
    expect(label(at(2026, 11, 21, 23, 59))).toBe('Yesterday');
    expect(label(at(2026, 11, 21, 0, 0))).toBe('Yesterday');
    expect(label(at(2026, 11, 20, 23, 0))).toBe('Previous 7 days');
    expect(label(at(2026, 11, 15, 0, 0))).toBe('Previous 7 days');
    expect(label(at(2026, 11, 14, 23, 59))).toBe('Previous 30 days');
    expect(label(at(2026, 10, 23, 0, 0))).toBe('Previous 30 days');
  });

  it('names older months, with the year only when it is not this year', () => {
    expect(label(at(2026, 10, 22, 23, 0))).toBe('October');
    expect(label(at(2026, 1, 1, 0, 0))).toBe('January');
    expect(label(at(2025, 12, 31, 23, 59))).toBe('December 2025');
    expect(group(at(2025, 12, 31)).key).toBe('2025-12');
    expect(group(at(2026, 1, 1)).key).toBe('2026-01');
  });

  it('counts a time ahead of the clock as today', () => {
    expect(label(at(2027, 1, 1))).toBe('Today');
  });

  it('crosses a year boundary: on 2 January, 31 December is "Previous 7 days" and November is "November 2026"', () => {
    const g = createTimeGrouper(at(2027, 1, 2, 8));
    expect(g(at(2027, 1, 1, 20)).label).toBe('Yesterday');
    expect(g(at(2026, 12, 31, 20)).label).toBe('Previous 7 days');
    expect(g(at(2026, 12, 3)).label).toBe('Previous 30 days');
    expect(g(at(2026, 11, 30)).label).toBe('November 2026');
  });

  it('uses calendar days across a DST change (a 23 h or 25 h day never shifts a chat)', () => {
    // Whatever the zone, "yesterday" starts at local midnight of the previous calendar day.
    for (const now of [at(2026, 3, 30, 0, 30), at(2026, 10, 26, 0, 30), at(2026, 3, 9, 0, 30), at(2026, 11, 2, 0, 30)]) {
      const d = new Date(now);
      const g = createTimeGrouper(now);
      const midnightYesterday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - 1).getTime();
      expect(g(midnightYesterday).label).toBe('Yesterday');
      expect(g(midnightYesterday - 1).label).toBe('Previous 7 days');
      expect(g(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()).label).toBe('Today');
    }
  });

  it('gives one object per group, so headings can be compared by key', () => {
    expect(group(at(2026, 9, 1))).toBe(group(at(2026, 9, 30)));
  });
});
