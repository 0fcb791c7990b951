import { createEffect, onCleanup, onMount } from 'solid-js';
import { createStreamRenderer, loadImageOnClick } from '../markdown/stream-renderer';

/**
 * Renders markdown into a container that Solid does not manage: the stream renderer appends
 * finished blocks once and re-renders only the open last block, at most once per frame.
 */
export function Markdown(props: { text: string; streaming: boolean }) {
  let el!: HTMLDivElement;
  onMount(() => {
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
  return <div class="md" data-testid="message-content" ref={el} />;
}
