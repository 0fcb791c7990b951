import Dexie, { type ObservabilitySet } from 'dexie';
import type { ParleyDb } from '../src/core/storage/db';
import { LibraryIndex } from '../src/core/search/library-index';
import { parseQuery } from '../src/core/search/parse-query';
import { makeSnippet, markMatches } from '../src/core/search/snippet';
import { MessageRows } from './search-rows';
import { collectKeys, createSearchSync, type SyncOptions } from './search-sync';
import type { ChatResult, SearchAnswer, SearchApi, SearchStatus } from './search-api';

/** Quiet time after a query before the chat rows are compared with the index. */
const IDLE_MS = 1000;
/** Chats whose results show up to three snippets; the others show one. */
const FULL_CHATS = 10;

export interface SearchService extends SearchApi {
  /** Resolves when the first build is over. */
  ready(): Promise<void>;
  /** Applies the change reports gathered so far and compares chat rows now (tests). */
  settle(): Promise<void>;
  close(): void;
}

/**
 * The search worker's logic, testable in node: an in-memory index of the library, built
 * in the background when created and kept current from Dexie's change reports (which reach
 * this worker from every tab and worker over BroadcastChannel) plus a periodic comparison
 * of chat rows. A query never rebuilds anything: it reads the index, then reads back the
 * few messages it shows (a row gone since, the chat or message deleted, is dropped).
 */
export function createSearchService(db: ParleyDb, opts: Omit<SyncOptions, 'onChange'> & { heap?: () => number; clock?: () => number } = {}): SearchService {
  const clock = opts.clock ?? (() => performance.now());
  const index = new LibraryIndex();
  const listeners = new Set<(s: SearchStatus) => void>();
  const sync = createSearchSync(db, index, { ...opts, onChange: (s) => listeners.forEach((l) => l(s)) });
  const rows = new MessageRows(db);
  const onMutation = (parts: ObservabilitySet) => {
    sync.noteMutation(parts);
    const messages = parts[`idb://${db.name}/messages/`];
    if (parts['all'] !== undefined) rows.clear();
    else if (messages) {
      const ids = new Set<string>();
      if (collectKeys(messages, ids)) rows.forget(ids);
      else rows.clear();
    }
  };
  Dexie.on('storagemutated', onMutation);
  const built = sync.build();
  // The comparison with chat rows (catching what change reports missed) runs once typing
  // pauses, so it never shares the worker with a keystroke's query.
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let idle: unknown = null;
  const reconcileWhenIdle = () => {
    if (idle !== null) clearTimer(idle);
    idle = setTimer(() => {
      idle = null;
      void sync.reconcile();
    }, IDLE_MS);
  };

  async function search(query: string, limit: number): Promise<SearchAnswer> {
    reconcileWhenIdle();
    const q = parseQuery(query);
    const status = sync.status();
    const empty: SearchAnswer = { query, status, chats: [], totalChats: 0, totalMessages: 0, took: { index: 0, read: 0 } };
    if (q.terms.length === 0 && q.tags.length === 0) return empty;
    const t0 = clock();
    const hits = index.search(q, limit);
    const t1 = clock();
    // Snippets: up to three for the first chats, one for the rest (each is a row read back).
    const wanted = hits.chats.map((c, i) => c.messageIds.slice(0, i < FULL_CHATS ? 3 : 1));
    const ids = wanted.flat();
    // Chat rows are read every time: they are few, and they say whether the chat is still there.
    const [byId, chatRows] = await Promise.all([rows.get(ids), db.chats.bulkGet(hits.chats.map((c) => c.chatId))]);
    let gone = 0;
    const chats: ChatResult[] = [];
    hits.chats.forEach((h, i) => {
      const row = chatRows[i];
      if (!row) {
        gone += h.count;
        return;
      }
      const messages = wanted[i]!.flatMap((id) => {
        const m = byId.get(id);
        if (!m || m.chatId !== h.chatId) return [];
        return [{ messageId: m.id, role: m.role, snippet: makeSnippet(m.content, q.terms) }];
      });
      const lost = wanted[i]!.length - messages.length;
      gone += lost;
      if (!h.titleMatch && messages.length === 0 && q.terms.length > 0) return;
      chats.push({
        chatId: h.chatId,
        title: { text: row.title, ranges: markMatches(row.title, q.terms) },
        archived: !!row.archived,
        updatedAt: row.updatedAt,
        count: h.count - lost,
        titleMatch: h.titleMatch,
        messages,
      });
    });
    // Rows found missing: the change report is on its way; make the next answer right too.
    if (gone > 0) void sync.reconcile(true);
    const took = { index: t1 - t0, read: clock() - t1 };
    return { query, status, chats, took, totalChats: hits.totalChats - (hits.chats.length - chats.length), totalMessages: Math.max(0, hits.totalMessages - gone) };
  }

  return {
    search,
    watch: async (onChange) => {
      listeners.add(onChange);
    },
    status: async () => sync.status(),
    memory: async () => ({ usedHeap: opts.heap?.() ?? 0, messages: index.messageCount, words: index.wordCount }),
    ready: () => built,
    settle: async () => {
      await sync.flush();
      await sync.reconcile(true);
    },
    close: () => {
      Dexie.on.storagemutated.unsubscribe(onMutation);
      if (idle !== null) clearTimer(idle);
      sync.close();
      listeners.clear();
    },
  };
}
