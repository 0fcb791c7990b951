import { createSignal, onMount, Show } from 'solid-js';
import { registerSW } from 'virtual:pwa-register';

/** Registers the service worker; when a new version is waiting, offers to reload into it. */
export function UpdatePrompt() {
  const [needRefresh, setNeedRefresh] = createSignal(false);
  let update: ((reload?: boolean) => Promise<void>) | undefined;
  onMount(() => {
    if (!('serviceWorker' in navigator)) return;
    update = registerSW({ immediate: true, onNeedRefresh: () => setNeedRefresh(true) });
  });
  return (
    <Show when={needRefresh()}>
      <div class="update-bar" role="status">
        A new version of Parley is ready.
        <button class="btn primary small" data-testid="update-available" onClick={() => void update?.(true)}>Reload</button>
        <button class="btn small" onClick={() => setNeedRefresh(false)}>Later</button>
      </div>
    </Show>
  );
}
