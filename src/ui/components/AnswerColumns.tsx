import { For, Show } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import type { SiblingPlace } from '../../core/tree/tree';
import type { TreeActions } from '../stores/tree-actions';
import { MessageView } from './MessageView';

/**
 * The answers several models gave to one question, side by side (stacked when narrow). The
 * chat continues from the chosen one; "Continue with this" picks another.
 */
export function AnswerColumns(props: { columns: Message[]; chosenId: string; places: Map<string, SiblingPlace> | undefined; actions: TreeActions }) {
  return (
    <div class="answer-columns" data-testid="answer-columns" style={{ '--columns': String(props.columns.length) }}>
      <For each={props.columns}>
        {(m) => (
          <div class="answer-column" data-chosen={String(m.id === props.chosenId)}>
            <MessageView message={m} place={props.places?.get(m.id)} actions={props.actions} />
            <Show when={m.id !== props.chosenId && m.status !== 'streaming'}>
              <button class="btn small" data-testid="answer-choose" onClick={() => void props.actions.show(m.id)}>
                Continue with this answer
              </button>
            </Show>
          </div>
        )}
      </For>
    </div>
  );
}
