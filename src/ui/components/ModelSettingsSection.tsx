import { createSignal, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { MODEL_CACHE_TTL_MS, SETTINGS } from '../../core/storage/settings-keys';
import { toAppError } from '../../core/errors';
import { ModelSelect } from './ModelSelect';

/** Settings → Models: the model new chats start with, and how long model lists are cached. */
export function ModelSettingsSection() {
  const app = useApp();
  const [minutes, setMinutes] = createSignal(String(MODEL_CACHE_TTL_MS / 60_000));
  const [note, setNote] = createSignal('');
  const [error, setError] = createSignal('');

  onMount(async () => {
    const row = await app.db.settings.get(SETTINGS.modelCacheTtlMs).catch(() => undefined);
    if (typeof row?.value === 'number') setMinutes(String(row.value / 60_000));
  });

  const saveTtl = async () => {
    const m = Number(minutes().trim());
    if (!Number.isFinite(m) || m < 0 || m > 24 * 60) {
      setError('Enter a number of minutes from 0 (always ask the servers) to 1440 (a day).');
      return;
    }
    setError('');
    try {
      await app.db.settings.put({ key: SETTINGS.modelCacheTtlMs, value: Math.round(m * 60_000) });
      setNote('Saved.');
    } catch (e) {
      setError(`Could not save: ${toAppError(e, 'storage').message}`);
    }
  };

  return (
    <section>
      <h3>Models</h3>
      <div class="conn-form">
        {/* A div, not a label: a click inside the picker would re-click its button through a label. */}
        <div class="field">
          <span>Default model <span class="muted small">(new chats start with it; a chat keeps the model it used)</span></span>
          <ModelSelect value={app.defaultModel()} onChange={(m) => app.setDefaultModel(m)} testId="default-model-select" label="Default model" />
        </div>
        <label>
          Keep model lists for (minutes) <span class="muted small">(then ask the servers again; offline, the last list is used)</span>
          <div class="row">
            <input data-testid="model-cache-ttl" type="number" min="0" max="1440" step="any" value={minutes()} onInput={(e) => { setMinutes(e.currentTarget.value); setNote(''); }} />
            <button class="btn small" data-testid="model-cache-ttl-save" onClick={() => void saveTtl()}>Save</button>
            <span class="muted small" role="status">{note()}</span>
          </div>
        </label>
        <Show when={error()}><p class="error small" role="alert">{error()}</p></Show>
      </div>
    </section>
  );
}
