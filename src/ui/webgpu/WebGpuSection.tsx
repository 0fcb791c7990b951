import { useApp } from '../app-context';
import { WebGpuPanel } from './WebGpuPanel';

/** The worker starts with the section, not with the app: web-llm itself loads only when a model is listed or loaded. */
const client = () => import('../webgpu-client').then((m) => m.webgpuClient());

function storageEstimate(): (() => Promise<{ usage?: number; quota?: number }>) | null {
  const s = typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManager | undefined);
  return s && typeof s.estimate === 'function' ? () => s.estimate() : null;
}

/** Settings › In-browser models, wired to the app: its database, its model list, the page's browser facts. */
export function WebGpuSection() {
  const app = useApp();
  return (
    <WebGpuPanel
      client={client}
      settings={app.db.settings}
      estimate={storageEstimate()}
      onModelsChanged={() => void app.models[1].refresh({ force: true })}
      userAgent={navigator.userAgent}
      secureContext={typeof isSecureContext === 'boolean' ? isSecureContext : undefined}
      appOrigin={location.origin}
    />
  );
}
