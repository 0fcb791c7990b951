import { createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import { connectionsFileName, describeImport, exportConnections, importConnections } from '../../core/storage/connections-file';
import { isAppError, toAppError } from '../../core/errors';
import { saveFile } from '../data/save-file';

/** A connections file is a few KB; anything this big is not one, and is not read into memory. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

interface Report {
  status: 'ok' | 'error';
  text: string;
}

/** Settings: download the connections as JSON, and import such a file or Open WebUI's config export. */
export function ConnectionsTransfer() {
  const app = useApp();
  const [includeKeys, setIncludeKeys] = createSignal(false);
  const [report, setReport] = createSignal<Report | null>(null);
  const [busy, setBusy] = createSignal(false);

  const download = async () => {
    try {
      const now = Date.now();
      const file = exportConnections(await app.db.connections.orderBy('createdAt').toArray(), { includeKeys: includeKeys(), now });
      saveFile(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }), connectionsFileName(now));
    } catch (e) {
      app.toast.show('error', `Export failed: ${toAppError(e).message}`);
    }
  };

  const importFile = async (f: File): Promise<Report> => {
    if (f.size > MAX_FILE_BYTES) return { status: 'error', text: `${f.name} is too large to be a connections file. Nothing was imported.` };
    let json: unknown;
    try {
      json = JSON.parse(await f.text());
    } catch {
      return { status: 'error', text: `${f.name} is not a JSON file. Nothing was imported.` };
    }
    const r = await importConnections(app.db, json, Date.now()).catch((e: unknown) => toAppError(e, 'storage'));
    if (isAppError(r)) return { status: 'error', text: r.kind === 'invalid' ? `${r.message} Nothing was imported.` : `Nothing was imported: ${r.message}` };
    if (r.added + r.updated > 0) void app.models[1].refresh();
    return { status: r.added + r.updated > 0 || r.skipped === 0 ? 'ok' : 'error', text: describeImport(r) };
  };

  const onFile = async (input: HTMLInputElement) => {
    const f = input.files?.[0];
    // Cleared so that choosing the same file again imports it again.
    input.value = '';
    if (!f) return;
    setBusy(true);
    try {
      setReport(await importFile(f));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="conn-transfer">
      <div class="row">
        <button class="btn" data-testid="connections-export" onClick={() => void download()}>
          Export connections
        </button>
        <label class="small">
          <input type="checkbox" data-testid="connections-export-keys" checked={includeKeys()} onChange={(e) => setIncludeKeys(e.currentTarget.checked)} /> Include API keys
        </label>
      </div>
      <Show when={includeKeys()}>
        <p class="warn small">The file will hold your API keys in plain text: anyone who gets it can use them. Keep it somewhere private.</p>
      </Show>
      <label class="conn-import small">
        Import connections from a Parley export or an Open WebUI config export (JSON)
        <input type="file" accept=".json,application/json" data-testid="connections-import-file" disabled={busy()} onChange={(e) => void onFile(e.currentTarget)} />
      </label>
      <Show when={report()}>
        {(r) => (
          <p class="small" classList={{ ok: r().status === 'ok', error: r().status === 'error' }} data-testid="connections-import-report" data-status={r().status} role="status">
            {r().text}
          </p>
        )}
      </Show>
    </div>
  );
}
