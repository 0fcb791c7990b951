/**
 * Settings rows sync keeps for itself (never synced: the allowlist in records.ts leaves every
 * 'sync.*' key out). Values are validated where they are read.
 */
/** `SyncConfig` (workers/sync/api.ts): server, database, credentials, includeKeys, live. */
export const SYNC_CONFIG_KEY = 'sync.config';
/** The AES-GCM CryptoKey (non-extractable, stored as IndexedDB stores keys), so a reload syncs without the passphrase. */
export const SYNC_KEY_KEY = 'sync.key';
/** `SyncStatus`, written by the syncing tab's worker, read by every tab's Settings › Sync. */
export const SYNC_STATUS_KEY = 'sync.status';
/** The last `_changes` sequence applied here, for the server in `sync.config` (also in the server's `_local/` doc). */
export const SYNC_CHECKPOINT_KEY = 'sync.checkpoint';
