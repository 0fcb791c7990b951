import { createEffect, getOwner, onCleanup, onMount, runWithOwner } from 'solid-js';

/**
 * Renders markdown into a container that Solid does not manage: the stream renderer appends
 * finished blocks once and re-renders only the open last block, at most once per frame.
 * The renderer (marked, DOMPurify) is its own chunk, fetched by the first message that needs
 * it (or by the composer's warm-up), so a new chat's first load does not carry it.
 */
export function Markdown(props: {
  text: string;
  streaming: boolean;
  /** How many sources the answer may cite: `[1]`…`[n]` become buttons (cite-markers.ts). */
  citations?: number;
  onCite?: (n: number) => void;
}) {
  let el!: HTMLDivElement;
  onMount(() => {
    const owner = getOwner();
    let disposed = false;
    onCleanup(() => {
      disposed = true;
    });
    // Until the renderer is in, the plain text stands in: the message has about its real
    // height, so nothing below jumps and a long chat does not think its top is in reach.
    el.classList.add('md-pending');
    let loaded = false;
    createEffect(() => {
      if (!loaded) el.textContent = props.text;
    });
    const citations = () => props.citations ?? 0;
    void import('../markdown/stream-renderer').then(({ createStreamRenderer, loadImageOnClick, markCitations, onCitationClick }) => {
      if (disposed) return;
      loaded = true;
      el.textContent = '';
      el.classList.remove('md-pending');
      runWithOwner(owner, () => {
        const r = createStreamRenderer(el, { decorate: (f) => void markCitations(f, citations()) });
        const stopImages = loadImageOnClick(el);
        const stopCite = onCitationClick(el, (n) => props.onCite?.(n));
        // Sources that arrive after blocks were rendered (or a count that grew) mark those blocks too.
        createEffect(() => {
          if (citations() > 0) markCitations(el, citations());
        });
        createEffect(() => {
          r.update(props.text);
          if (!props.streaming) r.flush();
        });
        onCleanup(() => {
          r.dispose();
          stopImages?.();
          stopCite();
        });
      });
    });
  });
  return <div class="md" data-testid="message-content" ref={el} />;
}
