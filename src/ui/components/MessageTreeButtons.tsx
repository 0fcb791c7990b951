import { Show } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import type { TreeActions } from '../stores/tree-actions';
import { Icon } from './Icon';

/** An answer the model can go on with: cut off, stopped, interrupted, or failed after some text. */
export function canContinue(m: Message): boolean {
  if (m.role !== 'assistant' || m.status === 'streaming' || m.content === '') return false;
  return m.finishReason === 'length' || m.finishReason === 'stopped' || m.status === 'interrupted' || m.status === 'error';
}

/** Regenerate, continue, edit and delete for one finished message. */
export function MessageTreeButtons(props: { message: Message; actions: TreeActions; onEdit: () => void }) {
  const m = () => props.message;
  return (
    <>
      <Show when={m().role === 'assistant'}>
        <button class="icon-btn" data-testid="message-regenerate" aria-label="Regenerate" title="Regenerate" onClick={() => void props.actions.regenerate(m())}>
          <Icon name="refresh" />
        </button>
      </Show>
      <Show when={canContinue(m())}>
        <button class="icon-btn" data-testid="message-continue" aria-label="Continue this answer" title="Continue" onClick={() => void props.actions.continueAnswer(m())}>
          <Icon name="send" />
        </button>
      </Show>
      <button class="icon-btn" data-testid="message-edit" aria-label="Edit" title="Edit" onClick={() => props.onEdit()}>
        <Icon name="edit" />
      </button>
      <button class="icon-btn" data-testid="message-delete" aria-label="Delete this message and what follows" title="Delete" onClick={() => void props.actions.remove(m())}>
        <Icon name="trash" />
      </button>
    </>
  );
}
