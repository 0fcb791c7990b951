import { createSignal, type Accessor } from 'solid-js';

/**
 * The rows of a long list worth rendering: those in the scroll viewport plus `overscan` on
 * each side. Rows have one fixed height, so positions are arithmetic and nothing is measured
 * per row; typing into a filter over thousands of rows then touches a few dozen elements.
 */
export function createVirtualWindow(count: Accessor<number>, height: number | Accessor<number>, overscan = 8) {
  // A list whose rows grow with the layout (the sidebar's, for touch) passes an accessor.
  const rowHeight = typeof height === 'function' ? height : () => height;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(400);
  let el: HTMLElement | undefined;

  const range = () => {
    const n = count();
    const first = Math.max(0, Math.floor(scrollTop() / rowHeight()) - overscan);
    const last = Math.min(n, Math.ceil((scrollTop() + viewport()) / rowHeight()) + overscan);
    return { start: Math.min(first, n), end: last };
  };

  return {
    range,
    /** Total height of the list, for the spacer that gives the scrollbar its size. */
    height: () => count() * rowHeight(),
    attach(node: HTMLElement) {
      el = node;
      setViewport(node.clientHeight || 400);
      setScrollTop(node.scrollTop);
    },
    onScroll() {
      if (el) setScrollTop(el.scrollTop);
    },
    /** Scrolls just enough to show row `i` (keyboard navigation). */
    reveal(i: number) {
      if (!el) return;
      const h = rowHeight();
      const top = i * h;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + h > el.scrollTop + el.clientHeight) el.scrollTop = top + h - el.clientHeight;
      setScrollTop(el.scrollTop);
    },
    /** Back to the top (a new query). */
    reset() {
      if (el) el.scrollTop = 0;
      setScrollTop(0);
    },
  };
}
