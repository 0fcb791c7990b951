import type { Marked } from '../src/core/search/snippet';

/** The search worker's surface (`search.worker.ts`); the UI imports it with `import type`. */

export interface SearchStatus {
  /** The first build is over: results cover the whole library. */
  ready: boolean;
  /** Messages read so far, of `total` (for "Indexing… 45%"). */
  indexed: number;
  total: number;
}

export interface MessageResult {
  messageId: string;
  role: 'system' | 'user' | 'assistant';
  snippet: Marked;
}

export interface ChatResult {
  chatId: string;
  title: Marked;
  archived: boolean;
  updatedAt: number;
  /** Matching messages in this chat (more than `messages` may show). */
  count: number;
  /** Every term is in the title. */
  titleMatch: boolean;
  messages: MessageResult[];
}

export interface SearchAnswer {
  query: string;
  status: SearchStatus;
  chats: ChatResult[];
  totalChats: number;
  totalMessages: number;
  /** Time spent in the worker, ms: matching in the index, then reading back rows and cutting snippets (bench figures). */
  took: { index: number; read: number };
}

export interface SearchApi {
  search(query: string, limit: number): Promise<SearchAnswer>;
  /** `onChange` is called when the index moves on (build progress, a change in the library): ask again. */
  watch(onChange: (status: SearchStatus) => void): Promise<void>;
  status(): Promise<SearchStatus>;
  /** Heap figures for the bench (bytes; 0 when the browser does not say). */
  memory(): Promise<{ usedHeap: number; messages: number; words: number }>;
}
