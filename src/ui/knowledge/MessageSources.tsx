import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { MessageSource } from '../../core/storage/schema';
import { useApp } from '../app-context';
import { Icon } from '../components/Icon';
import { findPassage, passageInContext } from './passage-context';
import './knowledge.css';

/** Characters of a passage shown in the list (the dialog shows it whole). */
const EXCERPT_CHARS = 220;

const excerpt = (t: string) => {
  const flat = t.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
};

/**
 * The passages an answer was given, numbered as it cites them, under the answer. `open` is the
 * number the reader clicked in the text (or here): its passage is shown in context.
 */
export function MessageSources(props: { sources: MessageSource[]; note?: string; open: number | null; onOpen: (n: number | null) => void }) {
  const opened = () => props.sources.find((s) => s.n === props.open) ?? null;
  return (
    <>
      <Show when={props.note}><p class="small kn-warn kn-sources-note" data-testid="message-sources-note">{props.note}</p></Show>
      <Show when={props.sources.length > 0}>
        <details class="kn-sources" open>
          <summary class="small muted">{props.sources.length} {props.sources.length === 1 ? 'source' : 'sources'}</summary>
          <ol class="kn-source-list">
            <For each={props.sources}>
              {(s) => (
                <li>
                  <button type="button" class="kn-source" data-testid="message-source" data-doc-name={s.docName} data-n={s.n} onClick={() => props.onOpen(s.n)}>
                    <span class="kn-source-n">{s.n}</span>
                    <span class="kn-source-body">
                      <span class="kn-source-name">{s.docName}<Show when={s.page}>{(p) => <span class="muted">, page {p()}</span>}</Show></span>
                      <span class="muted small kn-source-text">{excerpt(s.text)}</span>
                    </span>
                  </button>
                </li>
              )}
            </For>
          </ol>
        </details>
      </Show>
      <Show when={opened()}>{(s) => <SourceDialog source={s()} onClose={() => props.onOpen(null)} />}</Show>
    </>
  );
}

/** The passage in its document: the stored extracted text around it, the passage marked. */
function SourceDialog(props: { source: MessageSource; onClose: () => void }) {
  const app = useApp();
  const [view] = createResource(
    () => props.source,
    async (s) => {
      const row = await app.db.sources.get(s.documentId).catch(() => undefined);
      const text = row?.extracted?.text;
      if (!text) return null;
      const at = s.start !== undefined && s.end !== undefined && text.slice(s.start, s.end) === s.text ? { start: s.start, end: s.end } : findPassage(text, s.text);
      return at ? passageInContext(text, at.start, at.end) : null;
    },
  );
  let close!: HTMLButtonElement;
  const [mark, setMark] = createSignal<HTMLElement>();
  onMount(() => {
    close.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); props.onClose(); } };
    window.addEventListener('keydown', onKey, true);
    onCleanup(() => window.removeEventListener('keydown', onKey, true));
  });
  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div class="modal kn-source-dialog" role="dialog" aria-modal="true" aria-label={`Source ${props.source.n}: ${props.source.docName}`} data-testid="source-dialog">
        <header class="modal-head">
          <h2 class="kn-source-title">
            [{props.source.n}] {props.source.docName}
            <Show when={props.source.page}>{(p) => <span class="muted small">, page {p()}</span>}</Show>
          </h2>
          <button ref={close} class="icon-btn" aria-label="Close source" onClick={() => props.onClose()}><Icon name="close" /></button>
        </header>
        <Show when={!view.loading}>
          <Show
            when={view()}
            fallback={
              <>
                <p class="muted small">The document is no longer stored here; this is the passage the answer was given.</p>
                <div class="kn-context" data-testid="source-context"><mark>{props.source.text}</mark></div>
              </>
            }
          >
            {(c) => (
              <div class="kn-context" data-testid="source-context" ref={() => queueMicrotask(() => mark()?.scrollIntoView({ block: 'center' }))}>
                <Show when={c().cutBefore}>…</Show>
                {c().before}
                <mark ref={setMark} data-testid="source-passage">{c().passage}</mark>
                {c().after}
                <Show when={c().cutAfter}>…</Show>
              </div>
            )}
          </Show>
        </Show>
      </div>
    </div>
  );
}
