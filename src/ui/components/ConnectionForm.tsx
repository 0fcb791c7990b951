import { createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import { isAppError, toAppError } from '../../core/errors';
import { addInBrowserConnection, parseHeadersJson, splitList, type ConnectionInput } from '../../core/storage/connections';
import type { Connection } from '../../core/storage/schema';
import { AZURE_API_VERSION } from '../../core/providers/azure';
import { maskKey } from './mask-key';

type Kind = 'openai' | 'ollama' | 'webgpu';
type HttpKind = Exclude<Kind, 'webgpu'>;

const URL_HINT: Record<HttpKind, string> = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://localhost:11434',
};
const AZURE_URL_HINT = 'https://YOUR-RESOURCE.openai.azure.com';

/**
 * Adds a connection, or edits `props.connection`. Every field of Open WebUI's connection
 * settings; the saved key is never put back into the form (only its last four characters
 * are shown), and an empty key field on edit keeps it.
 */
export function ConnectionForm(props: { connection?: Connection; onDone: () => void }) {
  const app = useApp();
  const old = props.connection;
  const [kind, setKind] = createSignal<Kind>(old?.kind ?? 'openai');
  const [name, setName] = createSignal(old?.name ?? '');
  const [url, setUrl] = createSignal(old?.url ?? '');
  const [key, setKey] = createSignal('');
  const [clearKey, setClearKey] = createSignal(false);
  const [azure, setAzure] = createSignal(old?.azure ?? false);
  const [apiVersion, setApiVersion] = createSignal(old?.apiVersion ?? '');
  const [authType, setAuthType] = createSignal<'bearer' | 'none'>(old?.authType ?? 'bearer');
  const [modelIds, setModelIds] = createSignal((old?.modelIds ?? []).join('\n'));
  const [prefixId, setPrefixId] = createSignal(old?.prefixId ?? '');
  const [tags, setTags] = createSignal((old?.tags ?? []).join(', '));
  const [headers, setHeaders] = createSignal(old && Object.keys(old.headers).length ? JSON.stringify(old.headers, null, 2) : '');
  const [timeoutS, setTimeoutS] = createSignal(String((old?.timeoutMs ?? 10_000) / 1000));
  const [enabled, setEnabled] = createSignal(old?.enabled ?? true);
  const [error, setError] = createSignal('');
  const [saving, setSaving] = createSignal(false);

  const isAzure = () => kind() === 'openai' && azure();
  const httpKind = (): HttpKind => (kind() === 'ollama' ? 'ollama' : 'openai');
  const urlHint = () => (isAzure() ? AZURE_URL_HINT : URL_HINT[httpKind()]);

  const input = (): ConnectionInput | string => {
    const h = parseHeadersJson(headers());
    if (isAppError(h)) return h.message;
    const seconds = Number(timeoutS().trim() || '10');
    if (!Number.isFinite(seconds)) return 'The timeout must be a number of seconds.';
    if (isAzure() && splitList(modelIds()).length === 0) return 'Azure has no model discovery: enter at least one deployment name.';
    const typedKey = key().trim();
    return {
      kind: kind(),
      ...(old ? { id: old.id } : {}),
      name: name(),
      url: url().trim() || (isAzure() ? '' : URL_HINT[httpKind()]),
      // On edit, an empty field keeps the saved key; "remove" clears it.
      ...(typedKey ? { key: typedKey } : clearKey() || !old ? { key: '' } : {}),
      enabled: enabled(),
      modelIds: splitList(modelIds()),
      prefixId: prefixId(),
      tags: splitList(tags()),
      headers: h,
      authType: authType(),
      azure: isAzure(),
      apiVersion: isAzure() ? apiVersion() : '',
      timeoutMs: Math.round(seconds * 1000),
    };
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (kind() === 'webgpu') return saveInBrowser();
    const v = input();
    if (typeof v === 'string') {
      setError(v);
      return;
    }
    setSaving(true);
    const r = await app.engine.saveConnection(v).catch((err: unknown) => toAppError(err));
    setSaving(false);
    if (isAppError(r)) {
      setError(r.message);
      return;
    }
    props.onDone();
    void app.models[1].refresh();
  };

  /** The In-browser connection has nothing to fill in: its models are downloaded in Settings › In-browser models. */
  const saveInBrowser = async () => {
    setSaving(true);
    try {
      const c = await addInBrowserConnection(app.db, Date.now());
      if (c && (name().trim() || !enabled())) await app.db.connections.update(c.id, { name: name().trim() || c.name, enabled: enabled(), updatedAt: Date.now() });
      props.onDone();
      void app.models[1].refresh();
    } catch (err) {
      setError(toAppError(err, 'storage').message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="conn-form" onSubmit={save} data-testid="connection-form">
      <div class="conn-grid">
        <label>
          Kind
          <select data-testid="connection-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            <option value="openai">OpenAI-compatible</option>
            <option value="ollama">Ollama</option>
            <option value="webgpu">In-browser (WebGPU)</option>
          </select>
        </label>
        <label>
          Name <span class="muted small">(optional)</span>
          <input data-testid="connection-name" value={name()} maxLength={200} placeholder="From the address" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
      </div>
      <Show when={kind() !== 'webgpu'} fallback={<InBrowserNote />}>
      <label>
        URL
        <input data-testid="connection-url" type="url" placeholder={urlHint()} value={url()} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <Show when={kind() === 'openai'}>
        <div class="conn-grid">
          <label class="check">
            <input type="checkbox" data-testid="connection-azure" checked={azure()} onChange={(e) => setAzure(e.currentTarget.checked)} /> Azure OpenAI
          </label>
          <Show when={isAzure()}>
            <label>
              API version
              <input data-testid="connection-api-version" value={apiVersion()} placeholder={AZURE_API_VERSION} onInput={(e) => setApiVersion(e.currentTarget.value)} />
            </label>
          </Show>
        </div>
      </Show>
      <div class="conn-grid">
        <label>
          API key <span class="muted small">(optional)</span>
          <input
            data-testid="connection-key"
            type="password"
            autocomplete="off"
            value={key()}
            placeholder={old?.key ? `Saved (${maskKey(old.key)}): type to replace` : ''}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </label>
        <label>
          Auth
          <select data-testid="connection-auth" value={authType()} onChange={(e) => setAuthType(e.currentTarget.value as 'bearer' | 'none')}>
            <option value="bearer">{isAzure() ? 'Key (api-key header)' : 'Bearer key'}</option>
            <option value="none">None</option>
          </select>
        </label>
      </div>
      <Show when={old?.key}>
        <label class="check small">
          <input type="checkbox" checked={clearKey()} onChange={(e) => setClearKey(e.currentTarget.checked)} /> Remove the saved key
        </label>
      </Show>
      <label>
        {isAzure() ? 'Deployments' : 'Model IDs'} <span class="muted small">{isAzure() ? '(required: one per line)' : '(optional: only these; the server’s list is not asked)'}</span>
        <textarea data-testid="connection-model-ids" rows={2} value={modelIds()} onInput={(e) => setModelIds(e.currentTarget.value)} />
      </label>
      <div class="conn-grid">
        <label>
          Prefix ID <span class="muted small">(optional)</span>
          <input data-testid="connection-prefix" value={prefixId()} placeholder="e.g. work" onInput={(e) => setPrefixId(e.currentTarget.value)} />
        </label>
        <label>
          Tags <span class="muted small">(comma-separated)</span>
          <input data-testid="connection-tags" value={tags()} onInput={(e) => setTags(e.currentTarget.value)} />
        </label>
      </div>
      <label>
        Custom headers <span class="muted small">(JSON object, sent with every request)</span>
        <textarea data-testid="connection-headers" rows={2} spellcheck={false} placeholder={'{"X-Team": "research"}'} value={headers()} onInput={(e) => setHeaders(e.currentTarget.value)} />
      </label>
      <div class="conn-grid">
        <label>
          Listing timeout (s)
          <input data-testid="connection-timeout" type="number" min="1" max="300" step="1" value={timeoutS()} onInput={(e) => setTimeoutS(e.currentTarget.value)} />
        </label>
      </div>
      </Show>
      <div class="conn-grid">
        <label class="check">
          <input type="checkbox" data-testid="connection-enabled" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
        </label>
      </div>
      <Show when={error()}>
        <p class="error small" role="alert" data-testid="connection-form-error">{error()}</p>
      </Show>
      <div class="row">
        <button class="btn primary" type="submit" data-testid="connection-save" disabled={saving()}>Save</button>
        <button class="btn" type="button" onClick={props.onDone}>Cancel</button>
      </div>
    </form>
  );
}

function InBrowserNote() {
  return (
    <p class="muted small" data-testid="connection-webgpu-note">
      Models run in this browser on the GPU (WebGPU, with web-llm): nothing is sent to any server. There is one such connection; download
      or import its models in Settings › In-browser models.
    </p>
  );
}
