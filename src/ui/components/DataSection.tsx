import { createSignal, onCleanup, Show } from 'solid-js';
import { useApp } from '../app-context';
import { startData, type DataClient } from '../engine-client';
import type { ExportOutcome } from '../../../workers/data-api';
import { saveFile } from '../data/save-file';
import './DataSection.css';

interface Report {
  status: 'ok' | 'error';
  text: string;
}

/**
 * Settings › Chats & data: import a chat export or a backup (read as a stream in the data
 * worker, with a progress bar), export every chat as Open WebUI JSON, export a full backup.
 */
export function DataSection() {
  const app = useApp();
  let data: DataClient | null = null;
  const worker = () => (data ??= startData());
  onCleanup(() => data?.dispose());

  const [includeKeys, setIncludeKeys] = createSignal(false);
  const [report, setReport] = createSignal<Report | null>(null);
  const [progress, setProgress] = createSignal<{ read: number; total: number } | null>(null);
  const [busy, setBusy] = createSignal(false);

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    try {
      await task();
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const onFile = (input: HTMLInputElement) => {
    const f = input.files?.[0];
    // Cleared so that choosing the same file again imports it again (and reports "already imported").
    input.value = '';
    if (!f) return;
    setReport(null);
    void run(async () => {
      setProgress({ read: 0, total: f.size });
      const r = await worker().importFile(f, (read, total) => setProgress({ read, total }));
      setReport(r.ok ? { status: 'ok', text: r.text } : { status: 'error', text: r.error.message });
    });
  };

  const save = (make: () => Promise<ExportOutcome>) =>
    run(async () => {
      const r = await make();
      if (r.ok) {
        saveFile(r.blob, r.fileName);
        if (r.note) app.toast.show('info', r.note);
      } else app.toast.show('error', `Export failed: ${r.error.message}`);
    });

  const percent = () => {
    const p = progress();
    return p && p.total > 0 ? Math.round((p.read / p.total) * 100) : 0;
  };

  return (
    <section class="data-section">
      <h3>Chats &amp; data</h3>
      <p class="muted small">Move chats in and out of Parley. Open WebUI imports the chat export; a backup holds everything Parley stores except attached images.</p>
      <div class="row">
        <button class="btn" data-testid="export-all" disabled={busy()} onClick={() => void save(() => worker().exportAll())}>
          Export all chats
        </button>
        <button class="btn" data-testid="export-backup" disabled={busy()} onClick={() => void save(() => worker().exportBackup(includeKeys()))}>
          Export backup
        </button>
        <label class="small">
          <input type="checkbox" data-testid="export-backup-keys" checked={includeKeys()} onChange={(e) => setIncludeKeys(e.currentTarget.checked)} /> Include API keys
        </label>
      </div>
      <Show when={includeKeys()}>
        <p class="warn small">The backup will hold your API keys in plain text: anyone who gets it can use them.</p>
      </Show>
      <label class="data-import small">
        Import chats: an Open WebUI export, ChatGPT’s conversations.json or a Parley backup (JSON)
        <input type="file" accept=".json,application/json" data-testid="import-file" disabled={busy()} onChange={(e) => onFile(e.currentTarget)} />
      </label>
      <Show when={progress()}>
        <progress data-testid="import-progress" max="100" value={percent()} aria-valuenow={percent()} aria-label="Import progress" />
      </Show>
      <Show when={report()}>
        {(r) => (
          <p class="small" classList={{ ok: r().status === 'ok', error: r().status === 'error' }} data-testid="import-report" data-status={r().status} role="status">
            {r().text}
          </p>
        )}
      </Show>
    </section>
  );
}
