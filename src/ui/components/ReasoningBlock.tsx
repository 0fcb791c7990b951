import { Show } from 'solid-js';
import type { MessageMetrics } from '../../core/storage/schema';
import { reasoningMs } from '../../core/usage/normalize-usage';
import { formatThoughtFor } from '../../core/usage/format-usage';

/**
 * The model's reasoning, folded: "Thinking…" while it thinks, "Thought for 4.2 s" once the
 * answer is stored with its timings, "Reasoning" when no duration is known (older messages,
 * or text already flowing before the end is stored).
 */
export function ReasoningBlock(props: { reasoning: string; thinking: boolean; metrics: MessageMetrics | null | undefined }) {
  const title = () => {
    if (props.thinking) return 'Thinking…';
    const ms = reasoningMs(props.metrics);
    return ms === undefined ? 'Reasoning' : formatThoughtFor(ms);
  };
  return (
    <Show when={props.reasoning}>
      <details class="reasoning" data-testid="message-reasoning">
        <summary>{title()}</summary>
        <div class="reasoning-text">{props.reasoning}</div>
      </details>
    </Show>
  );
}
