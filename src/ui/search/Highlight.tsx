import { For } from 'solid-js';
import type { Marked } from '../../core/search/snippet';

/** Text with its matches in `<mark>`: built as text nodes, so user text is never read as HTML. */
export function Highlight(props: { m: Marked }) {
  const parts = () => {
    const out: Array<{ text: string; mark: boolean }> = [];
    let at = 0;
    for (const [a, b] of props.m.ranges) {
      if (a > at) out.push({ text: props.m.text.slice(at, a), mark: false });
      out.push({ text: props.m.text.slice(a, b), mark: true });
      at = b;
    }
    if (at < props.m.text.length) out.push({ text: props.m.text.slice(at), mark: false });
    return out;
  };
  return <For each={parts()}>{(p) => (p.mark ? <mark>{p.text}</mark> : p.text)}</For>;
}
