import { createSignal, For, Show } from 'solid-js';
import { useApp } from '../app-context';
import type { Connection } from '../../core/storage/schema';
import { toAppError, type AppError } from '../../core/errors';
import type { ConnectionStatus, VerifyResult } from '../../../workers/api';
import { ConnectionForm } from './ConnectionForm';
import { maskKey } from './mask-key';
import { clockTime } from '../format-time';

function errorText(e: AppError): string {
  return `${e.message}${e.detail ? ` — ${e.detail}` : ''}`;
}


/** What the last model listing says about this connection, in words. */
function listedText(s: ConnectionStatus): string {
  const n = `${s.count} model${s.count === 1 ? '' : 's'}`;
  switch (s.source) {
    case 'stale':
      return `Not reachable now; showing the ${n} it listed at ${clockTime(s.fetchedAt ?? 0)}. ${s.error ? errorText(s.error) : ''}`;
    case 'none':
      return s.error ? errorText(s.error) : 'No models.';
    case 'allowlist':
      return `${n} from its Model IDs list.`;
    default:
      return `${n} available.`;
  }
}

export function ConnectionItem(props: { connection: Connection }) {
  const app = useApp();
  const c = () => props.connection;
  const [result, setResult] = createSignal<VerifyResult | null>(null);
  const [checking, setChecking] = createSignal(false);
  const [editing, setEditing] = createSignal(false);
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
    setResult(null);
    void app.models[1].refresh();
  };
  const remove = async () => {
    if (!confirm(`Remove the connection “${c().name}”?`)) return;
    await app.db.transaction('rw', app.db.connections, app.db.modelCache, async () => {
      await app.db.connections.delete(c().id);
      await app.db.modelCache.delete(c().id);
    });
    void app.models[1].refresh();
  };
  const kindLabel = () => (c().kind === 'webgpu' ? 'In-browser (WebGPU)' : c().kind === 'ollama' ? 'Ollama' : c().azure ? 'Azure OpenAI' : 'OpenAI-compatible');

  return (
    <li class="conn-item" data-testid="connection-item" data-connection-id={c().id} data-status={status()} data-enabled={String(c().enabled)}>
      <Show
        when={!editing()}
        fallback={<ConnectionForm connection={c()} onDone={() => { setEditing(false); setResult(null); }} />}
      >
        <div class="row">
          <strong>{c().name}</strong>
          <span class="muted small">{c().kind === 'webgpu' ? `${kindLabel()} · models on this device` : `${kindLabel()} · ${c().url} · ${maskKey(c().key)}`}</span>
          <Show when={c().prefixId}><span class="chip small">prefix {c().prefixId}</span></Show>
          <For each={c().tags}>{(t) => <span class="chip small">#{t}</span>}</For>
        </div>
        <div class="row">
          <label class="small"><input type="checkbox" data-testid="connection-toggle" checked={c().enabled} onChange={() => void toggle()} /> Enabled</label>
          <button class="btn small" data-testid="connection-verify" disabled={checking()} onClick={() => void verify()}>
            {checking() ? 'Checking…' : 'Verify'}
          </button>
          <Show when={c().kind !== 'webgpu'}>
            <button class="btn small" data-testid="connection-edit" onClick={() => setEditing(true)}>Edit</button>
          </Show>
          <button class="btn small" data-testid="connection-remove" onClick={() => void remove()}>Remove</button>
        </div>
        <Show
          when={result()}
          fallback={
            <Show when={c().enabled && listed()}>
              {(l) => <p class="small" classList={{ muted: l().ok, error: !l().ok }} data-testid="connection-listed">{listedText(l())}</p>}
            </Show>
          }
        >
          {(r) => (
            <p class="small" classList={{ ok: r().ok, error: !r().ok }} data-testid="connection-status" role="status">
              {(() => {
                const v = r();
                if (!v.ok) return errorText(v.error);
                const what = c().azure ? 'deployment' : 'model';
                if (c().kind === 'webgpu') return `Ready: ${v.count} model${v.count === 1 ? '' : 's'} downloaded to this browser.`;
                return `Connected: ${v.count} ${what}${v.count === 1 ? '' : 's'} available.`;
              })()}
            </p>
          )}
        </Show>
      </Show>
    </li>
  );
}
