import { createSignal, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { readParams } from '../../core/params';
import { SETTINGS } from '../../core/storage/settings-keys';
import { toAppError } from '../../core/errors';
import { createParamsEditor, ParamsForm } from './ParamsForm';

/** Settings section: the params every chat starts from (SETTINGS.defaultParams). */
export function DefaultParamsSection() {
  const app = useApp();
  const editor = createParamsEditor();
  // The fields stay disabled until the stored values are in, so a late load never replaces typing.
  const [loaded, setLoaded] = createSignal(false);
  const [status, setStatus] = createSignal<{ ok: boolean; text: string } | null>(null);
  const [system, setSystem] = createSignal('');

  onMount(async () => {
    try {
      editor[1].load(readParams((await app.db.settings.get(SETTINGS.defaultParams))?.value));
      const sys = (await app.db.settings.get(SETTINGS.defaultSystem))?.value;
      setSystem(typeof sys === 'string' ? sys : '');
    } catch (e) {
      setStatus({ ok: false, text: `Could not read the saved defaults: ${toAppError(e, 'storage').message}` });
    }
    setLoaded(true);
  });

  const save = async (e: Event) => {
    e.preventDefault();
    setStatus(null);
    const params = editor[1].validate();
    if (!params) return;
    try {
      await app.db.transaction('rw', app.db.settings, async () => {
        await app.db.settings.put({ key: SETTINGS.defaultParams, value: { ...params } });
        await app.db.settings.put({ key: SETTINGS.defaultSystem, value: system() });
      });
      setStatus({ ok: true, text: 'Saved. Every chat uses these unless it sets its own.' });
    } catch (err) {
      setStatus({ ok: false, text: `Could not save: ${toAppError(err, 'storage').message}` });
    }
  };

  return (
    <section>
      <h3>Default system prompt and chat parameters</h3>
      <p class="muted small">
        What every chat sends unless the chat sets its own value (the sliders button at the top of a chat). Empty fields leave the choice to the server.
      </p>
      <form class="default-params" onSubmit={save} onInput={() => setStatus(null)}>
        <label class="default-system">
          System prompt <span class="muted small">(for chats without their own)</span>
          <textarea data-testid="default-system" rows={3} disabled={!loaded()} value={system()} onInput={(e) => setSystem(e.currentTarget.value)} />
        </label>
        <ParamsForm editor={editor} disabled={!loaded()} />
        <Show when={status()}>
          {(s) => (
            <p class={s().ok ? 'ok small' : 'error small'} role={s().ok ? 'status' : 'alert'} data-testid="default-params-status">
              {s().text}
            </p>
          )}
        </Show>
        <div class="row">
          <button class="btn primary" type="submit" data-testid="default-params-save" disabled={!loaded()}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
