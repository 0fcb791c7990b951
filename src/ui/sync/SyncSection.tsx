import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { SyncConfig, SyncStatus } from '../../../workers/sync/api';
import { SYNC_CONFIG_KEY, SYNC_STATUS_KEY } from '../../core/sync/settings';
import { SyncPanel } from './SyncPanel';

const client = () => import('../sync-client').then((m) => m.syncClient());

/** Settings › Sync, wired to the app: the saved configuration and status rows, the outbox count, the sync worker. */
export function SyncSection() {
  const app = useApp();
  const config = createLiveQuery<SyncConfig | null>(async () => ((await app.db.settings.get(SYNC_CONFIG_KEY))?.value as SyncConfig | undefined) ?? null, null);
  const status = createLiveQuery<SyncStatus | null>(async () => ((await app.db.settings.get(SYNC_STATUS_KEY))?.value as SyncStatus | undefined) ?? null, null);
  const pending = createLiveQuery<number>(() => app.db.syncOutbox.count(), 0);
  return <SyncPanel client={client} config={config} status={status} pending={pending} />;
}
