import { For, onCleanup, onMount } from 'solid-js';
import { isApplePlatform, SHORTCUTS, shortcutKeys } from '../shortcuts';
import { Icon } from './Icon';

/** The keyboard shortcuts, listed from the same table the key handler uses. Esc closes it. */
export function ShortcutsHelp(props: { onClose: () => void }) {
  const apple = isApplePlatform(navigator);
  let closeBtn!: HTMLButtonElement;
  // Focus goes back where it was (the composer, the sidebar button) when the dialog closes.
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  onMount(() => closeBtn.focus());
  onCleanup(() => before?.focus());

  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            // Handled here, so the app-wide Esc (stop) does not also run.
            e.preventDefault();
            props.onClose();
          }
        }}
      >
        <header class="modal-head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeBtn} class="icon-btn" aria-label="Close keyboard shortcuts" onClick={props.onClose}><Icon name="close" /></button>
        </header>
        <dl class="shortcuts-list">
          <For each={SHORTCUTS}>
            {(s) => (
              <>
                <dt data-testid="shortcut-item" data-shortcut={s.id}>{s.label}</dt>
                <dd>
                  <For each={shortcutKeys(s, apple)}>{(k) => <kbd>{k}</kbd>}</For>
                </dd>
              </>
            )}
          </For>
        </dl>
        <p class="muted small">Esc stops an answer only while one is being written and no dialog is open.</p>
      </div>
    </div>
  );
}
