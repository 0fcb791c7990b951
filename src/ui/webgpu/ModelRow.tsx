import { createSignal, Show } from 'solid-js';
import type { CachedModel, CatalogEntry } from '../../../workers/webgpu/api';
import type { ActiveLoad } from './create-webgpu-models';
import type { ErrorView } from './error-view';
import { DownloadProgress } from './DownloadProgress';
import { formatBytes, formatContext, formatVram } from './format';

export interface ModelRowActions {
  download(modelId: string): void;
  cancel(): void;
  remove(modelId: string): void;
  redownload(modelId: string): void;
  unload(): void;
}

export interface ModelRowProps {
  entry: CatalogEntry;
  /** Present when every file is cached. */
  cached?: CachedModel;
  /** Some files are cached (a stopped or failed download). */
  partial: boolean;
  /** It is on the GPU now. */
  loaded: boolean;
  /** The running load, when it is this model's. */
  active: ActiveLoad | null;
  /** Another model is loading, or this one is being deleted: no new download. */
  busy: boolean;
  deleting: boolean;
  error?: ErrorView;
  /** The f32 variant's catalog entry, for a model this adapter cannot run. */
  variant?: CatalogEntry;
  variantCached: boolean;
  actions: ModelRowActions;
}

export type RowStatus = 'downloading' | 'downloaded' | 'partial' | 'blocked' | 'available';

/** One model of the catalog: what it is, whether it fits this GPU, and what can be done with it. */
export function ModelRow(props: ModelRowProps) {
  const [confirming, setConfirming] = createSignal(false);
  const id = () => props.entry.modelId;
  const status = (): RowStatus =>
    props.active ? 'downloading' : props.cached ? 'downloaded' : props.partial ? 'partial' : !props.entry.runnable ? 'blocked' : 'available';
  const size = () => {
    const b = props.cached?.bytes;
    return b !== undefined ? `${formatBytes(b)} on disk` : '';
  };
  const confirmText = () => {
    const b = props.cached?.bytes;
    return b !== undefined ? `Delete ${formatBytes(b)} of model files from this browser?` : 'Delete the files of this model from this browser?';
  };
  const variantName = (v: CatalogEntry) => `${v.displayName} ${v.quantization}`.trim();

  return (
    <li class="webgpu-model" data-testid="webgpu-model" data-model-id={id()} data-status={status()}>
      <div class="webgpu-model-head">
        <span class="webgpu-model-name">{props.entry.displayName}</span>
        <Show when={props.entry.quantization}>{(q) => <span class="chip small" title="Quantization">{q()}</span>}</Show>
      </div>
      <div class="webgpu-model-meta small muted">
        <Show when={props.entry.vramRequiredMB !== undefined}>
          <span data-testid="webgpu-model-vram">{formatVram(props.entry.vramRequiredMB ?? 0)} GPU memory</span>
        </Show>
        <Show when={props.entry.contextWindow}>{(c) => <span>{formatContext(c())} context</span>}</Show>
        <Show when={props.entry.needsF16}>
          <span class="badge" data-testid="webgpu-mark-f16" title="Needs the WebGPU feature shader-f16">needs shader-f16</span>
        </Show>
        <Show when={props.entry.lowResource}>
          <span class="badge" data-testid="webgpu-mark-low" title="web-llm marks it as fit for limited devices such as phones">low-resource</span>
        </Show>
        <Show when={props.entry.kind === 'vlm'}>
          <span class="badge">images</span>
        </Show>
      </div>
      <Show when={rowWarning(props.entry.warning)}>{(w) => <p class="small warn webgpu-line" data-testid="webgpu-model-warning">{cap(w())}.</p>}</Show>
      <Show when={!props.entry.runnable}>
        <p class="small error webgpu-line" data-testid="webgpu-model-reason">Cannot run on this GPU: {props.entry.reason ?? 'not supported'}.</p>
        <Show when={props.variant}>
          {(v) => (
            <Show
              when={!props.variantCached}
              fallback={<p class="small muted webgpu-line">Its f32 variant ({variantName(v())}) is downloaded: pick it in the model list.</p>}
            >
              <div class="row">
                <button type="button" class="btn small" data-testid="webgpu-use-f32" disabled={props.busy} onClick={() => props.actions.download(v().modelId)}>
                  Download the f32 variant instead ({v().quantization}, {v().vramRequiredMB !== undefined ? formatVram(v().vramRequiredMB ?? 0) : 'size unknown'})
                </button>
              </div>
            </Show>
          )}
        </Show>
      </Show>

      <Show when={status() === 'downloaded'}>
        <p class="small webgpu-line" data-testid="webgpu-model-state">
          Downloaded{size() ? ` · ${size()}` : ''}{props.loaded ? ' · loaded on the GPU' : ''}
        </p>
      </Show>
      <Show when={status() === 'partial'}>
        <p class="small warn webgpu-line" data-testid="webgpu-model-state">Partly downloaded — Resume to fetch the rest.</p>
      </Show>
      <Show when={props.active}>
        {(a) => (
          <>
            <DownloadProgress progress={a().progress} name={props.entry.displayName} />
            <Show when={a().adopted}><p class="small muted webgpu-line">Started before Settings was opened.</p></Show>
          </>
        )}
      </Show>

      <Show when={props.error}>
        {(e) => (
          <div class="webgpu-error" role="alert" data-testid="webgpu-model-error">
            <p class="small error">{e().message}</p>
            <Show when={e().detail}>{(d) => <p class="small muted">{d()}</p>}</Show>
            <Show when={e().button}>
              {(b) => {
                const b0 = b();
                const label =
                  b0.kind === 'use-variant' ? `Use ${b0.modelId}` : b0.kind === 'reload' ? 'Reload model' : 'Delete and download again';
                const run = () =>
                  b0.kind === 'use-variant' ? props.actions.download(b0.modelId) : b0.kind === 'reload' ? props.actions.download(id()) : props.actions.redownload(id());
                return (
                  <button type="button" class="btn small" data-testid="webgpu-error-action" data-action={b0.kind} disabled={props.busy || !!props.active} onClick={run}>
                    {label}
                  </button>
                );
              }}
            </Show>
          </div>
        )}
      </Show>

      <div class="row webgpu-actions">
        <Show when={props.active}>
          <button type="button" class="btn small" data-testid="webgpu-cancel" onClick={() => props.actions.cancel()}>Cancel</button>
        </Show>
        <Show when={!props.active && !props.cached && (props.entry.runnable || props.partial)}>
          <button
            type="button"
            class="btn small primary"
            data-testid="webgpu-download"
            disabled={props.busy}
            title={props.busy ? 'One download at a time' : undefined}
            onClick={() => props.actions.download(id())}
          >
            {props.partial ? 'Resume' : 'Download'}
          </button>
        </Show>
        <Show when={props.loaded && !props.active}>
          <button type="button" class="btn small" data-testid="webgpu-unload" onClick={() => props.actions.unload()}>Free GPU memory</button>
        </Show>
        <Show when={!props.active && (props.cached || props.partial)}>
          <Show
            when={confirming()}
            fallback={
              <button type="button" class="btn small" data-testid="webgpu-delete" disabled={props.deleting} onClick={() => setConfirming(true)}>
                {props.cached ? 'Delete' : 'Discard partial download'}
              </button>
            }
          >
            <span class="small" role="alert">{confirmText()}</span>
            <button type="button" class="btn small danger" data-testid="webgpu-delete-confirm"
              onClick={() => { setConfirming(false); props.actions.remove(id()); }}>
              Delete
            </button>
            <button type="button" class="btn small" data-testid="webgpu-delete-keep" onClick={() => setConfirming(false)}>Keep</button>
          </Show>
        </Show>
      </div>
    </li>
  );
}

/**
 * The catalog's warning without the software-adapter part: that one is true of every model and
 * the adapter line above the list says it once ("software adapter (slow)"). Matched by
 * catalog.ts's wording; if that changes, the warning simply shows on every row again.
 */
export function rowWarning(warning: string | undefined): string {
  return (warning ?? '')
    .split('; ')
    .filter((w) => w && !/software adapter/.test(w))
    .join('; ');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
