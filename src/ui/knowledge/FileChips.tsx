import { For, Show } from 'solid-js';
import { Icon } from '../components/Icon';
import { formatBytes } from './doc-view';
import './knowledge.css';

export interface FileChip {
  /** Stable key: a document id, or a pending file's name. */
  key: string;
  name: string;
  size?: number;
  /** A short state shown after the name ("indexing", an error). */
  note?: string;
  error?: boolean;
}

/** Files attached to one message: chips above the composer (removable) or on the sent message. */
export function FileChips(props: { files: FileChip[]; testId: string; label: string; onRemove?: (key: string) => void }) {
  return (
    <ul class="kn-chips" aria-label={props.label}>
      <For each={props.files}>
        {(f) => (
          <li class="kn-chip" classList={{ 'kn-chip-error': !!f.error }} data-testid={props.testId} data-name={f.name} title={f.note ? `${f.name}: ${f.note}` : f.name}>
            <Icon name="attach" size={12} />
            <span class="kn-chip-name">{f.name}</span>
            <Show when={f.size !== undefined}><span class="muted small">{formatBytes(f.size!)}</span></Show>
            <Show when={f.note}><span class="small kn-chip-note">{f.note}</span></Show>
            <Show when={props.onRemove}>
              <button type="button" class="icon-btn" aria-label={`Remove ${f.name}`} data-testid={`${props.testId}-remove`} onClick={() => props.onRemove?.(f.key)}>
                <Icon name="close" size={12} />
              </button>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
