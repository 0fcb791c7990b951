// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'solid-js/web';
import type { GpuCaps } from '../../core/webgpu/detect';
import type { Setting } from '../../core/storage/schema';
import type { CachedModel, CatalogEntry } from '../../../workers/webgpu/api';
import { entry, FakeWebGpuClient, MIB, settle } from './fake-webgpu-client';
import { WebGpuPanel } from './WebGpuPanel';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';
const SWIFTSHADER: GpuCaps = { available: true, f16: false, isFallback: true, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30, vendor: 'google', architecture: 'swiftshader' };

const F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const F32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const CATALOG: CatalogEntry[] = [
  entry(F16, { needsF16: true, runnable: false, f32Variant: F32, reason: `needs shader-f16; use ${F32}`, vramRequiredMB: 879.96, contextWindow: 4096 }),
  entry(F32, { vramRequiredMB: 1128.82, contextWindow: 4096, warning: 'made for GPUs with more memory than this adapter suggests; this is a software adapter: it will be very slow' }),
  entry(QWEN, { lowResource: true, vramRequiredMB: 944.62, contextWindow: 4096 }),
];

function mount(opts: { caps?: GpuCaps; cached?: CachedModel[]; ua?: string } = {}) {
  const fake = new FakeWebGpuClient(opts.caps ?? SWIFTSHADER, CATALOG, opts.cached ?? []);
  let estimates = 0;
  let changes = 0;
  const stored = new Map<string, unknown>();
  const settings = {
    get: async (key: string): Promise<Setting | undefined> => (stored.has(key) ? { key, value: stored.get(key) } : undefined),
    bulkPut: async (rows: Setting[]) => rows.forEach((r) => stored.set(r.key, r.value)),
  };
  const root = document.body.appendChild(document.createElement('div'));
  const dispose = render(
    () => (
      <WebGpuPanel
        client={async () => fake}
        settings={settings}
        estimate={async () => (estimates++, { usage: 2 * 1024 * MIB, quota: 100 * 1024 * MIB })}
        onModelsChanged={() => changes++}
        userAgent={opts.ua ?? CHROME_LINUX}
      />
    ),
    root,
  );
  const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T & HTMLElement>(sel);
  const row = (id: string) => $(`[data-testid="webgpu-model"][data-model-id="${id}"]`);
  const inRow = <T extends HTMLElement = HTMLElement>(id: string, testid: string) => row(id)?.querySelector<T>(`[data-testid="${testid}"]`) ?? null;
  return {
    fake,
    root,
    $,
    row,
    inRow,
    estimates: () => estimates,
    changes: () => changes,
    dispose: () => {
      dispose();
      root.remove();
    },
  };
}

describe('WebGpuPanel', () => {
  it('without WebGPU: says why and what to do in this browser, and lists no model', async () => {
    const m = mount({ caps: { available: false, f16: false, isFallback: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, reason: 'no-adapter' } });
    await settle();
    const box = m.$('[data-testid="webgpu-unavailable"]')!;
    expect(box.textContent).toContain('offered no graphics adapter');
    expect(box.textContent).toContain('chrome://flags');
    expect(m.root.querySelectorAll('[data-testid="webgpu-model"]')).toHaveLength(0);
    expect(m.fake.calls).not.toContain('catalog');
    m.dispose();
  });

  it('shows the adapter, storage and the catalog with its marks; blocked models only on request, with the f32 offer', async () => {
    const m = mount({ cached: [{ modelId: QWEN, bytes: 300 * MIB }] });
    await settle();
    expect(m.$('[data-testid="webgpu-adapter"]')!.textContent).toBe('GPU: google swiftshader · software adapter (slow) · no shader-f16');
    const storage = m.$('[data-testid="webgpu-storage"]')!.textContent!;
    expect(storage).toContain('2.0 GB of 100 GB used by this site');
    expect(storage).toContain('downloaded models: 300 MB');

    expect(m.row(F16)).toBeNull();
    expect(m.row(QWEN)!.dataset.status).toBe('downloaded');
    expect(m.inRow(QWEN, 'webgpu-mark-low')).not.toBeNull();
    expect(m.inRow(QWEN, 'webgpu-model-state')!.textContent).toContain('300 MB on disk');
    expect(m.inRow(QWEN, 'webgpu-download')).toBeNull();
    // The software adapter is said once, in the adapter line, not on every row.
    expect(m.inRow(F32, 'webgpu-model-warning')!.textContent).toBe('Made for GPUs with more memory than this adapter suggests.');
    expect(m.inRow(QWEN, 'webgpu-model-warning')).toBeNull();
    expect(m.row(F32)!.textContent).toContain('1.1 GB GPU memory');
    expect(m.row(F32)!.textContent).toContain('4K context');

    m.$<HTMLInputElement>('[data-testid="webgpu-show-blocked"]')!.click();
    expect(m.row(F16)!.dataset.status).toBe('blocked');
    expect(m.inRow(F16, 'webgpu-mark-f16')).not.toBeNull();
    expect(m.inRow(F16, 'webgpu-model-reason')!.textContent).toContain('needs shader-f16');
    expect(m.inRow(F16, 'webgpu-download')).toBeNull();
    m.inRow(F16, 'webgpu-use-f32')!.click();
    await settle();
    expect(m.fake.calls).toContain(`load ${F32}`);
    expect(m.inRow(F32, 'webgpu-progress')).not.toBeNull();
    m.dispose();
  });

  it('searches by name', async () => {
    const m = mount();
    await settle();
    const search = m.$<HTMLInputElement>('[data-testid="webgpu-search"]')!;
    search.value = 'qwen';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    expect([...m.root.querySelectorAll<HTMLElement>('[data-testid="webgpu-model"]')].map((r) => r.dataset.modelId)).toEqual([QWEN]);
    m.dispose();
  });

  it('downloads with a progress bar (percent, bytes, speed, phase), one at a time, then lists the model', async () => {
    const m = mount();
    await settle();
    m.inRow(F32, 'webgpu-download')!.click();
    await settle();
    expect(m.fake.calls).toContain(`load ${F32}`);
    const bar = () => m.inRow(F32, 'webgpu-progress')!;
    expect(bar().getAttribute('role')).toBe('progressbar');
    expect(bar().getAttribute('aria-valuenow')).toBe('0');
    expect(m.inRow<HTMLButtonElement>(QWEN, 'webgpu-download')!.disabled).toBe(true);

    m.fake.progress({ phase: 'fetch', progress: 0.13, text: 'Fetching param cache[3/22]: 120MB fetched. 13% completed, 9 secs elapsed.', timeElapsed: 9, loadedBytes: 120 * MIB, totalBytes: 880 * MIB, bytesPerSecond: 4.2 * MIB });
    expect(bar().getAttribute('aria-valuenow')).toBe('13');
    const text = m.inRow(F32, 'webgpu-progress-text')!.textContent!;
    expect(text).toContain('Downloading');
    expect(text).toContain('120 MB of 880 MB');
    expect(text).toContain('13%');
    expect(text).toContain('4.2 MB/s');

    m.fake.progress({ phase: 'shaders', progress: 0.5, text: 'Loading GPU shader modules[40/80]: 50% completed, 3 secs elapsed.', timeElapsed: 3, shard: { done: 40, total: 80 } });
    expect(m.inRow(F32, 'webgpu-progress-text')!.textContent).toContain('Compiling shaders');

    const before = m.estimates();
    m.fake.finishLoad(880 * MIB);
    await settle();
    expect(m.inRow(F32, 'webgpu-progress')).toBeNull();
    expect(m.row(F32)!.dataset.status).toBe('downloaded');
    expect(m.inRow(F32, 'webgpu-model-state')!.textContent).toContain('880 MB on disk · loaded on the GPU');
    expect(m.inRow(F32, 'webgpu-delete')).not.toBeNull();
    expect(m.inRow<HTMLButtonElement>(QWEN, 'webgpu-download')!.disabled).toBe(false);
    expect(m.estimates()).toBeGreaterThan(before);
    expect(m.changes()).toBe(1);
    expect(m.fake.calls).not.toContain('unload');
    m.dispose();
  });

  it('a download stopped in an earlier visit (the worker lists it as partial) shows Resume, and is not counted as downloaded', async () => {
    const m = mount({ cached: [{ modelId: F32, bytes: 500 * MIB }, { modelId: QWEN, bytes: 60 * MIB, partial: true }] });
    await settle();
    expect(m.row(QWEN)!.dataset.status).toBe('partial');
    expect(m.inRow(QWEN, 'webgpu-download')!.textContent).toBe('Resume');
    expect(m.row(F32)!.dataset.status).toBe('downloaded');
    m.dispose();
  });

  it('cancel keeps no error and offers to resume the partial download', async () => {
    const m = mount();
    await settle();
    m.inRow(QWEN, 'webgpu-download')!.click();
    await settle();
    m.fake.progress({ phase: 'fetch', progress: 0.2, text: '', timeElapsed: 2, loadedBytes: 60 * MIB, totalBytes: 300 * MIB, bytesPerSecond: 30 * MIB });
    m.inRow(QWEN, 'webgpu-cancel')!.click();
    await settle();
    expect(m.fake.calls).toContain('cancelLoad');
    expect(m.row(QWEN)!.dataset.status).toBe('partial');
    expect(m.inRow(QWEN, 'webgpu-model-state')!.textContent).toContain('Partly downloaded');
    expect(m.inRow(QWEN, 'webgpu-download')!.textContent).toBe('Resume');
    expect(m.inRow(QWEN, 'webgpu-model-error')).toBeNull();
    expect(m.inRow(QWEN, 'webgpu-progress')).toBeNull();

    m.inRow(QWEN, 'webgpu-download')!.click();
    await settle();
    expect(m.fake.calls.filter((c) => c === `load ${QWEN}`)).toHaveLength(2);
    m.fake.finishLoad(300 * MIB);
    await settle();
    expect(m.row(QWEN)!.dataset.status).toBe('downloaded');
    m.dispose();
  });

  it('deletes after a confirmation, then refreshes the list, the storage and the app model list', async () => {
    const m = mount({ cached: [{ modelId: QWEN, bytes: 300 * MIB }] });
    await settle();
    m.inRow(QWEN, 'webgpu-delete')!.click();
    expect(m.fake.calls).not.toContain(`delete ${QWEN}`);
    expect(m.row(QWEN)!.textContent).toContain('Delete 300 MB of model files');
    m.inRow(QWEN, 'webgpu-delete-keep')!.click();
    expect(m.inRow(QWEN, 'webgpu-delete-confirm')).toBeNull();
    m.inRow(QWEN, 'webgpu-delete')!.click();
    const before = m.estimates();
    m.inRow(QWEN, 'webgpu-delete-confirm')!.click();
    await settle();
    expect(m.fake.calls).toContain(`delete ${QWEN}`);
    expect(m.row(QWEN)!.dataset.status).toBe('available');
    expect(m.inRow(QWEN, 'webgpu-download')).not.toBeNull();
    expect(m.$('[data-testid="webgpu-storage"]')!.textContent).not.toContain('downloaded models');
    expect(m.estimates()).toBeGreaterThan(before);
    expect(m.changes()).toBe(1);
    m.dispose();
  });

  it('shows a failed delete next to the model', async () => {
    const m = mount({ cached: [{ modelId: QWEN, bytes: 300 * MIB }] });
    m.fake.deleteError = { kind: 'storage', message: 'The browser refused to delete the files.', detail: 'UnknownError' };
    await settle();
    m.inRow(QWEN, 'webgpu-delete')!.click();
    m.inRow(QWEN, 'webgpu-delete-confirm')!.click();
    await settle();
    const err = m.inRow(QWEN, 'webgpu-model-error')!;
    expect(err.textContent).toContain('The browser refused to delete the files.');
    expect(err.textContent).toContain('UnknownError');
    expect(m.row(QWEN)!.dataset.status).toBe('downloaded');
    m.dispose();
  });

  it('shows a load error in words with the action gpu-errors gives: reload, or use the f32 variant', async () => {
    const m = mount();
    await settle();
    m.inRow(QWEN, 'webgpu-download')!.click();
    await settle();
    m.fake.failLoad({ kind: 'internal', message: 'The GPU stopped while loading "Qwen".', detail: 'Reload to try again.', code: 'device-lost', action: 'reload-model' });
    await settle();
    const err = m.inRow(QWEN, 'webgpu-model-error')!;
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toContain('The GPU stopped while loading');
    expect(err.textContent).toContain('Reload to try again.');
    const button = m.inRow(QWEN, 'webgpu-error-action')!;
    expect(button.textContent).toBe('Reload model');
    button.click();
    await settle();
    expect(m.fake.calls.filter((c) => c === `load ${QWEN}`)).toHaveLength(2);
    expect(m.inRow(QWEN, 'webgpu-model-error')).toBeNull();
    m.fake.failLoad({ kind: 'internal', message: 'Needs shader-f16.', code: 'no-shader-f16', action: 'use-f32-variant', variant: F32 });
    await settle();
    const use = m.inRow(QWEN, 'webgpu-error-action')!;
    expect(use.textContent).toBe(`Use ${F32}`);
    use.click();
    await settle();
    expect(m.fake.calls).toContain(`load ${F32}`);
    expect(m.inRow(F32, 'webgpu-progress')).not.toBeNull();
    m.dispose();
  });

  it('shows a load started before the section opened, with cancel', async () => {
    const m = mount();
    await settle();
    // Someone else's load: the fake's listeners hear it, the section has no promise for it.
    m.fake.load(QWEN).catch(() => undefined);
    m.fake.progress({ phase: 'fetch', progress: 0.4, text: '', timeElapsed: 4, loadedBytes: 120 * MIB, totalBytes: 300 * MIB });
    expect(m.inRow(QWEN, 'webgpu-progress')!.getAttribute('aria-valuenow')).toBe('40');
    expect(m.inRow<HTMLButtonElement>(F32, 'webgpu-download')!.disabled).toBe(true);
    m.inRow(QWEN, 'webgpu-cancel')!.click();
    await settle();
    expect(m.fake.calls).toContain('cancelLoad');
    expect(m.row(QWEN)!.dataset.status).toBe('partial');
    m.dispose();
  });
});
