import { Show } from 'solid-js';
import { useApp } from '../app-context';

/**
 * The header's temporary-chat switch. Offered on a new chat (a stored chat cannot become
 * temporary); while on, it stays, and turning it off drops the temporary chat.
 */
export function TemporaryToggle(props: { hasChat: boolean }) {
  const app = useApp();
  return (
    <Show when={!props.hasChat || app.temporary.active()}>
      <button
        class="icon-btn temporary-toggle"
        classList={{ on: app.temporary.active() }}
        data-testid="temporary-toggle"
        aria-pressed={app.temporary.active()}
        aria-label={app.temporary.active() ? 'Temporary chat: on. Turn off (this chat is discarded)' : 'Temporary chat: not saved, gone on reload'}
        title={app.temporary.active() ? 'Temporary chat is on: turn off to discard it' : 'Temporary chat: not saved, gone on reload'}
        onClick={() => app.temporary.set(!app.temporary.active())}
      >
        <svg class="icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-dasharray={app.temporary.active() ? undefined : '3 3'} aria-hidden="true">
          <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2" />
        </svg>
      </button>
    </Show>
  );
}

/** Says, above the messages, that nothing here is kept. */
export function TemporaryBanner() {
  const app = useApp();
  return (
    <Show when={app.temporary.active()}>
      <p class="temporary-banner" data-testid="temporary-banner" role="status">
        Temporary chat — not saved on this device, not in the sidebar or search; gone when you reload or leave it.
      </p>
    </Show>
  );
}
