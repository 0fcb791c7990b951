/**
 * The sync worker's contract (workers/sync.worker.ts). The page imports it with `import type`.
 * Errors cross as data in `SyncStatus.error`; `configure` rejects with a `SyncFailure` value.
 */

/** Where and how to sync: stored in the settings row `sync.config` (never synced itself). */
export interface SyncConfig {
  /** The server's base URL, e.g. `https://couch.example.net` (no database). */
  url: string;
  /** The database name (CouchDB rules: lowercase letter first). */
  db: string;
  username: string;
  password: string;
  /** Also sync connection API keys (encrypted like everything else). Off by default. */
  includeKeys: boolean;
  /** Keep syncing while the app is open (long-polling the server's changes). */
  live: boolean;
}

export type SyncState = 'off' | 'idle' | 'syncing' | 'ok' | 'error';

/** What the Settings › Sync status line shows; the worker keeps it in the settings row `sync.status` so every tab sees it. */
export interface SyncStatus {
  state: SyncState;
  /** When the last full round (push + pull) ended without error, ms. */
  lastSyncAt: number | null;
  /** When this status was written, ms. */
  at: number;
  /** The last error, in words a user can act on; null after a clean round. */
  error: string | null;
  /** `SyncError.kind` (or 'passphrase'), for tests and for choosing what to offer. */
  errorKind: string | null;
  /** Records sent and received in the last round. */
  pushed: number;
  pulled: number;
}

export interface SyncFailure {
  kind: string;
  message: string;
}

export interface SyncWorkerApi {
  /**
   * Checks the server and the passphrase and saves the configuration: on an empty database it
   * creates the key's salt (the meta document); on one in use it must open it (a wrong passphrase
   * rejects with kind 'passphrase' and nothing is written, here or there). Then syncs once.
   */
  configure(config: SyncConfig, passphrase: string): Promise<SyncStatus>;
  /** One round now (push, then pull). Waits for the tab that holds the sync lock if another does. */
  syncNow(): Promise<SyncStatus>;
  setLive(live: boolean): Promise<void>;
  /** Forgets the server, the credentials and the key. Local data stays as it is. */
  turnOff(): Promise<void>;
  /** At app start: resumes sync if it is configured (live if so set). */
  start(): Promise<void>;
}
