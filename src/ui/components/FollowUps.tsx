import { createContext, For, Show, useContext, type Accessor } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import './FollowUps.css';

/** What the chat view lends the follow-ups: which answer is last on screen, and how a question is sent. */
export interface FollowUpsHost {
  /** The chat's current leaf (the last answer of the visible branch). */
  leafId: Accessor<string | null>;
  /** Sends `text` as the next question, exactly as the composer would. */
  send(text: string): void;
}

export const FollowUpsContext = createContext<FollowUpsHost>();

/**
 * The task model's suggested next questions (see workers/tasks.ts), under the last answer only:
 * once a new question is sent the leaf moves to the new answer, so they hide while it streams.
 */
export function FollowUps(props: { message: Message }) {
  const host = useContext(FollowUpsContext);
  const list = () => {
    const m = props.message;
    if (!host || m.role !== 'assistant' || m.status !== 'done' || host.leafId() !== m.id) return [];
    return m.followUps ?? [];
  };
  return (
    <Show when={list().length > 0}>
      <nav class="follow-ups" data-testid="follow-ups" aria-label="Suggested follow-up questions">
        <span class="follow-ups-head">Follow up</span>
        <For each={list()}>
          {(q) => (
            <button class="follow-up" data-testid="follow-up" onClick={() => host?.send(q)}>
              {q}
            </button>
          )}
        </For>
      </nav>
    </Show>
  );
}
