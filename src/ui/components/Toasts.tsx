import { For, Show } from 'solid-js';
import type { Toast } from '../stores/toasts';
import { Icon } from './Icon';

export function Toasts(props: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="toasts" aria-live="polite">
      <For each={props.toasts}>
        {(t) => (
          <div class={`toast ${t.kind}`} data-testid="toast" data-kind={t.kind} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.message}</span>
            <Show when={t.action}>
              {(a) => (
                <button class="btn small" data-testid="toast-action" onClick={() => { a().run(); props.onDismiss(t.id); }}>{a().label}</button>
              )}
            </Show>
            <button class="icon-btn" aria-label="Dismiss" onClick={() => props.onDismiss(t.id)}><Icon name="close" size={14} /></button>
          </div>
        )}
      </For>
    </div>
  );
}
