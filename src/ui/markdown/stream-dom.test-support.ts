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
