import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { useApp } from '../app-context';
import { sendTurn } from '../../core/storage/chats';
import { sameIds } from './chat-layout';
import { createChatView, createMessageRows } from './chat-source';
import type { NewImage } from '../../core/storage/message-images';
import type { Message, MessageContext } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import { MessageView } from './MessageView';
import { Composer } from './Composer';
import { ModelSelect } from './ModelSelect';
import { EmptyState } from './EmptyState';
import { PICK_A_MODEL, sameModel, type ModelRef } from '../stores/models';
import { Icon } from './Icon';
import { AnswerColumns } from './AnswerColumns';
import { createTreeActions } from '../stores/tree-actions';
import { ChatControls, createChatDraft } from './ChatControls';
import { TemporaryBanner, TemporaryToggle } from './TemporaryToggle';
import { createReveal } from './reveal-message';
import { showBranch } from '../../core/storage/tree-ops';
import { FollowUpsContext } from './FollowUps';
import { createLaunchTarget, type LaunchTarget } from '../launch/launch-target';
import { createChatKnowledge } from '../knowledge/chat-knowledge';

/** Messages a chat paints first: what fits a screen, so a long chat shows its end at once. */
const FIRST = 8;
/** Messages that join at a time as the reader nears the top: one frame's worth of rendering. */
const STEP = 6;
/** Rows are read in blocks of this many branch positions, each its own live query (see chat-source.ts). */
const BLOCK = 24;
/** How far outside the viewport messages stay rendered; further ones become empty boxes of their height. */
const KEEP_PX = 2000;
/** How close to the top the reader gets before older messages join. */
const NEAR_TOP_PX = 1200;

/** One chat: its visible branch, the model picker and the composer. chatId null = a new chat. */
export function ChatView(props: { onMenu: () => void; onLaunchTarget?: (t: LaunchTarget, on: boolean) => void }) {
  const app = useApp();
  const [streams, streamActions] = app.streams;
  const [picked, setPicked] = createSignal<ModelRef[] | null>(null);
  // System prompt and params chosen for a new chat before its first message creates it.
  const draft = createChatDraft();

  const onError = (e: unknown) => app.toast.show('error', toAppError(e, 'storage').message);
  const { rows, seed, follow } = createMessageRows(app.db, () => app.route.chatId(), onError);
  const view = createChatView(app.db, () => app.route.chatId(), seed, onError);

  // A long chat opens with its latest messages; older ones join as the reader nears the top.
  const [windowSize, setWindowSize] = createSignal(FIRST);
  const branchIds = createMemo(() => view()?.branch.map((n) => n.id) ?? [], undefined, { equals: sameIds });
  const hiddenAbove = () => Math.max(0, branchIds().length - windowSize());
  // Messages added at the end (a new turn) widen the window, so none drops off its top.
  createEffect(
    on(branchIds, (ids, prev) => {
      if (prev && prev.length > 0 && ids.length > prev.length && prev.every((id, i) => ids[i] === id)) {
        setWindowSize((w) => w + ids.length - prev.length);
      }
    }),
  );

  // The rows of the messages shown (and of one block above them), one live query per block.
  // Ids of messages rendered as empty boxes, with their measured heights (see observeSlot).
  const [collapsed, setCollapsed] = createStore<Record<string, number>>({});
  const blocks = createMemo(
    () => {
      if (view()?.partial) return [];
      const ids = branchIds();
      const cols = view()?.columns;
      const out: string[][] = [];
      const from = Math.floor(Math.max(0, hiddenAbove() - BLOCK) / BLOCK) * BLOCK;
      for (let at = from; at < ids.length; at += BLOCK) {
        out.push(ids.slice(at, at + BLOCK).flatMap((id) => cols?.get(id) ?? [id]));
      }
      return out;
    },
    [],
    { equals: (a, b) => a.length === b.length && a.every((x, i) => sameIds(x, b[i]!)) },
  );
  follow(blocks, () => {
    if (nearTop) requestAnimationFrame(showOlder);
  });
  createEffect(
    on(
      () => app.route.chatId(),
      () => {
        setWindowSize(FIRST);
        setCollapsed(reconcile({}));
      },
    ),
  );
  const row = (id: string | undefined): Message | undefined => (id ? rows[id] : undefined);

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

  // A URL's parameters (`?q=…&models=…`) drive this view through these (see launch/run-launch.ts).
  const launch = createLaunchTarget(props, { models, setModels: setPicked });
  const actions = createTreeActions(app, model);
  // The "regenerate last" keyboard shortcut (App owns the keys; the chat owns the tree).
  const regenerateLast = () => {
    const last = row([...(view()?.branch ?? [])].reverse().find((m) => m.role === 'assistant')?.id);
    if (last && last.status !== 'streaming') void actions.regenerate(last);
  };
  window.addEventListener('parley:regenerate-last', regenerateLast);
  onCleanup(() => window.removeEventListener('parley:regenerate-last', regenerateLast));

  const leaf = () => row(branchIds()[branchIds().length - 1]);
  const running = () => {
    const l = leaf();
    return !!l && l.status === 'streaming' && streams.isRunning(l.id);
  };

  const knowledge = createChatKnowledge(app, () => view()?.chat);

  const send = async (text: string, images: NewImage[], context: readonly MessageContext[] = [], files: readonly File[] = []): Promise<boolean> => {
    const [m, ...more] = models();
    if (!m) {
      app.toast.show('error', PICK_A_MODEL);
      return false;
    }
    try {
      const also = more.map((x) => ({ model: x.id, connectionId: x.connectionId }));
      const sent = await sendTurn(app.db, { chatId: app.route.chatId(), content: text, model: m.id, connectionId: m.connectionId, now: Date.now(), also, images, context, ...draft[0]() });
      const isNew = !app.route.chatId();
      // A new chat takes the knowledge chosen before it existed, before its answer starts.
      if (isNew) await knowledge.adopt(sent.chatId).then(() => app.route.open(sent.chatId));
      // The rows just written show with the turn's structure, not one read later.
      seed(sent.rows);
      // Files for this message are indexed first, so the answer can draw on them.
      knowledge.withFiles(sent.chatId, sent.userId, files, () => { for (const id of sent.assistantIds) void streamActions.run(sent.chatId, id); });
      return true;
    } catch (e) {
      app.toast.show('error', `Could not save your message: ${toAppError(e, 'storage').message}`);
      return false;
    }
  };

  // Older messages join STEP at a time (and only those whose rows are read), with the scroll
  // position kept where the reader is; while the top stays in reach, again on the next frame.
  let nearTop = false;
  function showOlder() {
    const ids = branchIds();
    const hidden = hiddenAbove();
    let ready = 0;
    while (ready < STEP && ready < hidden && row(ids[hidden - 1 - ready])) ready++;
    if (ready === 0) return;
    // The first message on screen is the anchor: wherever the browser's own scroll anchoring
    // puts it (it does at some offsets, not at 0), it ends where it was.
    const anchor = content.querySelector('.msg-slot');
    const offset = () => (anchor ? anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top : 0);
    const before = offset();
    setWindowSize((w) => w + ready);
    // Solid has updated the DOM by now.
    scroller.scrollTop += offset() - before;
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
      { root: scroller, rootMargin: `${NEAR_TOP_PX}px 0px 0px 0px` },
    );
    io.observe(el);
    onCleanup(() => io.disconnect());
  };
  const shown = createMemo(() => {
    const ids = branchIds();
    const hidden = hiddenAbove();
    return hidden === 0 ? ids : ids.slice(hidden);
  });

  // Messages far outside the viewport are unmounted and leave an empty box of the height they
  // had, so a long chat costs layout and paint for what is near the screen only. Heights are
  // measured, never guessed: every message is rendered once when it joins.
  let far: IntersectionObserver | undefined;
  const observeSlot = (el: HTMLElement) => {
    far ??= new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset['slot']!;
          if (e.isIntersecting) {
            if (collapsed[id] !== undefined) setCollapsed(id, undefined!);
          } else if (collapsed[id] === undefined && e.target.isConnected && e.boundingClientRect.height > 0 && !e.target.contains(document.activeElement)) {
            setCollapsed(id, e.boundingClientRect.height);
          }
        }
      },
      { root: scroller, rootMargin: `${KEEP_PX}px 0px` },
    );
    far.observe(el);
    onCleanup(() => far?.unobserve(el));
  };
  onCleanup(() => far?.disconnect());

  // Follow a growing answer while the reader is at the bottom. The check runs in a
  // ResizeObserver callback, after the browser's own layout, so reading scrollHeight there is
  // free; reading it right after each render would force an extra layout per frame.
  let scroller!: HTMLDivElement;
  let content!: HTMLDivElement;
  //
  // Whether the reader is at the bottom comes from an IntersectionObserver on a mark after the
  // last message, not from a scroll handler: observers run after ResizeObserver in the same
  // frame, so a growth that has just been followed is never mistaken for the reader scrolling
  // up, and no scroll event forces a layout to measure.
  let stick = true;
  const toBottom = () => {
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  };
  const watchBottom = (el: HTMLElement) => {
    const io = new IntersectionObserver((entries) => { stick = entries[entries.length - 1]!.isIntersecting; }, { root: scroller, rootMargin: '0px 0px 80px 0px' });
    io.observe(el);
    onCleanup(() => io.disconnect());
  };
  onMount(() => {
    const ro = new ResizeObserver(toBottom);
    ro.observe(content);
    onCleanup(() => ro.disconnect());
  });
  createEffect(on(() => app.route.chatId(), () => { stick = true; }));
  // Search results open a chat at one message.
  createReveal({
    chatId: () => app.route.chatId(),
    view,
    branchIds,
    showBranch: (chatId, id) => showBranch(app.db, chatId, id),
    showLast: (n) => setWindowSize((w) => Math.max(w, n)),
    unstick: () => { stick = false; },
    scroller: () => scroller,
  });

  return (
    <section class="chat">
      <header class="chat-head">
        <button class="icon-btn only-narrow" aria-label="Open sidebar" onClick={props.onMenu}><Icon name="menu" size={18} /></button>
        <ModelSelect value={model()} values={models()} onChange={(m) => { setPicked([m]); app.setDefaultModel(m); }} onAdd={toggleAlso} controls={launch.picker} />
        <span class="chat-title" title={view()?.chat?.title ?? ''}>{view()?.chat?.title ?? ''}</span>
        <TemporaryToggle hasChat={!!view()?.chat} />
        <ChatControls chat={view()?.chat ?? null} draft={draft} />
      </header>
      <TemporaryBanner />
      {/* Follow-up questions under the last answer send like the composer (see FollowUps.tsx). */}
      <FollowUpsContext.Provider value={{ leafId: () => view()?.chat?.currentId ?? null, send: (text) => void send(text, []) }}>
      <div class="messages" ref={scroller}>
        <div class="messages-inner" ref={content}>
          <Show when={hiddenAbove() > 0 && !view()?.partial}>
            <button class="btn small load-older" data-testid="messages-older" ref={watchTop} onClick={showOlder}>
              {hiddenAbove()} earlier messages
            </button>
          </Show>
          <Show when={branchIds().length} fallback={<EmptyState />}>
            <div class="msg-list">
            <For each={shown()}>
              {(id) => (
                <div
                  class="msg-slot"
                  data-slot={id}
                  ref={observeSlot}
                  style={collapsed[id] !== undefined ? { height: `${collapsed[id]}px` } : undefined}
                >
                  <Show when={collapsed[id] === undefined && row(id)}>
                    {(m) => (
                      <Show
                        when={view()?.columns.get(id)}
                        fallback={<MessageView message={m()} place={view()?.places.get(id)} actions={actions} />}
                      >
                        {(cols) => (
                          <AnswerColumns
                            columns={cols().map(row).filter((r): r is Message => !!r)}
                            chosenId={id}
                            places={view()?.places}
                            actions={actions}
                          />
                        )}
                      </Show>
                    )}
                  </Show>
                </div>
              )}
            </For>
            <div class="messages-end" ref={watchBottom} />
            </div>
          </Show>
        </div>
      </div>
      </FollowUpsContext.Provider>
      <Composer
        disabled={!model()}
        running={running()}
        onSend={send}
        knowledge={knowledge.controls()}
        controls={launch.composer}
        onStop={() => { const l = leaf(); if (l) void streamActions.stop(l.id); }}
      />
    </section>
  );
}
