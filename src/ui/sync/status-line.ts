import type { SyncStatus } from '../../../workers/sync/api';

/** "2 min ago" style, coarse on purpose: the status line is read at a glance. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The one line under Settings › Sync: what is happening, when it last worked, what waits, the last error. */
export function statusLine(status: SyncStatus | null, pending: number, now: number): string {
  const waiting = pending > 0 ? ` · ${plural(pending, 'change', 'changes')} waiting` : ' · nothing waiting';
  const last = status?.lastSyncAt != null ? `Last synced ${ago(now - status.lastSyncAt)}` : 'Not synced yet';
  if (!status) return `${last}${waiting}`;
  switch (status.state) {
    case 'syncing':
      return `Syncing…${waiting}`;
    case 'error':
      return `${status.error ?? 'Sync failed.'} ${last}${waiting}`;
    case 'off':
      return 'Sync is off.';
    default:
      return `${last}${waiting}`;
  }
}
