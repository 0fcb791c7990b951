import { createSignal, For, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { Connection } from '../../core/storage/schema';
import { ConnectionForm } from './ConnectionForm';
import { ConnectionItem } from './ConnectionItem';
import { ConnectionsTransfer } from './ConnectionsTransfer';
import { DefaultParamsSection } from './DefaultParamsSection';
import { ModelSettingsSection } from './ModelSettingsSection';
import { AppearanceSection } from './AppearanceSection';
import { PromptsSection } from './PromptsSection';
import { DataSection } from './DataSection';
import { StorageSection } from './StorageSection';
import { TasksSection } from './TasksSection';
import { KnowledgeSettingsSection } from '../knowledge/KnowledgeSettingsSection';
import { WebGpuSection } from '../webgpu/WebGpuSection';
import { SyncSection } from '../sync/SyncSection';
import { Icon } from './Icon';

export function SettingsPanel(props: { onClose: () => void }) {
  const app = useApp();
  const connections = createLiveQuery<Connection[]>(() => app.db.connections.orderBy('createdAt').toArray(), []);
  const [adding, setAdding] = createSignal(false);

  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div class="modal" role="dialog" aria-modal="true" aria-label="Settings">
        <header class="modal-head">
          <h2>Settings</h2>
          <button class="icon-btn" aria-label="Close settings" onClick={props.onClose}><Icon name="close" /></button>
        </header>
        <section>
          <h3>Connections</h3>
          <p class="muted small">Model servers Parley talks to directly from this browser. Keys stay on this device.</p>
          <ul class="conn-list">
            <For each={connections()}>{(c) => <ConnectionItem connection={c} />}</For>
          </ul>
          <Show when={adding()} fallback={<button class="btn" data-testid="connection-add" onClick={() => setAdding(true)}>+ Add connection</button>}>
            <ConnectionForm onDone={() => setAdding(false)} />
          </Show>
          <ConnectionsTransfer />
        </section>
        <ModelSettingsSection />
        <DefaultParamsSection />
        <AppearanceSection />
        <PromptsSection />
        <TasksSection />
        <KnowledgeSettingsSection />
        <WebGpuSection />
        <SyncSection />
        <DataSection />
        <StorageSection />
      </div>
    </div>
  );
}
