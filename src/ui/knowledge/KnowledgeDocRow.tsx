import { For, Show } from 'solid-js';
import type { DocumentRecord } from '../../core/rag/schema';
import { Icon } from '../components/Icon';
import { docView, formatBytes } from './doc-view';

export interface DocActions {
  cancel(id: string): void;
  remove(id: string): void;
  reindex(id: string): void;
  retry(id: string): void;
}

/** One document of a base: name, status, a progress bar while indexing, why it failed, and its actions. */
export function KnowledgeDocRow(props: { doc: DocumentRecord; actions: DocActions }) {
  const view = () => docView(props.doc);
  return (
    <li class="kn-doc" data-testid="knowledge-doc" data-status={view().status} data-document-id={props.doc.id} data-name={props.doc.name}>
      <div class="kn-doc-head">
        <span class="kn-doc-name" title={props.doc.name}>{props.doc.name}</span>
        <span class="muted small kn-doc-size">{formatBytes(props.doc.size)}</span>
      </div>
      <Show when={view().percent !== null}>
        <div
          class="kn-progress"
          role="progressbar"
          data-testid="knowledge-progress"
          aria-label={`Indexing ${props.doc.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={view().percent ?? 0}
        >
          <div class="kn-progress-bar" style={{ width: `${view().percent ?? 0}%` }} />
        </div>
      </Show>
      <p
        class="small kn-doc-status"
        classList={{ muted: view().status !== 'error', 'kn-error': view().status === 'error' }}
        data-testid={view().status === 'error' ? 'knowledge-doc-error' : 'knowledge-doc-status'}
        role={view().status === 'error' ? 'alert' : undefined}
      >
        {view().label}
        <Show when={view().status === 'indexing' && view().percent !== null}> · {view().percent}%</Show>
      </p>
      <For each={view().warnings}>{(w) => <p class="small kn-warn" data-testid="knowledge-doc-warning">{w}</p>}</For>
      <div class="kn-doc-actions">
        <Show when={view().cancellable}>
          <button type="button" class="btn small" data-testid="knowledge-doc-cancel" onClick={() => props.actions.cancel(props.doc.id)}>Cancel</button>
        </Show>
        <Show when={props.doc.status === 'error'}>
          <button type="button" class="btn small" data-testid="knowledge-doc-retry" onClick={() => props.actions.retry(props.doc.id)}>Retry</button>
        </Show>
        <Show when={!view().cancellable}>
          <button type="button" class="btn small" data-testid="knowledge-doc-reindex" onClick={() => props.actions.reindex(props.doc.id)}>
            <Icon name="refresh" size={12} /> Re-index
          </button>
        </Show>
        <button type="button" class="btn small" data-testid="knowledge-doc-remove" aria-label={`Remove ${props.doc.name}`} onClick={() => props.actions.remove(props.doc.id)}>
          <Icon name="trash" size={12} /> Remove
        </button>
      </div>
    </li>
  );
}
