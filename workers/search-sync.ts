import type { IntervalTree, ObservabilitySet } from 'dexie';
import type { ParleyDb } from '../src/core/storage/db';
import type { Chat, Message } from '../src/core/storage/schema';
import type { LibraryIndex } from '../src/core/search/library-index';
import type { SearchStatus } from './search-api';

/** Messages read per step of the first build: small enough to yield often, big enough to be quick. */
const PAGE = 2000;
/** Changes are gathered this long before being applied: a streaming answer writes every ~250 ms. */
const SETTLE_MS = 150;
/** The comparison of chat ids and updatedAt runs at most this often (it reads every chat's keys). */
const RECONCILE_MS = 5000;

export interface SearchSync {
  /** Reads the whole library into the index (once, at start), in pages. */
  build(): Promise<void>;
  /** A Dexie `storagemutated` report, from this worker or (over BroadcastChannel) any other tab or worker. */
  noteMutation(parts: ObservabilitySet): void;
  /**
   * Compares chat ids and updatedAt with the index and catches up whatever the change reports missed
   * (rows written without Dexie, a tab closed mid-report, imports that keep an old updatedAt:
   * they are new chat ids). Runs at most every few seconds unless `force`.
   */
  reconcile(force?: boolean): Promise<void>;
  /** Applies gathered changes now (tests; the timer does it otherwise). */
  flush(): Promise<void>;
  status(): SearchStatus;
  close(): void;
}

export interface SyncOptions {
  /** Called when the index changed or the build progressed. */
  onChange(status: SearchStatus): void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

const chatInfo = (c: Chat) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, archived: !!c.archived, tags: c.tags ?? [] });
/** A message still streaming is indexed when it ends (its last write), never per token. */
const indexable = (m: Message) => m.status !== 'streaming';

export function createSearchSync(db: ParleyDb, index: LibraryIndex, opts: SyncOptions): SearchSync {
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const status: SearchStatus = { ready: false, indexed: 0, total: 0 };
  const changedChats = new Set<string>();
  const changedMessages = new Set<string>();
  let everything = false;
  let timer: unknown = null;
  let building: Promise<void> | null = null;
  let applying: Promise<void> = Promise.resolve();
  let lastReconcile = -Infinity;
  let closed = false;
  const part = (table: string) => `idb://${db.name}/${table}/`;

  const schedule = () => {
    if (timer === null && !closed) timer = setTimer(() => {
      timer = null;
      void flush();
    }, SETTLE_MS);
  };

  async function indexChatMessages(chatId: string): Promise<void> {
    const rows = await db.messages.where('chatId').equals(chatId).toArray();
    const present = new Set(rows.map((m) => m.id));
    for (const id of index.messagesOf(chatId)) if (!present.has(id)) index.removeMessage(id);
    for (const m of rows) if (indexable(m)) index.upsertMessage(m);
  }

  async function build(): Promise<void> {
    if (building) return building;
    building = (async () => {
      const chats = await db.chats.toArray();
      status.total = await db.messages.count();
      index.beginBulk();
      try {
        for (const c of chats) index.upsertChat(chatInfo(c));
        let after: string | null = null;
        for (;;) {
          const page: Message[] = await (after === null ? db.messages.orderBy(':id') : db.messages.where(':id').above(after)).limit(PAGE).toArray();
          if (page.length === 0 || closed) break;
          for (const m of page) if (indexable(m)) index.upsertMessage(m);
          after = page[page.length - 1]!.id;
          status.indexed += page.length;
          status.total = Math.max(status.total, status.indexed);
          opts.onChange({ ...status });
        }
      } finally {
        index.endBulk();
      }
      status.ready = true;
      status.indexed = status.total;
      lastReconcile = -Infinity;
      // Changes reported while building, and anything written without a report.
      await flush();
      await reconcile(true);
      opts.onChange({ ...status });
    })();
    return building;
  }

  function noteMutation(parts: ObservabilitySet): void {
    if (closed) return;
    const chats = parts[part('chats')];
    const messages = parts[part('messages')];
    if (parts['all'] !== undefined) everything = true;
    if (chats && !collectKeys(chats, changedChats)) everything = true;
    if (messages && !collectKeys(messages, changedMessages)) everything = true;
    if (chats || messages || everything) schedule();
  }

  async function apply(): Promise<void> {
    if (everything) {
      everything = false;
      changedChats.clear();
      changedMessages.clear();
      // A range was written (a table cleared, say): compare every chat and reread all messages.
      await reconcile(true);
      await rescanMessages();
      opts.onChange({ ...status });
      return;
    }
    const chatIds = [...changedChats];
    const messageIds = [...changedMessages];
    changedChats.clear();
    changedMessages.clear();
    if (chatIds.length === 0 && messageIds.length === 0) return;
    const [chats, messages] = await Promise.all([db.chats.bulkGet(chatIds), db.messages.bulkGet(messageIds)]);
    chatIds.forEach((id, i) => {
      const c = chats[i];
      if (c) index.upsertChat(chatInfo(c));
      else index.removeChat(id);
    });
    messageIds.forEach((id, i) => {
      const m = messages[i];
      if (!m) index.removeMessage(id);
      else if (indexable(m)) index.upsertMessage(m);
    });
    // A chat new to the index whose messages were written before this worker listened.
    for (const c of chats) if (c && index.messagesOf(c.id).length === 0) await indexChatMessages(c.id);
    opts.onChange({ ...status });
  }

  function flush(): Promise<void> {
    if (!status.ready) return Promise.resolve();
    applying = applying.then(apply, apply);
    return applying;
  }

  /** Reads every message again in pages (as the build does) and drops the ones gone. */
  async function rescanMessages(): Promise<void> {
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page: Message[] = await (after === null ? db.messages.orderBy(':id') : db.messages.where(':id').above(after)).limit(PAGE).toArray();
      if (page.length === 0 || closed) break;
      for (const m of page) {
        seen.add(m.id);
        if (indexable(m)) index.upsertMessage(m);
      }
      after = page[page.length - 1]!.id;
    }
    for (const id of index.messageIds()) if (!seen.has(id)) index.removeMessage(id);
  }

  async function reconcile(force = false): Promise<void> {
    if (!status.ready || closed) return;
    if (!force && now() - lastReconcile < RECONCILE_MS) return;
    lastReconcile = now();
    // Keys only (ids and updatedAt from the updatedAt index, in the same order): no row is
    // read unless it is new or changed, so this stays cheap with 10,000 chats.
    const [ids, stamps] = await db.transaction('r', db.chats, () =>
      Promise.all([db.chats.orderBy('updatedAt').primaryKeys(), db.chats.orderBy('updatedAt').keys()]),
    );
    const seen = new Set<string>(ids);
    const stale = ids.filter((id, i) => index.chat(id)?.updatedAt !== stamps[i]);
    let changed = stale.length > 0;
    for (const c of await db.chats.bulkGet(stale)) {
      if (!c) continue;
      index.upsertChat(chatInfo(c));
      await indexChatMessages(c.id);
    }
    for (const id of index.chatIds()) {
      if (!seen.has(id)) {
        index.removeChat(id);
        changed = true;
      }
    }
    if (changed) opts.onChange({ ...status });
  }

  return {
    build,
    noteMutation,
    reconcile,
    flush,
    status: () => ({ ...status }),
    close: () => {
      closed = true;
      if (timer !== null) clearTimer(timer);
    },
  };
}

/**
 * The keys of a Dexie range set (a tree of [from, to] ranges; a single key is from === to).
 * Returns false when it holds a real range: then the changed keys are not known one by one.
 */
export function collectKeys(node: IntervalTree | null | undefined, into: Set<string>): boolean {
  if (!node || !('from' in node)) return true;
  if (typeof node.from !== 'string' || node.from !== node.to) return false;
  into.add(node.from);
  return collectKeys(node.l, into) && collectKeys(node.r, into);
}
