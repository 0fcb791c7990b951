import { createSignal, onMount, Show } from 'solid-js';
import { readStorageStatus, requestPersistence, usageRatio, usageText, type StoragePort, type StorageStatus } from '../../core/storage/storage-status';
import './StorageSection.css';

/** The page's storage manager, or null where there is none (an insecure context, an old browser). */
function storagePort(): StoragePort | null {
  const s = typeof navigator === 'undefined' ? undefined : (navigator.storage as StorageManager | undefined);
  return s && typeof s.persisted === 'function' && typeof s.estimate === 'function' ? s : null;
}

/**
 * Settings › Storage: why persistent storage matters, whether the browser granted it, a button
 * asking for it, and how much space Parley uses. Read afresh each time Settings opens.
 */
export function StorageSection() {
  const [status, setStatus] = createSignal<StorageStatus | null>(null);
  const [asked, setAsked] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const refresh = async () => setStatus(await readStorageStatus(storagePort()));
  onMount(() => void refresh());

  const ask = async () => {
    setBusy(true);
    try {
      setStatus(await requestPersistence(storagePort()));
      setAsked(true);
    } finally {
      setBusy(false);
    }
  };

  const persistText = (s: StorageStatus) => {
    if (!s.supported)
      return 'This page is not in a secure context (https or localhost), so the browser offers no storage controls here. Chats are still stored, but may be cleared under storage pressure.';
    if (s.persisted) return 'Kept: the browser will not clear Parley’s data to free space. Only clearing this site’s data removes it.';
    if (asked())
      return 'The browser said no. Chromium grants this by itself to sites that are installed, bookmarked or used often (try again after installing Parley); Firefox asks you. Until then, export a backup now and then.';
    return 'Not kept yet: when the device runs low on space, the browser may clear Parley’s data.';
  };

  return (
    <section class="storage-section" data-testid="storage-section">
      <h3>Storage</h3>
      <p class="muted small">
        Your chats, settings and keys live only in this browser, on this device. Unless its storage is persistent, the browser may delete a
        site’s data when space runs low.
      </p>
      <Show when={status()} fallback={<p class="muted small">Checking…</p>}>
        {(s) => (
          <>
            <div class="storage-persist" data-testid="storage-persist" data-granted={String(s().persisted)} role="status">
              <p class="small">{persistText(s())}</p>
              <Show when={s().supported && !s().persisted}>
                <button class="btn" data-testid="storage-persist-request" disabled={busy()} onClick={() => void ask()}>
                  Keep my data
                </button>
              </Show>
            </div>
            <div class="storage-usage">
              <Show when={usageRatio(s()) !== null}>
                <meter min="0" max="1" value={usageRatio(s()) ?? 0} aria-label="Storage used" />
              </Show>
              <span class="small" data-testid="storage-usage">{usageText(s())}</span>
              <button class="btn small" data-testid="storage-refresh" onClick={() => void refresh()}>
                Refresh
              </button>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}
