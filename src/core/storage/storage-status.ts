/**
 * What Settings › Storage shows: whether the browser keeps Parley's data when space runs low
 * (persistent storage), and how much of the site's quota is used. The browser's
 * `navigator.storage` comes in as a port, so this is testable without a browser; `null` means
 * the page has none (an insecure context: plain http on a host other than localhost).
 */
export interface StoragePort {
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
  estimate(): Promise<{ usage?: number; quota?: number }>;
}

export interface StorageStatus {
  /** False where the page has no `navigator.storage`. */
  supported: boolean;
  persisted: boolean;
  /** Bytes, or null when the browser would not say. */
  usage: number | null;
  quota: number | null;
}

const UNSUPPORTED: StorageStatus = { supported: false, persisted: false, usage: null, quota: null };

/** Reads both at once; a browser refusing one (some do in private windows) leaves the other. */
export async function readStorageStatus(port: StoragePort | null): Promise<StorageStatus> {
  if (!port) return UNSUPPORTED;
  const [persisted, estimate] = await Promise.all([port.persisted().catch(() => false), port.estimate().catch(() => ({}) as { usage?: number; quota?: number })]);
  return { supported: true, persisted, usage: finite(estimate.usage), quota: finite(estimate.quota) };
}

/**
 * Asks for persistent storage, then reads the state back: what the page shows is what the
 * browser now holds, whatever `persist()` resolved to (some browsers resolve before deciding).
 */
export async function requestPersistence(port: StoragePort | null): Promise<StorageStatus> {
  if (port) await port.persist().catch(() => false);
  return readStorageStatus(port);
}

function finite(n: number | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary units as file managers show them: "0 bytes", "980 bytes", "12.4 MB", "250 GB". */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)} bytes`;
  // One decimal below 100 ("12.4 MB"), none above ("250 GB"); a value that rounds to 1024 is shown in the next unit.
  const shown = v < 99.95 ? v.toFixed(1) : String(Math.round(v));
  if (shown === '1024' && u < UNITS.length - 1) return `1.0 ${UNITS[u + 1]}`;
  return `${shown} ${UNITS[u]}`;
}

/** "12.4 MB of 2.1 GB used", or as much of it as the browser told. */
export function usageText(s: StorageStatus): string {
  if (!s.supported) return 'This browser does not say how much space Parley uses here.';
  if (s.usage === null) return 'The browser did not say how much space is used.';
  if (s.quota === null || s.quota === 0) return `${formatBytes(s.usage)} used`;
  return `${formatBytes(s.usage)} of ${formatBytes(s.quota)} used`;
}

/** Used share of the quota, 0–1, for a meter; null when unknown. */
export function usageRatio(s: StorageStatus): number | null {
  if (s.usage === null || s.quota === null || s.quota === 0) return null;
  return Math.min(1, s.usage / s.quota);
}
