import { onCleanup, onMount, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';

/**
 * A small menu floating beside the button that opened it, drawn in a portal so the virtual
 * list's scrolling box never clips it. Closes on Escape, a press outside, or a scroll of the list;
 * the arrow keys move between its items.
 */
export function PopMenu(props: { anchor: DOMRect; label: string; testId: string; onClose: () => void; children: JSX.Element }) {
  let el: HTMLDivElement | undefined;
  const onDown = (e: PointerEvent) => {
    if (el && !el.contains(e.target as Node)) props.onClose();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.stopPropagation(); props.onClose(); return; }
    // Up and down move between the menu's items, wrapping round (a text field keeps its own keys otherwise).
    if (!el || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    const items = [...el.querySelectorAll<HTMLElement>('button:not([disabled]), input')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (items.length === 0 || (i < 0 && !el.contains(document.activeElement))) return;
    e.preventDefault();
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };
  onMount(() => {
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('keydown', onKey, true);
    if (!el) return;
    // Below the button, or above it when there is no room; never past the window's edges.
    const r = el.getBoundingClientRect();
    const top = props.anchor.bottom + r.height > window.innerHeight - 8 ? Math.max(8, props.anchor.top - r.height) : props.anchor.bottom;
    el.style.top = `${top}px`;
    el.style.left = `${Math.max(8, Math.min(props.anchor.right - r.width, window.innerWidth - r.width - 8))}px`;
    el.querySelector<HTMLElement>('button:not([disabled]), input')?.focus();
  });
  onCleanup(() => {
    document.removeEventListener('pointerdown', onDown, true);
    document.removeEventListener('keydown', onKey, true);
  });
  return (
    <Portal>
      <div ref={el} class="lib-menu" role="menu" aria-label={props.label} data-testid={props.testId} style={{ top: `${props.anchor.bottom}px`, left: `${props.anchor.left}px` }}>
        {props.children}
      </div>
    </Portal>
  );
}
