import { createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import { isAppError, toAppError } from '../../core/errors';

const URL_HINT: Record<'openai' | 'ollama', string> = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://localhost:11434',
};

export function ConnectionForm(props: { onDone: () => void }) {
  const app = useApp();
  const [kind, setKind] = createSignal<'openai' | 'ollama'>('openai');
  const [url, setUrl] = createSignal('');
  const [key, setKey] = createSignal('');
  const [error, setError] = createSignal('');

  const save = async (e: Event) => {
    e.preventDefault();
    const r = await app.engine.saveConnection({ kind: kind(), url: url() || URL_HINT[kind()], key: key() }).catch((err: unknown) => toAppError(err));
    if (isAppError(r)) {
      setError(r.message);
      return;
    }
    props.onDone();
    void app.models[1].refresh();
  };

  return (
    <form class="conn-form" onSubmit={save}>
      <label>
        Kind
        <select data-testid="connection-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as 'openai' | 'ollama')}>
          <option value="openai">OpenAI-compatible</option>
          <option value="ollama">Ollama</option>
        </select>
      </label>
      <label>
        URL
        <input data-testid="connection-url" type="url" placeholder={URL_HINT[kind()]} value={url()} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <label>
        API key <span class="muted small">(optional)</span>
        <input data-testid="connection-key" type="password" autocomplete="off" value={key()} onInput={(e) => setKey(e.currentTarget.value)} />
      </label>
      <Show when={error()}>
        <p class="error small" role="alert">{error()}</p>
      </Show>
      <div class="row">
        <button class="btn primary" type="submit" data-testid="connection-save">Save</button>
        <button class="btn" type="button" onClick={props.onDone}>Cancel</button>
      </div>
    </form>
  );
}

