// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import type { SyncConfig, SyncStatus } from '../../../workers/sync/api';
import { SyncPanel } from './SyncPanel';

const settle = () => new Promise((r) => setTimeout(r, 0));

function mount(opts: { config?: SyncConfig | null; status?: SyncStatus | null; pending?: number; refuse?: { kind: string; message: string } } = {}) {
  const calls: Array<[string, unknown[]]> = [];
  const [config, setConfig] = createSignal<SyncConfig | null>(opts.config ?? null);
  const client = {
    configure: async (c: SyncConfig, passphrase: string) => {
      calls.push(['configure', [c, passphrase]]);
      if (opts.refuse) throw opts.refuse;
      setConfig(c);
      return { state: 'ok', lastSyncAt: 1, at: 1, error: null, errorKind: null, pushed: 0, pulled: 0 } satisfies SyncStatus;
    },
    syncNow: async () => (calls.push(['syncNow', []]), opts.status!),
    setLive: async (live: boolean) => void calls.push(['setLive', [live]]),
    turnOff: async () => {
      calls.push(['turnOff', []]);
      setConfig(null);
    },
  };
  const root = document.body.appendChild(document.createElement('div'));
  const dispose = render(
    () => <SyncPanel client={async () => client} config={config} status={() => opts.status ?? null} pending={() => opts.pending ?? 0} now={() => 120_000} />,
    root,
  );
  const el = <T extends HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`);
  const type = (id: string, v: string) => {
    const i = el<HTMLInputElement>(id)!;
    i.value = v;
    i.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const click = async (id: string) => {
    el<HTMLButtonElement>(id)!.click();
    await settle();
  };
  return { calls, el, type, click, text: (id: string) => el(id)?.textContent ?? null, dispose: () => (dispose(), root.remove()) };
}

const saved: SyncConfig = { url: 'https://couch.example.net', db: 'parley', username: 'ana', password: 'pw', includeKeys: false, live: true };

describe('SyncPanel', () => {
  it('refuses a form without an address, with a bad database name or a short passphrase, calling nothing', async () => {
    const m = mount();
    await m.click('sync-save');
    expect(m.text('sync-error')).toMatch(/server’s address/);
    m.type('sync-url', 'https://couch.example.net');
    m.type('sync-db', 'Parley');
    await m.click('sync-save');
    expect(m.text('sync-error')).toMatch(/lowercase letter/);
    m.type('sync-db', 'parley');
    m.type('sync-passphrase', 'short');
    await m.click('sync-save');
    expect(m.text('sync-error')).toMatch(/at least 8/);
    expect(m.calls).toEqual([]);
    m.dispose();
  });

  it('turns sync on with what was typed (trailing slash dropped), then shows the status line', async () => {
    const m = mount({ pending: 3 });
    m.type('sync-url', 'https://couch.example.net/');
    m.type('sync-user', ' ana ');
    m.type('sync-password', 'pw');
    m.type('sync-passphrase', 'correct horse battery');
    m.el<HTMLInputElement>('sync-keys')!.click();
    await m.click('sync-save');
    expect(m.calls).toEqual([['configure', [{ ...saved, includeKeys: true }, 'correct horse battery']]]);
    expect(m.el('sync-form')).toBeNull();
    expect(m.text('sync-status')).toMatch(/3 changes waiting/);
    m.dispose();
  });

  it('shows a refusal (wrong passphrase) in words and stays on the form', async () => {
    const m = mount({ refuse: { kind: 'passphrase', message: 'This passphrase does not open the data on the server.' } });
    m.type('sync-url', 'https://couch.example.net');
    m.type('sync-passphrase', 'not the one');
    await m.click('sync-save');
    expect(m.text('sync-error')).toBe('This passphrase does not open the data on the server.');
    expect(m.el('sync-form')).not.toBeNull();
    m.dispose();
  });

  it('when on: status with the last sync and the error, Sync now, live toggle, turn off', async () => {
    const status: SyncStatus = { state: 'error', lastSyncAt: 0, at: 100_000, error: 'The server did not answer.', errorKind: 'network', pushed: 0, pulled: 0 };
    const m = mount({ config: saved, status, pending: 1 });
    expect(m.el('sync-status')!.getAttribute('data-status')).toBe('error');
    expect(m.text('sync-status')).toBe('The server did not answer. Last synced 2 min ago · 1 change waiting');
    await m.click('sync-now');
    m.el<HTMLInputElement>('sync-live')!.click();
    await settle();
    await m.click('sync-off');
    expect(m.calls.map((c) => c[0])).toEqual(['syncNow', 'setLive', 'turnOff']);
    expect(m.calls[1]![1]).toEqual([false]);
    expect(m.el('sync-form')).not.toBeNull();
    m.dispose();
  });

  it('Change… starts from the saved server and keeps the saved password unless a new one is typed', async () => {
    const m = mount({ config: saved });
    await m.click('sync-edit');
    expect(m.el<HTMLInputElement>('sync-url')!.value).toBe(saved.url);
    m.type('sync-passphrase', 'correct horse battery');
    await m.click('sync-save');
    expect(m.calls[0]![1]).toEqual([saved, 'correct horse battery']);
    m.dispose();
  });
});
