import { batch, createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { liveQuery } from 'dexie';
import type { ParleyDb } from '../../core/storage/db';
import type { Message } from '../../core/storage/schema';
import { chatNodes, repairNodes } from '../../core/storage/message-rows';
import { PEEK_ROWS, takePeek } from '../stores/chat-peek';
import { createLiveQuery } from '../live-query';
import { EMPTY, layoutChat, type ChatData } from './chat-layout';

/**
 * The rows of the messages on screen, by id. They are emptied when the chat changes; `follow`
 * reads them block by block, one live query per block: a streaming write to one message re-reads
 * its block, not the chat. Dexie hands out new objects on every change (the engine writes a
 * streaming message every 250 ms); reconciling by id keeps each MessageView, and its markdown
 * renderer, alive.
 */
export function createMessageRows(db: ParleyDb, chatId: Accessor<string | null>, onError: (e: unknown) => void) {
  const [rows, setRows] = createStore<Record<string, Message>>({});
  createEffect(on(chatId, () => setRows(reconcile({}))));
  /** Rows known before their block is read (a chat's first look, a turn just written). */
  const seed = (list: readonly Message[]) =>
    batch(() => {
      for (const m of list) if (!rows[m.id]) setRows(m.id, m);
    });
  const follow = (blocks: Accessor<string[][]>, onRows: () => void) => {
    const subscriptions = new Map<string, { unsubscribe(): void }>();
    createEffect(() => {
      // Keyed by the chat too. The store above is emptied on every change of chat, and a live
      // query only answers again when its rows change: a block kept across a change of chat
      // (the same ids back after New chat and the browser's Back) would leave its messages
      // unread for good. So a change of chat reads every block afresh.
      const chat = chatId();
      const want = new Map(blocks().map((ids) => [`${chat}:${ids.join(' ')}`, ids]));
      for (const [key, sub] of subscriptions) {
        if (!want.has(key)) {
          sub.unsubscribe();
          subscriptions.delete(key);
        }
      }
      for (const [key, ids] of want) {
        if (subscriptions.has(key)) continue;
        const sub = liveQuery(() => db.messages.bulkGet(ids)).subscribe({
          next: (list) => {
            batch(() => {
              for (const m of list) if (m) setRows(m.id, reconcile(m));
            });
            onRows();
          },
          error: onError,
        });
        subscriptions.set(key, sub);
      }
    });
    onCleanup(() => {
      for (const sub of subscriptions.values()) sub.unsubscribe();
    });
  };
  return { rows, seed, follow };
}

/**
 * The structure of the chat the route names (its branch, places, columns), from its nodes: small
 * rows, untouched by a streaming answer's writes. A new chat (no id) is EMPTY at once; a chat
 * not yet read is undefined, or its first look (`partial`) — never the previous chat.
 */
export function createChatView(db: ParleyDb, chatId: Accessor<string | null>, seed: (rows: readonly Message[]) => void, onError: (e: unknown) => void): Accessor<ChatData | undefined> {
  // Each answer carries the id it was read for: until the query for a new route answers, the
  // signal still holds the previous route's answer, which must not be taken for this one.
  const data = createLiveQuery<{ id: string | null; data: ChatData } | undefined, string | null>(
    async (id) => {
      if (!id) return { id, data: EMPTY };
      const [chat, nodes] = await db.transaction('r', db.chats, db.nodes, () => Promise.all([db.chats.get(id), chatNodes(db, id)]));
      return { id, data: chat ? layoutChat(chat, nodes) : EMPTY };
    },
    undefined,
    onError,
    chatId,
  );
  const readFor = (id: string) => {
    const d = data();
    return d && d.id === id ? d.data : undefined;
  };
  // A first look at a chat, so a long one paints its end before its tree is read: the chat and
  // its newest rows, laid out as far as they reach from its current leaf. The tree replaces it.
  const [peek, setPeek] = createSignal<ChatData | undefined>();
  createEffect(
    on(chatId, (id) => {
      setPeek(undefined);
      if (!id) return;
      void takePeek(db, id, PEEK_ROWS)
        .then((p) => {
          if (!p || chatId() !== id || readFor(id)) return;
          batch(() => {
            seed(p.tail);
            setPeek({ ...layoutChat(p.chat, p.tail), partial: true });
          });
        })
        .catch(() => undefined);
    }),
  );
  const view = createMemo(() => {
    const id = chatId();
    if (!id) return EMPTY;
    const d = readFor(id);
    if (d) return d;
    const p = peek();
    return p && p.chat?.id === id ? p : undefined;
  });
  // Once a chat is on screen, check that its nodes agree with its messages (rows written by an
  // older version or by hand); a repair shows up through the query above.
  createEffect(
    on(
      () => data()?.data.chat?.id,
      (id) => {
        if (id) void repairNodes(db, id).catch(onError);
      },
    ),
  );
  return view;
}
