import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import type { SearchAnswer, SearchStatus } from '../../../workers/search-api';
import { searchClient } from './search-client';
import { Highlight } from './Highlight';
import './search.css';

/** Chats shown at most: the count line says how many more matched. */
const LIMIT = 30;
/** While the index builds, results are asked again at most this often as it grows. */
const REFRESH_MS = 300;

// The sidebar loads this module when its search field is first focused: the worker starts
// building the index then, while the first word is being typed (never during start-up).
searchClient();

/**
 * Search results for the sidebar's search field: chats grouped with their title and up to
 * three message snippets, matches marked. `onOpen(chatId, messageId)` opens the chat at that
 * message (messageId null: the chat itself, for a title match). ↑/↓ in the search field move
 * through the results, Enter opens the one marked.
 */
export function SearchResults(props: { query: string; onOpen: (chatId: string, messageId: string | null) => void }) {
  const search = searchClient();
  const [answer, setAnswer] = createSignal<SearchAnswer | null>(null);
  // The shown chats, patched in place by chat id: a keystroke that keeps a chat in the results
  // keeps its DOM, only its snippets and marks change.
  const [shown, setShown] = createStore<{ chats: SearchAnswer['chats'] }>({ chats: [] });
  const [status, setStatus] = createSignal<SearchStatus | null>(null);
  const [active, setActive] = createSignal(-1);
  const [failed, setFailed] = createSignal<string | null>(null);
  let asked = 0;
  let list!: HTMLDivElement;

  const ask = (query: string) => {
    const n = ++asked;
    search.client.search(query, LIMIT).then(
      (a) => {
        // An older question answered late never replaces a newer one.
        if (n !== asked) return;
        setShown('chats', reconcile(a.chats, { key: 'chatId' }));
        setAnswer(a);
        setStatus(a.status);
        setFailed(null);
      },
      (e: unknown) => {
        if (n === asked) setFailed(e instanceof Error ? e.message : String(e));
      },
    );
  };
  createEffect(() => {
    ask(props.query);
    setActive(-1);
  });

  let refresh: ReturnType<typeof setTimeout> | null = null;
  const stop = search.onChange((s) => {
    setStatus(s);
    refresh ??= setTimeout(() => {
      refresh = null;
      ask(props.query);
    }, REFRESH_MS);
  });
  onCleanup(() => {
    stop();
    if (refresh) clearTimeout(refresh);
  });

  const items = () => [...list.querySelectorAll<HTMLButtonElement>('[data-testid="search-result"]')];
  const move = (by: number) => {
    const all = items();
    if (all.length === 0) return;
    const next = Math.max(0, Math.min(all.length - 1, active() + by));
    setActive(next);
    all[next]!.scrollIntoView({ block: 'nearest' });
  };
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    if (target?.dataset['testid'] !== 'chat-search' && !list.contains(target)) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (e.key === 'Enter' && target?.dataset['testid'] === 'chat-search' && active() >= 0) {
      e.preventDefault();
      items()[active()]?.click();
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  // The marked result: one pass over the rendered buttons when the mark or the results change.
  createEffect(() => {
    const at = active();
    answer();
    items().forEach((el, i) => el.classList.toggle('active', i === at));
  });

  const statusText = () => {
    const err = failed();
    if (err !== null) return `Search failed: ${err}`;
    const s = status();
    const a = answer();
    const building = s && !s.ready ? `Indexing… ${s.total > 0 ? Math.floor((100 * s.indexed) / s.total) : 0}%` : '';
    if (!a) return building || 'Searching…';
    const found = a.totalChats === 0 ? 'No results' : `${count(a.totalMessages, 'message')} in ${count(a.totalChats, 'chat')}`;
    return building ? `${building} · ${found}` : found;
  };

  return (
    // data-query: the question these results answer (the bench times input → results painted by it);
    // data-took: the worker's share of that time, "index ms,read ms".
    <div class="search-results" ref={list} data-query={answer()?.query ?? ''} data-took={took(answer())}>
      <p class="search-status muted small" data-testid="search-status" role="status">{statusText()}</p>
      <For each={shown.chats}>
        {(c) => (
          <section class="search-chat" classList={{ archived: c.archived }}>
            <button
              type="button"
              class="search-result search-title"
              data-testid="search-result"
              data-chat-id={c.chatId}
              onClick={() => props.onOpen(c.chatId, null)}
            >
              <span class="search-title-text"><Highlight m={c.title} /></span>
              <Show when={c.archived}><span class="search-badge">Archived</span></Show>
              <Show when={c.count > 0}><span class="search-count muted">{c.count}</span></Show>
            </button>
            <For each={c.messages}>
              {(m) => (
                <button
                  type="button"
                  class="search-result search-snippet"
                  data-testid="search-result"
                  data-chat-id={c.chatId}
                  data-message-id={m.messageId}
                  onClick={() => props.onOpen(c.chatId, m.messageId)}
                >
                  <span class="search-role muted">{m.role === 'user' ? 'You' : m.role === 'assistant' ? 'AI' : 'System'}</span>
                  <span><Highlight m={m.snippet} /></span>
                </button>
              )}
            </For>
          </section>
        )}
      </For>
    </div>
  );
}

const took = (a: SearchAnswer | null) => (a ? `${a.took.index.toFixed(1)},${a.took.read.toFixed(1)}` : '');
const count = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
