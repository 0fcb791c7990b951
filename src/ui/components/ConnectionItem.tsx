import { createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import type { Connection } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import type { VerifyResult } from '../../../workers/api';

function maskKey(key: string): string {
  return key ? `…${key.slice(-4)}` : 'no key';
}

export function ConnectionItem(props: { connection: Connection }) {
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
