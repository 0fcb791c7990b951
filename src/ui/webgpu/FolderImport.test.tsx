// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from 'solid-js/web';
import type { FolderFile, ImportProgress, ImportResult } from '../../../workers/webgpu/api';
import { entry, MIB, settle } from './fake-webgpu-client';
import { FolderImport } from './FolderImport';

const F32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const F16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

function picked(paths: string[]): File[] {
  return paths.map((p) => {
    const f = new File(['x'], p.split('/').pop()!);
    Object.defineProperty(f, 'webkitRelativePath', { value: p });
    return f;
  });
}

function mount(answer: (id: string, files: FolderFile[], onProgress?: (p: ImportProgress) => void) => Promise<ImportResult>) {
  const calls: Array<{ id: string; files: FolderFile[] }> = [];
  const imported: string[] = [];
  const busy: boolean[] = [];
  const root = document.body.appendChild(document.createElement('div'));
  const dispose = render(
    () => (
      <FolderImport
        catalog={[entry(F16, { runnable: false }), entry(F32), entry(QWEN)]}
        importFolder={(id, files, onProgress) => (calls.push({ id, files }), answer(id, files, onProgress))}
        disabled={false}
        onBusy={(b) => busy.push(b)}
        onImported={(id) => imported.push(id)}
      />
    ),
    root,
  );
  const pick = (files: File[]) => {
    const input = root.querySelector<HTMLInputElement>('[data-testid="webgpu-import-folder"]')!;
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const select = root.querySelector<HTMLSelectElement>('[data-testid="webgpu-import-model"]')!;
  return { root, calls, imported, busy, pick, select, dispose: () => (dispose(), root.remove()) };
}

describe('FolderImport', () => {
  it('offers only runnable models and passes each file with its folder path', async () => {
    const m = mount(async (id) => ({ ok: true, modelId: id, files: 2, bytes: 880 * MIB, ignored: [] }));
    expect([...m.select.options].map((o) => o.value)).toEqual([F32, QWEN]);
    m.select.value = QWEN;
    m.select.dispatchEvent(new Event('change', { bubbles: true }));
    m.pick(picked([`${QWEN}/mlc-chat-config.json`, `${QWEN}/params_shard_0.bin`]));
    await settle();
    expect(m.calls).toHaveLength(1);
    expect(m.calls[0]!.id).toBe(QWEN);
    expect(m.calls[0]!.files.map((f) => f.path)).toEqual([`${QWEN}/mlc-chat-config.json`, `${QWEN}/params_shard_0.bin`]);
    expect(m.calls[0]!.files[0]!.file).toBeInstanceOf(Blob);
    m.dispose();
  });

  it('shows progress while writing, then "Imported N files (X MB)" and asks for a refresh', async () => {
    let report: ((p: ImportProgress) => void) | undefined;
    let finish: (r: ImportResult) => void = () => {};
    const m = mount((_id, _files, onProgress) => {
      report = onProgress;
      return new Promise((resolve) => (finish = resolve));
    });
    m.pick(picked([`${F32}/mlc-chat-config.json`]));
    await settle();
    report!({ file: `${F32}/params_shard_1.bin`, writtenBytes: 220 * MIB, totalBytes: 880 * MIB });
    await settle();
    const bar = m.root.querySelector('[data-testid="webgpu-import-progress"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(m.root.textContent).toContain('params_shard_1.bin');
    expect(m.root.textContent).toContain('220 MB of 880 MB');
    finish({ ok: true, modelId: F32, files: 24, bytes: 880 * MIB, ignored: ['README.md'] });
    await settle();
    const result = m.root.querySelector<HTMLElement>('[data-testid="webgpu-import-result"]')!;
    expect(result.dataset.status).toBe('ok');
    expect(result.textContent).toContain(`Imported 24 files (880 MB) for ${F32}.`);
    expect(result.textContent).toContain('1 file was not needed');
    expect(m.imported).toEqual([F32]);
    expect(m.busy).toEqual([true, false]);
    expect(m.root.querySelector('[data-testid="webgpu-import-progress"]')).toBeNull();
    m.dispose();
  });

  it('lists every problem of a refused folder, file by file, and refreshes nothing', async () => {
    const m = mount(async () => ({
      ok: false,
      problems: [
        { file: 'params_shard_3.bin', message: 'is missing (tensor-cache.json lists it)' },
        { file: 'tokenizer.json', message: 'is a Git LFS pointer, not the file' },
      ],
    }));
    m.pick(picked([`${F32}/mlc-chat-config.json`]));
    await settle();
    const result = m.root.querySelector<HTMLElement>('[data-testid="webgpu-import-result"]')!;
    expect(result.dataset.status).toBe('error');
    const items = [...m.root.querySelectorAll('[data-testid="webgpu-import-problem"]')].map((li) => li.textContent);
    expect(items).toEqual(['params_shard_3.bin: is missing (tensor-cache.json lists it)', 'tokenizer.json: is a Git LFS pointer, not the file']);
    expect(m.imported).toEqual([]);
    m.dispose();
  });

  it('shows a failure while writing (a full disk) in words', async () => {
    const m = mount(async () => ({ ok: false, problems: [], error: { kind: 'storage', message: 'The browser refused to store the model.', detail: 'Delete downloaded models.' } }));
    m.pick(picked([`${F32}/mlc-chat-config.json`]));
    await settle();
    const result = m.root.querySelector<HTMLElement>('[data-testid="webgpu-import-result"]')!;
    expect(result.textContent).toContain('The browser refused to store the model.');
    expect(result.textContent).toContain('Delete downloaded models.');
    m.dispose();
  });
});
