import { createSignal, Show } from 'solid-js';
import type { SyncConfig, SyncFailure, SyncStatus, SyncWorkerApi } from '../../../workers/sync/api';
import { statusLine } from './status-line';
import './sync.css';

export interface SyncPanelProps {
  /** Starts (or returns) the sync worker's client; tests pass a fake. */
  client: () => Promise<Pick<SyncWorkerApi, 'configure' | 'syncNow' | 'setLive' | 'turnOff'>>;
  /** The saved configuration (settings row `sync.config`), null when sync is off. */
  config: () => SyncConfig | null;
  /** The worker's last status (settings row `sync.status`). */
  status: () => SyncStatus | null;
  /** Records changed here and not yet sent. */
  pending: () => number;
  now?: () => number;
}

const DEFAULT_DB = 'parley';
const failureText = (e: unknown): string =>
  e && typeof e === 'object' && 'message' in e && typeof (e as SyncFailure).message === 'string' ? (e as SyncFailure).message : String(e);

/**
 * Settings › Sync: a CouchDB-protocol server the user runs (CouchDB, Cloudant, PouchDB Server),
 * the passphrase that encrypts everything before it leaves the device, Sync now, live sync and
 * the status line. Turning sync off forgets the server and the key; local data stays.
 */
export function SyncPanel(props: SyncPanelProps) {
  const saved = () => props.config();
  const [url, setUrl] = createSignal(saved()?.url ?? '');
  const [db, setDb] = createSignal(saved()?.db ?? DEFAULT_DB);
  const [user, setUser] = createSignal(saved()?.username ?? '');
  const [password, setPassword] = createSignal('');
  const [passphrase, setPassphrase] = createSignal('');
  const [includeKeys, setIncludeKeys] = createSignal(saved()?.includeKeys ?? false);
  const [busy, setBusy] = createSignal(false);
  const [formError, setFormError] = createSignal<string | null>(null);
  const [editing, setEditing] = createSignal(false);
  /** The form starts from what is saved (the saved row arrives after the first render). */
  const edit = () => {
    const c = saved();
    if (c) {
      setUrl(c.url);
      setDb(c.db);
      setUser(c.username);
      setIncludeKeys(c.includeKeys);
    }
    setEditing(true);
  };

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setFormError(null);
    try {
      await fn();
    } catch (e) {
      setFormError(failureText(e));
    } finally {
      setBusy(false);
    }
  };

  const turnOn = (e: Event) => {
    e.preventDefault();
    const u = url().trim();
    if (!/^https?:\/\/[^/\s]+/i.test(u)) return setFormError('Enter the server’s address, starting with https:// (or http:// for one on this computer).');
    if (!/^[a-z][a-z0-9_$()+/-]*$/.test(db().trim())) return setFormError('A database name starts with a lowercase letter and has only lowercase letters, digits and _$()+-/.');
    if (passphrase().length < 8) return setFormError('Choose a passphrase of at least 8 characters. Use the same one on every device; it never leaves them.');
    const old = saved();
    const config: SyncConfig = {
      url: u.replace(/\/+$/, ''),
      db: db().trim(),
      username: user().trim(),
      password: password() || (old && old.url === u && old.username === user().trim() ? old.password : ''),
      includeKeys: includeKeys(),
      live: old?.live ?? true,
    };
    void run(async () => {
      await (await props.client()).configure(config, passphrase());
      setPassphrase('');
      setPassword('');
      setEditing(false);
    });
  };

  const form = () => (
    <form class="sync-form" onSubmit={turnOn} data-testid="sync-form">
      <label>
        Server URL
        <input data-testid="sync-url" type="url" placeholder="https://couch.example.net" value={url()} onInput={(e) => setUrl(e.currentTarget.value)} />
      </label>
      <div class="sync-grid">
        <label>
          Database
          <input data-testid="sync-db" value={db()} onInput={(e) => setDb(e.currentTarget.value)} />
        </label>
        <label>
          Username
          <input data-testid="sync-user" autocomplete="username" value={user()} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            data-testid="sync-password"
            type="password"
            autocomplete="current-password"
            placeholder={saved()?.password ? 'Saved: type to replace' : ''}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
      </div>
      <label>
        Passphrase <span class="muted small">(the same on every device; the server never sees it or anything readable)</span>
        <input data-testid="sync-passphrase" type="password" autocomplete="new-password" value={passphrase()} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      </label>
      <label class="check small">
        <input type="checkbox" data-testid="sync-keys" checked={includeKeys()} onChange={(e) => setIncludeKeys(e.currentTarget.checked)} /> Also sync connection API keys
      </label>
      <div class="sync-actions">
        <button class="btn primary" type="submit" data-testid="sync-save" disabled={busy()}>
          {busy() ? 'Checking…' : saved() ? 'Save and sync' : 'Turn on sync'}
        </button>
        <Show when={editing()}>
          <button class="btn" type="button" onClick={() => setEditing(false)}>Cancel</button>
        </Show>
      </div>
    </form>
  );

  return (
    <section class="sync-section" data-testid="sync-section">
      <h3>Sync</h3>
      <p class="muted small">
        Keep chats, folders, prompts and settings the same on your devices through a server you run that speaks the CouchDB protocol (Apache
        CouchDB, IBM Cloudant, PouchDB Server). Everything is encrypted on this device with your passphrase first.
      </p>
      <Show when={saved() && !editing()} fallback={form()}>
        {(_) => {
          const c = () => saved()!;
          return (
            <div class="sync-on">
              <p class="small">
                Syncing with <strong>{c().url}</strong>, database <strong>{c().db}</strong>
                {c().includeKeys ? ', API keys included' : ''}.
              </p>
              <p class="sync-status small" role="status" data-testid="sync-status" data-status={props.status()?.state ?? 'idle'}>
                {statusLine(props.status(), props.pending(), props.now?.() ?? Date.now())}
              </p>
              <div class="sync-actions">
                <button class="btn" data-testid="sync-now" disabled={busy()} onClick={() => void run(async () => (await props.client()).syncNow())}>
                  Sync now
                </button>
                <label class="check small">
                  <input
                    type="checkbox"
                    data-testid="sync-live"
                    checked={c().live}
                    onChange={(e) => {
                      const live = e.currentTarget.checked;
                      void run(async () => (await props.client()).setLive(live));
                    }}
                  />{' '}
                  Live sync while Parley is open
                </label>
                <button class="btn" data-testid="sync-edit" onClick={edit}>Change…</button>
                <button class="btn" data-testid="sync-off" disabled={busy()} onClick={() => void run(async () => (await props.client()).turnOff())}>
                  Turn off sync
                </button>
              </div>
              <p class="muted small">Turning sync off keeps everything on this device; the server keeps its encrypted copy.</p>
            </div>
          );
        }}
      </Show>
      <Show when={formError()}>
        <p class="error small" role="alert" data-testid="sync-error">{formError()}</p>
      </Show>
    </section>
  );
}
