import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import { branchFrom, sendTurn } from '../../core/storage/chats';
import type { NewImage } from '../../core/storage/message-images';
import type { Chat, Message } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import { MessageView } from './MessageView';
import { Composer } from './Composer';
import { ModelSelect } from './ModelSelect';
import { EmptyState } from './EmptyState';
import { sameModel, type ModelRef } from '../stores/models';
import { Icon } from './Icon';
import { answerColumns, childrenByParent, siblingPlace, slotPlace, type SiblingPlace } from '../../core/tree/tree';
import { AnswerColumns } from './AnswerColumns';
import { createTreeActions } from '../stores/tree-actions';
import { ChatControls, createChatDraft } from './ChatControls';

/** Messages a chat paints first: what fits a screen, so a long chat shows its end at once. */
const FIRST = 8;
/** Rows read for the first look at a chat (its newest; enough for the first paint). */
const PEEK_ROWS = 24;
/** How many messages join each time the reader nears the top (and right after the first paint). */
const WINDOW = 40;

interface ChatData {
  chat: Chat | null;
  branch: Message[];
  /** Where each message of the branch stands among its siblings (for ‹ 2/3 ›). */
  places: Map<string, SiblingPlace>;
  /** For an answer of the branch given by several models at once: every model's answer, side by side. */
  columns: Map<string, Message[]>;
  /** The models that answered the last question (the set the next question goes to). */
  lastModels: ModelRef[];
}

const EMPTY: ChatData = { chat: null, branch: [], places: new Map(), columns: new Map(), lastModels: [] };

/** The branch and, for each turn answered by several models, its columns, with ‹ › per column. */
function layoutChat(chat: Chat, all: Message[]): ChatData {
  const branch = branchFrom(new Map(all.map((m) => [m.id, m])), chat.currentId);
  const tree = childrenByParent(all);
  const places = new Map<string, SiblingPlace>();
  const columns = new Map<string, Message[]>();
  for (const m of branch) {
    const cols = m.role === 'assistant' ? answerColumns(tree, m) : null;
    if (cols) {
      columns.set(m.id, cols);
      for (const c of cols) places.set(c.id, slotPlace(tree, c));
    } else {
      places.set(m.id, siblingPlace(tree, m));
    }
  }
  const lastAnswer = [...branch].reverse().find((m) => m.role === 'assistant' && m.model);
  const lastTurn = lastAnswer ? (columns.get(lastAnswer.id) ?? [lastAnswer]) : [];
  const lastModels = lastTurn.filter((m) => m.model).map((m) => ({ id: m.model, connectionId: m.connectionId }));
  return { chat, branch, places, columns, lastModels };
}

/** One chat: its visible branch, the model picker and the composer. chatId null = a new chat. */
export function ChatView(props: { onMenu: () => void }) {
  const app = useApp();
  const [streams, streamActions] = app.streams;
  const [picked, setPicked] = createSignal<ModelRef[] | null>(null);
  // System prompt and params chosen for a new chat before its first message creates it.
  const draft = createChatDraft();

  const data = createLiveQuery<ChatData | undefined, string | null>(
    async (id) => {
      if (!id) return EMPTY;
      return app.db.transaction('r', app.db.chats, app.db.messages, async () => {
        const chat = (await app.db.chats.get(id)) ?? null;
        if (!chat) return EMPTY;
        const all = await app.db.messages.where('[chatId+createdAt]').between([id, -Infinity], [id, Infinity]).toArray();
        return layoutChat(chat, all);
      });
    },
    undefined,
    (e) => app.toast.show('error', toAppError(e, 'storage').message),
    () => app.route.chatId(),
  );
  // Until the new chat's rows arrive, show nothing rather than the previous chat.
  // A quick first look at a chat: its newest rows only, so a long chat paints its end before
  // the whole tree has been read. The full read replaces it as soon as it arrives.
  const [peek, setPeek] = createSignal<ChatData | undefined>();
  createEffect(
    on(
      () => app.route.chatId(),
      (id) => {
        setPeek(undefined);
        if (!id) return;
        void (async () => {
          const chat = await app.db.chats.get(id);
          const tail = await app.db.messages.where('[chatId+createdAt]').between([id, -Infinity], [id, Infinity]).reverse().limit(PEEK_ROWS).toArray();
          if (chat && app.route.chatId() === id && data()?.chat?.id !== id) setPeek(layoutChat(chat, tail));
        })().catch(() => undefined);
      },
    ),
  );
  const view = createMemo(() => {
    const id = app.route.chatId();
    const d = data();
    if (d && !(id && d.chat && d.chat.id !== id)) return d;
    const p = peek();
    return p && p.chat?.id === id ? p : undefined;
  });

  // Dexie hands out new objects on every change (the engine writes a streaming message every
  // 250 ms); reconciling by id keeps each MessageView, and its markdown renderer, alive.
  const [branch, setBranch] = createStore<Message[]>([]);
  createEffect(() => setBranch(reconcile(view()?.branch ?? [], { key: 'id' })));
  // The same for the answers shown side by side.
  const [columnRows, setColumnRows] = createStore<Message[]>([]);
  createEffect(() => setColumnRows(reconcile([...(view()?.columns.values() ?? [])].flat(), { key: 'id' })));
  const columnsOf = (id: string): Message[] => {
    const ids = view()?.columns.get(id)?.map((c) => c.id) ?? [];
    return ids.map((cid) => columnRows.find((r) => r.id === cid)).filter((r): r is Message => !!r);
  };

  // The models the next question goes to: the ones picked here, else those that answered
  // the chat's last question, else the default.
  createEffect(on(() => app.route.chatId(), () => setPicked(null)));
  const models = createMemo((): ModelRef[] => {
    const p = picked() ?? (view()?.lastModels.length ? view()!.lastModels : null);
    if (p) return p;
    const d = app.defaultModel();
    if (d) return [d];
    const first = app.models[0].list().models[0];
    return first ? [{ id: first.id, connectionId: first.connectionId }] : [];
  });
  const model = (): ModelRef | null => models()[0] ?? null;
  /** "+" in the picker: asks that model too (or no longer, when it was asked already). */
  const toggleAlso = (m: ModelRef) => {
    const now = models();
    const has = now.some((x) => sameModel(x, m));
    const next = has ? now.filter((x) => !sameModel(x, m)) : [...now, m];
    if (next.length > 0) setPicked(next);
  };

  const actions = createTreeActions(app, model);
  // The "regenerate last" keyboard shortcut (App owns the keys; the chat owns the tree).
  const regenerateLast = () => {
    const last = [...(view()?.branch ?? [])].reverse().find((m) => m.role === 'assistant');
    if (last && last.status !== 'streaming') void actions.regenerate(last);
  };
  window.addEventListener('parley:regenerate-last', regenerateLast);
  onCleanup(() => window.removeEventListener('parley:regenerate-last', regenerateLast));

  const leaf = () => {
    const b = view()?.branch ?? [];
    return b[b.length - 1];
  };
  const running = () => {
    const l = leaf();
    return !!l && l.status === 'streaming' && streams.isRunning(l.id);
  };

  const send = async (text: string, images: NewImage[]): Promise<boolean> => {
    const [m, ...more] = models();
    if (!m) {
      app.toast.show('error', 'Pick a model first (add a connection in Settings if the list is empty).');
      return false;
    }
    try {
      const also = more.map((x) => ({ model: x.id, connectionId: x.connectionId }));
      const sent = await sendTurn(app.db, { chatId: app.route.chatId(), content: text, model: m.id, connectionId: m.connectionId, now: Date.now(), also, images, ...draft[0]() });
      if (!app.route.chatId()) app.route.open(sent.chatId);
      for (const id of sent.assistantIds) void streamActions.run(sent.chatId, id);
      return true;
    } catch (e) {
      app.toast.show('error', `Could not save your message: ${toAppError(e, 'storage').message}`);
      return false;
    }
  };

  // A long chat opens with its latest WINDOW messages; older ones join as the reader nears
  // the top, WINDOW at a time, with the scroll position kept where the reader is.
  const [windowSize, setWindowSize] = createSignal(FIRST);
  createEffect(on(() => app.route.chatId(), () => setWindowSize(FIRST)));
  // Once the first messages are painted, the rest of the first window joins above them.
  createEffect(
    on(
      () => branch.length > FIRST && windowSize() === FIRST,
      (more) => {
        if (more) requestAnimationFrame(() => requestAnimationFrame(() => { if (windowSize() === FIRST) showOlder(); }));
      },
    ),
  );
  const hiddenAbove = () => Math.max(0, branch.length - windowSize());
  const shown = createMemo(() => (hiddenAbove() === 0 ? branch : branch.slice(hiddenAbove())));
  let nearTop = false;
  function showOlder() {
    if (hiddenAbove() === 0) return;
    // The first message on screen is the anchor: wherever the browser's own scroll anchoring
    // puts it (it does at some offsets, not at 0), it ends where it was.
    const anchor = content.querySelector('.message');
    const offset = () => (anchor ? anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top : 0);
    const before = offset();
    setWindowSize((w) => w + WINDOW);
    // Solid has updated the DOM by now.
    scroller.scrollTop += offset() - before;
    // Short messages may leave the top still in reach: keep going on the next frame.
    requestAnimationFrame(() => {
      if (nearTop) showOlder();
    });
  }
  const watchTop = (el: HTMLElement) => {
    const io = new IntersectionObserver(
      (entries) => {
        nearTop = entries.some((e) => e.isIntersecting);
        if (nearTop) showOlder();
      },
      { root: scroller, rootMargin: '800px 0px 0px 0px' },
    );
    io.observe(el);
    onCleanup(() => io.disconnect());
  };

  // Follow a growing answer while the reader is at the bottom. The check runs in a
  // ResizeObserver callback, after the browser's own layout, so reading scrollHeight there is
  // free; reading it right after each render would force an extra layout per frame.
  let scroller!: HTMLDivElement;
  let content!: HTMLDivElement;
  let stick = true;
  const onScroll = () => {
    stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  };
  const toBottom = () => {
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  };
  onMount(() => {
    const ro = new ResizeObserver(toBottom);
    ro.observe(content);
    onCleanup(() => ro.disconnect());
  });
  createEffect(on(() => app.route.chatId(), () => { stick = true; }));

  return (
    <section class="chat">
      <header class="chat-head">
        <button class="icon-btn only-narrow" aria-label="Open sidebar" onClick={props.onMenu}><Icon name="menu" size={18} /></button>
        <ModelSelect value={model()} values={models()} onChange={(m) => { setPicked([m]); app.setDefaultModel(m); }} onAdd={toggleAlso} />
        <span class="chat-title" title={view()?.chat?.title ?? ''}>{view()?.chat?.title ?? ''}</span>
        <ChatControls chat={view()?.chat ?? null} draft={draft} />
      </header>
      <div class="messages" ref={scroller} onScroll={onScroll}>
        <div class="messages-inner" ref={content}>
          <Show when={hiddenAbove() > 0}>
            <button class="btn small load-older" data-testid="messages-older" ref={watchTop} onClick={showOlder}>
              {hiddenAbove()} earlier messages
            </button>
          </Show>
          <Show when={branch.length} fallback={<EmptyState />}>
            <For each={shown()}>
              {(m) => (
                <Show
                  when={view()?.columns.has(m.id)}
                  fallback={<MessageView message={m} place={view()?.places.get(m.id)} actions={actions} />}
                >
                  <AnswerColumns columns={columnsOf(m.id)} chosenId={m.id} places={view()?.places} actions={actions} />
                </Show>
              )}
            </For>
          </Show>
        </div>
      </div>
      <Composer
        disabled={!model()}
        running={running()}
        onSend={send}
        onStop={() => { const l = leaf(); if (l) void streamActions.stop(l.id); }}
      />
    </section>
  );
}
