/**
 * The sidebar's time headings, as Open WebUI and ChatGPT show them: Today, Yesterday,
 * Previous 7 days, Previous 30 days, then one heading per month ("October" in the current
 * year, "October 2025" before it). Days are calendar days in the user's local time, found with
 * `new Date(y, m, d - k)` rather than by subtracting 24 h, so a DST change never moves a chat
 * into the wrong day.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface TimeGroup {
  /** Stable across renders: `today`, `yesterday`, `7d`, `30d`, or `2025-09` (month 0-based is never shown). */
  key: string;
  label: string;
}

const TODAY: TimeGroup = { key: 'today', label: 'Today' };
const YESTERDAY: TimeGroup = { key: 'yesterday', label: 'Yesterday' };
const WEEK: TimeGroup = { key: '7d', label: 'Previous 7 days' };
const MONTH: TimeGroup = { key: '30d', label: 'Previous 30 days' };

/**
 * A function placing a timestamp (ms) in its group, relative to `now`. The boundaries are
 * computed once, so placing 10,000 chats costs a few comparisons each (a Date only for chats
 * older than 30 days). A time in the future (another device's clock) counts as today.
 */
export function createTimeGrouper(now: number): (t: number) => TimeGroup {
  const d = new Date(now);
  const day = (k: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() - k).getTime();
  const [today, yesterday, week, month] = [day(0), day(1), day(7), day(30)];
  const year = d.getFullYear();
  const months = new Map<string, TimeGroup>();
  return (t) => {
    if (t >= today) return TODAY;
    if (t >= yesterday) return YESTERDAY;
    if (t >= week) return WEEK;
    if (t >= month) return MONTH;
    const at = new Date(t);
    const key = `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}`;
    let g = months.get(key);
    if (!g) {
      const name = MONTHS[at.getMonth()]!;
      g = { key, label: at.getFullYear() === year ? name : `${name} ${at.getFullYear()}` };
      months.set(key, g);
    }
    return g;
  };
}
