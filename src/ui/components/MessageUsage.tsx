import { createMemo, Show } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import { normalizeUsage } from '../../core/usage/normalize-usage';
import { describeUsage, formatUsageLine } from '../../core/usage/format-usage';

/**
 * The muted line under a finished answer: "123 → 456 tokens · 38.2 tok/s · 0.41 s to first
 * token". The server's figures where it gave them, else measured; estimates carry "≈".
 */
export function MessageUsage(props: { message: Message }) {
  const summary = createMemo(() => {
    const m = props.message;
    if (m.role !== 'assistant' || m.status !== 'done') return null;
    // Rows written before metrics existed have no such field at all.
    return normalizeUsage(m.usage, m.metrics ?? null, m.content.length + m.reasoning.length);
  });
  return (
    <Show when={summary()}>
      {(s) => (
        <Show when={formatUsageLine(s())}>
          {(line) => (
            <div class="message-usage muted small" data-testid="message-usage" data-source={s().source} title={describeUsage(s())}>
              {line()}
            </div>
          )}
        </Show>
      )}
    </Show>
  );
}
