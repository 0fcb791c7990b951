import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { Knowledge } from '../../core/rag/schema';
import { Icon } from '../components/Icon';
import { FileChips } from './FileChips';
import { matchBases } from './knowledge-query';
import './knowledge.css';

/** What the composer's textarea asks of the menu before handling a key itself (as PromptMenu). */
export interface KnowledgeMenuControls {
  onKeyDown(e: KeyboardEvent): boolean;
}

/**
 * The knowledge picker: opened by `#word` in the composer (query = the word) or by the
 * composer's book button (query ''). Choosing a base toggles it on the chat.
 */
export function KnowledgeMenu(props: {
  query: string;
  attached: readonly string[];
  onPick: (id: string) => void;
  onClose: () => void;
  onManage: () => void;
  controls?: (c: KnowledgeMenuControls) => void;
}) {
  const app = useApp();
  // `name` is not indexed: sorted here (a handful of rows).
  const bases = createLiveQuery<Knowledge[]>(async () => (await app.db.knowledge.toArray()).sort((a, b) => a.name.localeCompare(b.name)), []);
  const matches = createMemo(() => matchBases(bases(), props.query));
  const [active, setActive] = createSignal(0);
  createEffect(on(() => props.query, () => setActive(0)));
  props.controls?.({
    onKeyDown(e) {
      const list = matches();
      if (e.isComposing) return false;
      if (e.key === 'Escape') props.onClose();
      else if (list.length === 0) return false;
      else if (e.key === 'ArrowDown') setActive((i) => (i + 1) % list.length);
      else if (e.key === 'ArrowUp') setActive((i) => (i - 1 + list.length) % list.length);
      else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') props.onPick(list[Math.min(active(), list.length - 1)]!.id);
      else return false;
      e.preventDefault();
      return true;
    },
  });
  return (
    <div class="prompt-menu kn-menu" data-testid="knowledge-menu">
      <Show when={matches().length > 0} fallback={
        <p class="muted small kn-menu-empty">
          {bases().length === 0 ? 'No knowledge bases yet.' : `No knowledge base matches “${props.query}”.`}{' '}
          <button type="button" class="btn small" onMouseDown={(e) => e.preventDefault()} onClick={() => props.onManage()}>Knowledge…</button>
        </p>
      }>
        <ul role="listbox" aria-label="Knowledge bases">
          <For each={matches()}>
            {(k, i) => (
              <li
                role="option"
                aria-selected={props.attached.includes(k.id)}
                classList={{ active: i() === active() }}
                data-testid="knowledge-option"
                data-knowledge-id={k.id}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i())}
                onClick={() => props.onPick(k.id)}
              >
                <span class="kn-menu-check" aria-hidden="true">{props.attached.includes(k.id) ? '✓' : ''}</span>
                <span class="prompt-cmd">#{k.name}</span>
                <Show when={k.description}><span class="prompt-title muted">{k.description}</span></Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}

/**
 * Above the composer: the knowledge bases attached to the chat, and the files waiting to go
 * with the next message (with their indexing state once they are stored).
 */
export function ComposerKnowledge(props: {
  knowledgeIds: readonly string[];
  onDetach: (id: string) => void;
  files: ReadonlyArray<{ key: string; name: string; size: number }>;
  onRemoveFile: (key: string) => void;
}) {
  const app = useApp();
  const bases = createLiveQuery<Knowledge[], string>((ids) => (ids ? app.db.knowledge.bulkGet(ids.split(' ')).then((r) => r.filter((k): k is Knowledge => !!k)) : []), [], undefined, () => props.knowledgeIds.join(' '));
  return (
    <>
      <Show when={props.knowledgeIds.length > 0}>
        <ul class="kn-chips" aria-label="Knowledge attached to this chat">
          <For each={props.knowledgeIds}>
            {(id) => {
              const name = () => bases().find((k) => k.id === id)?.name;
              return (
                <li class="kn-chip" data-testid="knowledge-chip" data-knowledge-id={id} classList={{ 'kn-chip-error': bases().length > 0 && !name() }}>
                  <Icon name="book" size={12} />
                  <span class="kn-chip-name">{name() ?? 'Deleted knowledge base'}</span>
                  <button type="button" class="icon-btn" aria-label={`Detach ${name() ?? 'knowledge base'}`} data-testid="knowledge-chip-remove" onClick={() => props.onDetach(id)}>
                    <Icon name="close" size={12} />
                  </button>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <Show when={props.files.length > 0}>
        <FileChips files={props.files.map((f) => ({ key: f.key, name: f.name, size: f.size }))} testId="composer-file-chip" label="Files to send" onRemove={props.onRemoveFile} />
      </Show>
    </>
  );
}
