import { createStreamRenderer } from './stream-renderer';

/**
 * Test support: the markdown HTML a stream renderer's container shows, without the
 * renderer's own wrappers (chunk elements, the tail element), so it can be compared with
 * renderMarkdownToHtml of the same text.
 */
export function shownHtml(container: HTMLElement): string {
  return Array.from(container.childNodes, (node) => {
    if (node instanceof HTMLElement && (node.classList.contains('md-chunk') || node.classList.contains('md-tail'))) return node.innerHTML;
    return node instanceof Element ? node.outerHTML : (node.textContent ?? '');
  }).join('');
}

/** A renderer whose frames run when the test says so (no time slicing). */
export function manual(el: HTMLElement = document.createElement('div')) {
  const frames: Array<() => void> = [];
  let scheduled = 0;
  const r = createStreamRenderer(el, {
    schedule: (cb) => {
      scheduled++;
      frames.push(cb);
    },
    sliceMs: Infinity,
  });
  const frame = () => {
    for (const cb of frames.splice(0)) cb();
  };
  return { el, r, frame, scheduled: () => scheduled };
}
