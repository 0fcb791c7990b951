import { createEffect, getOwner, onCleanup, onMount, runWithOwner } from 'solid-js';

/**
 * Renders markdown into a container that Solid does not manage: the stream renderer appends
 * finished blocks once and re-renders only the open last block, at most once per frame.
 * The renderer (marked, DOMPurify) is its own chunk, fetched by the first message that needs
 * it (or by the composer's warm-up), so a new chat's first load does not carry it.
 */
export function Markdown(props: { text: string; streaming: boolean }) {
  let el!: HTMLDivElement;
  onMount(() => {
    const owner = getOwner();
    let disposed = false;
    onCleanup(() => {
      disposed = true;
    });
    void import('../markdown/stream-renderer').then(({ createStreamRenderer, loadImageOnClick }) => {
      if (disposed) return;
      runWithOwner(owner, () => {
        const r = createStreamRenderer(el);
        const stopImages = loadImageOnClick(el);
        createEffect(() => {
          r.update(props.text);
          if (!props.streaming) r.flush();
        });
        onCleanup(() => {
          r.dispose();
          stopImages?.();
        });
      });
    });
  });
  return <div class="md" data-testid="message-content" ref={el} />;
}
