import { createMemo, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { explainNoWebGpu } from '../../core/webgpu/explain-no-webgpu';
import type { WebGpuClient } from '../webgpu-client';
import { createWebGpuModels } from './create-webgpu-models';
import { FolderImport } from './FolderImport';
import { adapterLine, storageLine } from './format';
import { ModelCatalog } from './ModelCatalog';
import { ModelSourceForm, type SettingsStore } from './ModelSourceForm';
import './webgpu.css';

export interface WebGpuPanelProps {
  /** Starts (or returns) the in-browser model worker's client; tests pass a fake. */
  client: () => Promise<WebGpuClient>;
  /** The settings table (model source). */
  settings: SettingsStore;
  /** navigator.storage.estimate, or null where the page has none. */
  estimate: (() => Promise<{ usage?: number; quota?: number }>) | null;
  /** Downloaded, deleted or imported models: the app's model picker asks again. */
  onModelsChanged: () => void;
  /** For the per-browser "how to get WebGPU" advice. */
  userAgent: string;
  secureContext?: boolean;
  appOrigin?: string;
}

/**
 * Settings › In-browser models: what the GPU offers, the catalog with downloads, downloaded
 * models and their space, a folder import and the model source for machines without internet.
 * Without WebGPU it only says why and what to do in this browser.
 */
export function WebGpuPanel(props: WebGpuPanelProps) {
  const models = createWebGpuModels({ client: props.client, estimate: props.estimate, onModelsChanged: () => props.onModelsChanged() });
  const [state, act] = models;
  onMount(() => void act.start());
  onCleanup(act.close);

  const modelBytes = createMemo(() => {
    const list = [...state.cached().values()];
    return list.some((m) => m.bytes !== undefined) ? list.reduce((n, m) => n + (m.bytes ?? 0), 0) : null;
  });
  const downloaded = () => state.cached().size;
  type Status = ReturnType<typeof state.status>;
  const only = <K extends Status['kind']>(kind: K) =>
    createMemo(() => {
      const s = state.status();
      return s.kind === kind ? (s as Extract<Status, { kind: K }>) : null;
    });
  const failed = only('failed');
  const unavailable = only('unavailable');
  const ready = only('ready');

  return (
    <section class="webgpu-section" data-testid="webgpu-section">
      <h3>In-browser models</h3>
      <p class="muted small">
        Chat models that run on this device’s graphics card (WebGPU, with web-llm). After the download, nothing you type leaves the device.
      </p>
      <Switch>
        <Match when={state.status().kind === 'starting'}>
          <p class="muted small">Checking WebGPU…</p>
        </Match>
        <Match when={failed()}>
          {(s) => (
            <div role="alert" data-testid="webgpu-failed">
              <p class="small error">The in-browser model engine could not start: {s().error.message}</p>
              <Show when={s().error.detail}>{(d) => <p class="small muted">{d()}</p>}</Show>
            </div>
          )}
        </Match>
        <Match when={unavailable()}>
          {(s) => {
            const why = () => explainNoWebGpu(s().caps.reason, props.userAgent, props.secureContext === undefined ? {} : { secureContext: props.secureContext });
            return (
              <div class="webgpu-unavailable" role="status" data-testid="webgpu-unavailable" data-reason={s().caps.reason ?? ''}>
                <p class="small">{why().message}</p>
                <Show when={why().detail}>{(d) => <p class="small muted">{d()}</p>}</Show>
              </div>
            );
          }}
        </Match>
        <Match when={ready()}>
          {(s) => {
            return (
              <>
                <p class="small webgpu-line" data-testid="webgpu-adapter">{adapterLine(s().caps)}</p>
                <div class="row">
                  <span class="small" data-testid="webgpu-storage">
                    {storageLine(state.estimate(), modelBytes())}
                    {downloaded() > 0 ? ` (${downloaded()} ${downloaded() === 1 ? 'model' : 'models'})` : ''}
                  </span>
                  <button type="button" class="btn small" data-testid="webgpu-refresh" onClick={() => void act.refresh()}>Refresh</button>
                </div>
                <Show when={state.listError()}>
                  {(e) => (
                    <p class="small error webgpu-line" role="alert" data-testid="webgpu-list-error">
                      Could not read the downloaded models: {e().message}
                    </p>
                  )}
                </Show>
                <ModelCatalog models={models} />
                <FolderImport
                  catalog={state.catalog()}
                  importFolder={(id, files, onProgress) => {
                    const c = act.client();
                    if (!c) return Promise.reject(new Error('The in-browser model engine has not started.'));
                    return c.importFolder(id, files, onProgress);
                  }}
                  disabled={state.active() !== null}
                  onBusy={act.setImporting}
                  onImported={(id) => void act.changed(id)}
                />
                <ModelSourceForm
                  store={props.settings}
                  appOrigin={props.appOrigin}
                  apply={async () => {
                    const c = act.client();
                    const refused = c ? await c.reloadSource() : null;
                    await act.changed();
                    return refused;
                  }}
                />
              </>
            );
          }}
        </Match>
      </Switch>
    </section>
  );
}
