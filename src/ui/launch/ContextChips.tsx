import { For, Show } from 'solid-js';
import type { MessageContext } from '../../core/storage/schema';
import { Icon } from '../components/Icon';
import './context-chips.css';

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Pages attached to a question (`?load-url=`), as small link chips: above the composer (with a
 * remove button) and in the question sent.
 */
export function ContextChips(props: { items: readonly MessageContext[]; testId: string; onRemove?: (index: number) => void }) {
  return (
    <Show when={props.items.length > 0}>
      <ul class="context-chips" aria-label="Pages attached">
        <For each={props.items}>
          {(c, i) => (
            <li class="chip context-chip" data-testid={props.testId} data-url={c.url} data-truncated={String(c.truncated)}>
              <a href={c.url} target="_blank" rel="noopener noreferrer" title={`${c.url}${c.truncated ? ' (only the start of the page is sent)' : ''}`}>
                {c.title || hostOf(c.url)}
              </a>
              <span class="muted"> · {hostOf(c.url)}{c.truncated ? ' · start only' : ''}</span>
              <Show when={props.onRemove}>
                <button type="button" class="icon-btn" data-testid={`${props.testId}-remove`} aria-label={`Remove ${c.title || hostOf(c.url)}`} onClick={() => props.onRemove?.(i())}>
                  <Icon name="close" size={12} />
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
