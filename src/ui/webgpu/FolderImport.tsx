import { createMemo, createSignal, For, Show } from 'solid-js';
import { toAppError } from '../../core/errors';
import type { CatalogEntry, FolderFile, ImportProgress, ImportResult } from '../../../workers/webgpu/api';
import type { ImportProblem } from '../../core/webgpu/plan-folder-import';
import type { WebGpuClient } from '../webgpu-client';
import { formatBytes } from './format';

export interface FolderImportProps {
  /** The catalog: the select lists the models this GPU can run. */
  catalog: readonly CatalogEntry[];
  importFolder: WebGpuClient['importFolder'];
  /** A download is running: no import meanwhile (both write the same caches). */
  disabled: boolean;
  onBusy(busy: boolean): void;
  /** The import succeeded: the cached list and the model picker should ask again. */
  onImported(modelId: string): void;
}

type Outcome = { ok: true; text: string } | { ok: false; text: string; detail?: string; problems: ImportProblem[] };

/**
 * "Import from a folder": the files of one model, copied from a connected machine, written
 * into web-llm's cache under the URLs it will ask for, so the model loads with no network.
 */
export function FolderImport(props: FolderImportProps) {
  const runnable = createMemo(() => props.catalog.filter((e) => e.runnable));
  const [chosen, setChosen] = createSignal('');
  const modelId = () => chosen() || runnable()[0]?.modelId || '';
  const [progress, setProgress] = createSignal<ImportProgress | null>(null);
  const [running, setRunning] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);

  const run = async (picked: File[]) => {
    const id = modelId();
    if (!id || picked.length === 0) return;
    // The worker cannot see webkitRelativePath (it does not survive postMessage): it goes as `path`.
    const files: FolderFile[] = picked.map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
    setOutcome(null);
    setProgress(null);
    setRunning(true);
    props.onBusy(true);
    let over = false;
    try {
      const r: ImportResult = await props.importFolder(id, files, (p) => {
        if (!over) setProgress(p);
      });
      if (r.ok) {
        const skipped = r.ignored.length ? ` ${r.ignored.length} ${r.ignored.length === 1 ? 'file was' : 'files were'} not needed and left out.` : '';
        setOutcome({ ok: true, text: `Imported ${r.files} ${r.files === 1 ? 'file' : 'files'} (${formatBytes(r.bytes)}) for ${r.modelId}.${skipped}` });
        props.onImported(r.modelId);
      } else {
        const e = r.error;
        setOutcome({
          ok: false,
          text: e ? `Could not import the folder: ${e.message}` : `The folder cannot be imported as ${id}; nothing was written:`,
          ...(e?.detail ? { detail: e.detail } : {}),
          problems: r.problems,
        });
      }
    } catch (err) {
      const e = toAppError(err);
      setOutcome({ ok: false, text: `Could not import the folder: ${e.message}`, ...(e.detail ? { detail: e.detail } : {}), problems: [] });
    } finally {
      over = true;
      setRunning(false);
      setProgress(null);
      props.onBusy(false);
    }
  };

  const percent = () => {
    const p = progress();
    return p && p.totalBytes > 0 ? Math.round((p.writtenBytes / p.totalBytes) * 100) : 0;
  };

  return (
    <div class="conn-form webgpu-import" data-testid="webgpu-import">
      <h4>Import from a folder</h4>
      <p class="muted small">
        For a machine without internet: pick a model's folder copied from a connected machine (its mlc-chat-config.json, tokenizer,
        tensor-cache.json, params_shard_*.bin and the model library .wasm). The files are stored in this browser.
      </p>
      <label>
        Model the folder holds
        <select data-testid="webgpu-import-model" value={modelId()} disabled={running()} onChange={(e) => setChosen(e.currentTarget.value)}>
          <For each={runnable()}>{(e) => <option value={e.modelId}>{`${e.displayName} ${e.quantization}`.trim()}</option>}</For>
        </select>
      </label>
      <label>
        Folder
        <input
          type="file"
          multiple
          data-testid="webgpu-import-folder"
          ref={(el) => el.setAttribute('webkitdirectory', '')}
          disabled={running() || props.disabled || !modelId()}
          onChange={(e) => {
            const picked = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void run(picked);
          }}
        />
      </label>
      <Show when={props.disabled && !running()}><span class="muted small">Wait for the download to finish.</span></Show>
      <Show when={running()}>
        <div class="webgpu-progress">
          <div class="webgpu-bar" role="progressbar" data-testid="webgpu-import-progress" aria-label="Importing model files"
            aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent()}>
            <div class="webgpu-bar-fill" style={{ width: `${percent()}%` }} />
          </div>
          <span class="small muted">
            <Show when={progress()} fallback="Checking the folder…">
              {(p) => `${p().file ? `Writing ${p().file} · ` : ''}${formatBytes(p().writtenBytes)} of ${formatBytes(p().totalBytes)} · ${percent()}%`}
            </Show>
          </span>
        </div>
      </Show>
      <Show when={outcome()}>
        {(o) => (
          <div data-testid="webgpu-import-result" data-status={o().ok ? 'ok' : 'error'} role={o().ok ? 'status' : 'alert'}>
            <p class="small" classList={{ error: !o().ok }}>{o().text}</p>
            <Show when={!o().ok ? (o() as Extract<Outcome, { ok: false }>) : null}>
              {(bad) => (
                <>
                  <Show when={bad().detail}>{(d) => <p class="small muted">{d()}</p>}</Show>
                  <Show when={bad().problems.length > 0}>
                    <ul class="small webgpu-problems">
                      <For each={bad().problems}>
                        {(p) => <li data-testid="webgpu-import-problem"><code>{p.file}</code>: {p.message}</li>}
                      </For>
                    </ul>
                  </Show>
                </>
              )}
            </Show>
          </div>
        )}
      </Show>
    </div>
  );
}
