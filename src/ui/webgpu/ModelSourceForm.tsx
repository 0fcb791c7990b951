import { createSignal, onMount, Show } from 'solid-js';
import { toAppError, type AppError } from '../../core/errors';
import type { Setting } from '../../core/storage/schema';
import { SETTINGS } from '../../core/storage/settings-keys';
import { validateMirrorBase, type ModelMirror } from '../../core/webgpu/model-source';

/** The settings table as this form uses it (Dexie's `db.settings` fits). */
export interface SettingsStore {
  get(key: string): Promise<Setting | undefined>;
  /** One transaction: both fields are saved, or neither. */
  bulkPut(rows: Setting[]): Promise<unknown>;
}

export interface ModelSourceFormProps {
  store: SettingsStore;
  /** The page's origin: an https page cannot fetch from an http mirror (validateMirrorBase says so). */
  appOrigin?: string;
  /** Tells the worker to read the source again (and refreshes what is cached); an AppError when the saved source is refused. */
  apply: () => Promise<AppError | null>;
}

type Which = keyof ModelMirror;
const KEYS: Record<Which, string> = { weightsBase: SETTINGS.webgpuWeightsBase, libsBase: SETTINGS.webgpuLibsBase };

/**
 * Where web-llm fetches models from, for a machine without internet: a mirror on the local
 * network with the public hosts' file layout. Empty fields mean the public hosts. Only valid
 * values are written.
 */
export function ModelSourceForm(props: ModelSourceFormProps) {
  const [values, setValues] = createSignal<Record<Which, string>>({ weightsBase: '', libsBase: '' });
  const [errors, setErrors] = createSignal<Partial<Record<Which, string>>>({});
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal('');
  const [saving, setSaving] = createSignal(false);

  onMount(async () => {
    try {
      const [w, l] = await Promise.all([props.store.get(KEYS.weightsBase), props.store.get(KEYS.libsBase)]);
      setValues({ weightsBase: typeof w?.value === 'string' ? w.value : '', libsBase: typeof l?.value === 'string' ? l.value : '' });
    } catch (e) {
      setFailure(`Could not read the model source: ${toAppError(e, 'storage').message}`);
    }
  });

  const set = (k: Which, v: string) => {
    setValues({ ...values(), [k]: v });
    setStatus('');
    if (errors()[k]) setErrors({ ...errors(), [k]: undefined });
  };

  const save = async () => {
    setFailure('');
    setStatus('');
    const next: Record<Which, string> = { weightsBase: '', libsBase: '' };
    const bad: Partial<Record<Which, string>> = {};
    for (const k of ['weightsBase', 'libsBase'] as const) {
      const raw = values()[k].trim();
      if (!raw) continue;
      const r = validateMirrorBase(raw, k, props.appOrigin);
      if (r.ok) next[k] = r.base;
      else bad[k] = r.error.detail ? `${r.error.message} ${r.error.detail}` : r.error.message;
    }
    setErrors(bad);
    if (Object.keys(bad).length > 0) return;
    setSaving(true);
    try {
      await props.store.bulkPut([
        { key: KEYS.weightsBase, value: next.weightsBase },
        { key: KEYS.libsBase, value: next.libsBase },
      ]);
      setValues(next);
      const refused = await props.apply();
      if (refused) setFailure(refused.detail ? `${refused.message} ${refused.detail}` : refused.message);
      else setStatus(next.weightsBase || next.libsBase ? 'Saved: models are fetched from the mirror.' : 'Saved: models are fetched from the public hosts.');
    } catch (e) {
      setFailure(`Could not save the model source: ${toAppError(e, 'storage').message}`);
    } finally {
      setSaving(false);
    }
  };

  const field = (k: Which, label: string, replaces: string, placeholder: string) => (
    <label>
      <span>{label} <span class="muted small">(replaces {replaces}; optional)</span></span>
      <input
        data-testid={k === 'weightsBase' ? 'webgpu-weights-base' : 'webgpu-libs-base'}
        value={values()[k]}
        placeholder={placeholder}
        inputmode="url"
        spellcheck={false}
        aria-invalid={!!errors()[k]}
        onInput={(e) => set(k, e.currentTarget.value)}
      />
      <Show when={errors()[k]}>
        {(m) => <span class="error small" role="alert" data-testid={k === 'weightsBase' ? 'webgpu-weights-error' : 'webgpu-libs-error'}>{m()}</span>}
      </Show>
    </label>
  );

  return (
    <form class="conn-form webgpu-source" data-testid="webgpu-source" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h4>Model source</h4>
      <p class="muted small">
        For a machine without internet: a server on your network with the same file layout as the public hosts. Models downloaded or imported
        from another source are not found under new addresses: download or import them again after a change.
      </p>
      {field('weightsBase', 'Weights mirror', 'https://huggingface.co/', 'http://mirror.lan/hf/')}
      {field('libsBase', 'Model library mirror', 'https://raw.githubusercontent.com/', 'http://mirror.lan/gh/')}
      <div class="row">
        <button type="submit" class="btn" data-testid="webgpu-source-save" disabled={saving()}>Save model source</button>
        <span class="muted small" role="status" data-testid="webgpu-source-status">{status()}</span>
      </div>
      <Show when={failure()}><p class="error small" role="alert" data-testid="webgpu-source-failure">{failure()}</p></Show>
    </form>
  );
}
