// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'solid-js/web';
import type { AppError } from '../../core/errors';
import type { Setting } from '../../core/storage/schema';
import { SETTINGS } from '../../core/storage/settings-keys';
import { settle } from './fake-webgpu-client';
import { ModelSourceForm } from './ModelSourceForm';

function mount(opts: { saved?: Record<string, string>; appOrigin?: string; refused?: AppError } = {}) {
  const stored = new Map<string, unknown>(Object.entries(opts.saved ?? {}));
  const writes: Setting[][] = [];
  let applied = 0;
  const store = {
    get: async (key: string): Promise<Setting | undefined> => (stored.has(key) ? { key, value: stored.get(key) } : undefined),
    bulkPut: async (rows: Setting[]) => {
      writes.push(rows);
      rows.forEach((r) => stored.set(r.key, r.value));
    },
  };
  const root = document.body.appendChild(document.createElement('div'));
  const dispose = render(
    () => <ModelSourceForm store={store} appOrigin={opts.appOrigin} apply={async () => (applied++, opts.refused ?? null)} />,
    root,
  );
  const input = (id: string) => root.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
  const type = (id: string, v: string) => {
    input(id).value = v;
    input(id).dispatchEvent(new Event('input', { bubbles: true }));
  };
  const save = async () => {
    root.querySelector<HTMLButtonElement>('[data-testid="webgpu-source-save"]')!.click();
    await settle();
  };
  const text = (id: string) => root.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
  return { stored, writes, applied: () => applied, input, type, save, text, dispose: () => (dispose(), root.remove()) };
}

describe('ModelSourceForm', () => {
  it('shows the saved source', async () => {
    const m = mount({ saved: { [SETTINGS.webgpuWeightsBase]: 'http://mirror.lan/hf/' } });
    await settle();
    expect(m.input('webgpu-weights-base').value).toBe('http://mirror.lan/hf/');
    expect(m.input('webgpu-libs-base').value).toBe('');
    m.dispose();
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const m = mount();
    await settle();
    m.type('webgpu-weights-base', 'ftp://mirror.lan/hf/');
    m.type('webgpu-libs-base', 'http://user:pw@mirror.lan/gh/');
    await m.save();
    expect(m.text('webgpu-weights-error')).toContain('must start with http:// or https://');
    expect(m.text('webgpu-libs-error')).toContain('user name or password');
    expect(m.input('webgpu-weights-base').getAttribute('aria-invalid')).toBe('true');
    expect(m.writes).toEqual([]);
    expect(m.applied()).toBe(0);
    // One good, one bad: still nothing written.
    m.type('webgpu-weights-base', 'http://mirror.lan/hf');
    await m.save();
    expect(m.writes).toEqual([]);
    m.dispose();
  });

  it('refuses an http mirror from an https page', async () => {
    const m = mount({ appOrigin: 'https://parley.example' });
    await settle();
    m.type('webgpu-weights-base', 'http://mirror.lan/hf/');
    await m.save();
    expect(m.text('webgpu-weights-error')).toContain('blocks plain http');
    expect(m.writes).toEqual([]);
    m.dispose();
  });

  it('saves good input normalised, empty as the public host, then makes the worker read it', async () => {
    const m = mount();
    await settle();
    m.type('webgpu-weights-base', '  http://mirror.lan/hf ');
    await m.save();
    expect(m.writes).toEqual([[
      { key: SETTINGS.webgpuWeightsBase, value: 'http://mirror.lan/hf/' },
      { key: SETTINGS.webgpuLibsBase, value: '' },
    ]]);
    expect(m.input('webgpu-weights-base').value).toBe('http://mirror.lan/hf/');
    expect(m.applied()).toBe(1);
    expect(m.text('webgpu-source-status')).toContain('from the mirror');
    m.dispose();
  });

  it('shows what the worker says when it refuses the saved source', async () => {
    const m = mount({ refused: { kind: 'invalid', message: 'The weights mirror is not usable.', detail: 'Public hosts are used.' } });
    await settle();
    m.type('webgpu-libs-base', 'http://mirror.lan/gh/');
    await m.save();
    expect(m.text('webgpu-source-failure')).toContain('The weights mirror is not usable. Public hosts are used.');
    m.dispose();
  });
});
