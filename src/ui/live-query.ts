import { liveQuery } from 'dexie';
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';

/**
 * A Dexie live query as a Solid signal: re-runs when the tables it read change (in this tab
 * or another) and, with `source`, re-subscribes when that signal changes (Dexie cannot see
 * Solid signals read inside the query). Unsubscribes on cleanup.
 */
export function createLiveQuery<T, S = void>(
  query: (s: S) => T | Promise<T>,
  initial: T,
  onError?: (e: unknown) => void,
  source?: Accessor<S>,
): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial);
  createEffect(
    on(source ?? (() => undefined as S), (s) => {
      const sub = liveQuery(() => query(s)).subscribe({
        next: (v) => setValue(() => v),
        error: (e) => onError?.(e),
      });
      onCleanup(() => sub.unsubscribe());
    }),
  );
  return value;
}
