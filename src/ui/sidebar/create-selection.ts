import { createSignal } from 'solid-js';

/**
 * The chats picked for a bulk action. Ctrl/⌘-click toggles one, Shift-click takes the run
 * from the last one clicked (in list order), and the Select button shows checkboxes for
 * touch and keyboard users.
 */
export function createSelection() {
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [checkboxes, setCheckboxes] = createSignal(false);
  let anchor: string | null = null;

  const toggle = (id: string) => {
    const next = new Set(selected());
    if (!next.delete(id)) next.add(id);
    anchor = id;
    setSelected(next);
  };
  /** Adds the chats between the last one clicked and `id`, both included. */
  const extend = (id: string, order: readonly string[]) => {
    const a = anchor === null ? -1 : order.indexOf(anchor);
    const b = order.indexOf(id);
    if (a < 0 || b < 0) return toggle(id);
    const next = new Set(selected());
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) next.add(order[i]!);
    setSelected(next);
  };
  const clear = () => {
    anchor = null;
    setSelected(new Set<string>());
    setCheckboxes(false);
  };
  return {
    /** Selecting: checkboxes on, or something selected. */
    active: () => checkboxes() || selected().size > 0,
    has: (id: string) => selected().has(id),
    ids: () => [...selected()],
    count: () => selected().size,
    toggle,
    extend,
    clear,
    setCheckboxes,
    /** Keeps only ids still shown (after a delete or archive took some away). */
    keep(present: ReadonlySet<string>) {
      const s = selected();
      if ([...s].some((id) => !present.has(id))) setSelected(new Set([...s].filter((id) => present.has(id))));
    },
  };
}
export type Selection = ReturnType<typeof createSelection>;
