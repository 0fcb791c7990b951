import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { registerSW } from 'virtual:pwa-register';
import { generating } from '../stores/streams';

/**
 * `waiting`: a new version is installed and waits for this tab's Reload.
 * `switched`: the new version already took over (Reload in another tab), this page still runs the old code.
 */
type UpdateState = 'none' | 'waiting' | 'switched';

/**
 * How often a page that stays open (a browser sidebar can for days) asks for a new version.
 * Browsers check by themselves only when the app is opened.
 */
export const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Registers the service worker; when a new version is waiting, offers to reload into it.
 * The page never reloads by itself: only a click on Reload in this tab does, and never while
 * an answer is streaming here (the button waits, disabled, until it ends).
 */
export function UpdatePrompt() {
  const [state, setState] = createSignal<UpdateState>('none');
  const [hidden, setHidden] = createSignal(false);
  const [byOtherTab, setByOtherTab] = createSignal(false);
  const busy = () => generating() > 0;
  let update: (() => Promise<void>) | undefined;
  /** This tab's user asked for the new version (so the controller change that follows may reload). */
  let asked = false;
  let reloading = false;

  const reload = () => {
    if (reloading || busy()) return;
    reloading = true;
    window.location.reload();
  };
  /** The new worker controls this page now, whichever tab let it in. */
  const switched = () => {
    if (asked && !busy()) return reload();
    setByOtherTab(!asked);
    asked = false;
    setState('switched');
    setHidden(false);
  };

  onMount(() => {
    if (!('serviceWorker' in navigator)) return;
    const sw = navigator.serviceWorker;
    // Without a controller this is a first visit: the first worker's arrival is no update.
    const controlled = Boolean(sw.controller);
    let registration: ServiceWorkerRegistration | undefined;
    let lastCheck = Date.now();
    const check = () => {
      if (!registration || document.visibilityState !== 'visible' || !navigator.onLine) return;
      if (Date.now() - lastCheck < UPDATE_CHECK_MS) return;
      lastCheck = Date.now();
      registration.update().catch(() => undefined); // offline or the host is down: next time
    };
    const timer = setInterval(check, UPDATE_CHECK_MS);
    document.addEventListener('visibilitychange', check);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    });
    update = registerSW({
      immediate: true,
      onRegisteredSW: (_url, r) => {
        registration = r;
      },
      onNeedRefresh: () => {
        if (state() === 'none') setState('waiting');
      },
      // Given, so the library does not reload this page itself when the new worker takes over.
      onNeedReload: switched,
    });
    // The library only watches for the switch after it has seen a waiting worker (and stops
    // watching for new ones after one installed from another tab), so watch it here too.
    const onChange = () => {
      if (controlled) switched();
    };
    sw.addEventListener('controllerchange', onChange);
    onCleanup(() => sw.removeEventListener('controllerchange', onChange));
  });

  const onReload = () => {
    if (busy()) return;
    if (state() === 'switched') return reload();
    asked = true;
    // Tells the waiting worker to take over; the 'controllerchange' that follows reloads.
    void update?.();
  };

  return (
    <Show when={state() !== 'none' && !hidden()}>
      <div class="update-bar" role="status" data-testid="update-bar" data-state={state()}>
        <span>
          {state() === 'waiting'
            ? 'A new version of Parley is ready.'
            : byOtherTab()
              ? 'Parley was updated in another tab — reload to use it.'
              : 'Parley was updated — reload to use it.'}
          <Show when={busy()}>
            {' '}
            <span class="update-wait">Reload after the answer finishes.</span>
          </Show>
        </span>
        <button class="btn primary small" data-testid="update-available" disabled={busy()} onClick={onReload}>
          Reload
        </button>
        <button class="btn small" data-testid="update-later" onClick={() => setHidden(true)}>
          Later
        </button>
      </div>
    </Show>
  );
}
