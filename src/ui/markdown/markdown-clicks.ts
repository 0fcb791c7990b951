/**
 * Click handling for rendered markdown, by event delegation on the container: one listener
 * per container, so blocks rendered later (a stream's) work without wiring of their own.
 * Each function returns the function that removes its listener.
 */

const IMAGE_SCHEMES = /^https?:/i;

/**
 * Image placeholders (`button.md-image`, see render-markdown.ts) become the image when
 * clicked: only then is the remote server contacted, and without a referrer.
 */
export function loadImageOnClick(container: HTMLElement): () => void {
  const onClick = (event: MouseEvent) => {
    const button = closestInside(container, event.target, 'button.md-image');
    if (!button) return;
    // A placeholder inside a link must not follow the link.
    event.preventDefault();
    const src = button.getAttribute('data-src') ?? '';
    if (!IMAGE_SCHEMES.test(src)) return;
    const img = container.ownerDocument.createElement('img');
    // Policy first: setting src starts the request.
    img.setAttribute('referrerpolicy', 'no-referrer');
    img.alt = button.getAttribute('data-alt') ?? '';
    const title = button.getAttribute('title');
    if (title) img.title = title;
    img.className = 'md-img';
    img.src = src;
    button.replaceWith(img);
  };
  container.addEventListener('click', onClick);
  return () => container.removeEventListener('click', onClick);
}

/** How long a copy button says "Copied" (ms). */
const COPIED_FEEDBACK_MS = 1500;

/**
 * Copy buttons of code blocks (`button.md-copy` in `.md-code`) copy the block's text.
 * `writeText` defaults to the async clipboard API; a refusal shows on the button.
 */
export function copyCodeOnClick(
  container: HTMLElement,
  writeText: (text: string) => Promise<void> = (text) => navigator.clipboard.writeText(text),
): () => void {
  const onClick = (event: MouseEvent) => {
    const button = closestInside(container, event.target, 'button.md-copy');
    const code = button?.closest('.md-code')?.querySelector('pre code');
    if (!button || !code) return;
    const show = (state: string, label: string) => {
      button.setAttribute('data-state', state);
      button.textContent = label;
      setTimeout(() => {
        button.removeAttribute('data-state');
        button.textContent = 'Copy';
      }, COPIED_FEEDBACK_MS);
    };
    writeText(code.textContent ?? '').then(
      () => show('copied', 'Copied'),
      () => show('failed', 'Copy failed'),
    );
  };
  container.addEventListener('click', onClick);
  return () => container.removeEventListener('click', onClick);
}

function closestInside(container: HTMLElement, target: EventTarget | null, selector: string): Element | null {
  if (!target || !(target as Node).nodeType) return null;
  const node = target as Node;
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  const found = element?.closest(selector);
  return found && container.contains(found) ? found : null;
}
