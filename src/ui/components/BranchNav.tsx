import { Show } from 'solid-js';
import type { SiblingPlace } from '../../core/tree/tree';

/** `‹ 2/3 ›` between the answers (or questions) that share a parent. */
export function BranchNav(props: { place: SiblingPlace | undefined; onShow: (id: string) => void }) {
  return (
    <Show when={props.place && props.place.count > 1 ? props.place : null}>
      {(p) => (
        <span class="branch-nav">
          <button class="icon-btn" data-testid="branch-prev" aria-label="Previous version" disabled={!p().prev} onClick={() => { const id = p().prev; if (id) props.onShow(id); }}>‹</button>
          <span class="small" data-testid="branch-indicator" aria-label={`Version ${p().index + 1} of ${p().count}`}>{p().index + 1}/{p().count}</span>
          <button class="icon-btn" data-testid="branch-next" aria-label="Next version" disabled={!p().next} onClick={() => { const id = p().next; if (id) props.onShow(id); }}>›</button>
        </span>
      )}
    </Show>
  );
}
