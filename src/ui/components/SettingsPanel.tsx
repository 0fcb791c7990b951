import { createSignal, For, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { Connection } from '../../core/storage/schema';
import { isAppError, toAppError } from '../../core/errors';
import type { VerifyResult } from '../../../workers/api';
import { Icon } from './Icon';

const URL_HINT: Record<'openai' | 'ollama', string> = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://localhost:11434',
};

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
        </section>
      </div>
    </div>
  );
}

function ConnectionForm(props: { onDone: () => void }) {
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

function maskKey(key: string): string {
  return key ? `…${key.slice(-4)}` : 'no key';
}

function ConnectionItem(props: { connection: Connection }) {
  const app = useApp();
  const c = () => props.connection;
  const [result, setResult] = createSignal<VerifyResult | null>(null);
  const [checking, setChecking] = createSignal(false);
  const listed = () => app.models[0].list().statuses.find((s) => s.connectionId === c().id);
  const status = () => {
    const r = result();
    if (r) return r.ok ? 'ok' : 'error';
    const l = listed();
    return l ? (l.ok ? 'ok' : 'error') : 'unknown';
  };

  const verify = async () => {
    setChecking(true);
    try {
      setResult(await app.engine.verifyConnection(c().id));
    } catch (e) {
      setResult({ ok: false, error: toAppError(e) });
    } finally {
      setChecking(false);
    }
  };
  const toggle = async () => {
    await app.db.connections.update(c().id, { enabled: !c().enabled, updatedAt: Date.now() });
    void app.models[1].refresh();
  };
  const remove = async () => {
    if (!confirm(`Remove the connection “${c().name}”?`)) return;
    await app.db.connections.delete(c().id);
    void app.models[1].refresh();
  };

  return (
    <li class="conn-item" data-testid="connection-item" data-connection-id={c().id} data-status={status()}>
      <div class="row">
        <strong>{c().name}</strong>
        <span class="muted small">{c().kind === 'ollama' ? 'Ollama' : 'OpenAI-compatible'} · {c().url} · {maskKey(c().key)}</span>
      </div>
      <div class="row">
        <label class="small"><input type="checkbox" checked={c().enabled} onChange={() => void toggle()} /> Enabled</label>
        <button class="btn small" data-testid="connection-verify" disabled={checking()} onClick={() => void verify()}>
          {checking() ? 'Checking…' : 'Verify'}
        </button>
        <button class="btn small" onClick={() => void remove()}>Remove</button>
      </div>
      <Show when={result() ?? (listed() && !listed()!.ok ? { ok: false as const, error: listed()!.error! } : null)}>
        {(r) => (
          <p class="small" classList={{ ok: r().ok, error: !r().ok }} data-testid="connection-status" role="status">
            {(() => {
              const v = r();
              return v.ok ? `Connected: ${v.count} model${v.count === 1 ? '' : 's'} available.` : `${v.error.message}${v.error.detail ? ` — ${v.error.detail}` : ''}`;
            })()}
          </p>
        )}
      </Show>
    </li>
  );
}
