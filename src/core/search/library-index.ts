import { termMatches, type Query } from './parse-query';
import { fold, wordsOf } from './tokenize';
import { WordIndex } from './word-index';

/** What the index keeps of a chat (small: the message text is read back from storage for snippets). */
export interface ChatInfo {
  id: string;
  title: string;
  updatedAt: number;
  archived: boolean;
  tags: readonly string[];
}

export interface MessageInfo {
  id: string;
  chatId: string;
  content: string;
}

export interface ChatHit {
  chatId: string;
  title: string;
  /** Every term is in the title: these chats come first. */
  titleMatch: boolean;
  archived: boolean;
  updatedAt: number;
  /** Matching messages in this chat. */
  count: number;
  /** The first few of them, to show as snippets. */
  messageIds: string[];
}

export interface SearchHits {
  chats: ChatHit[];
  /** Over the whole library, not only the chats returned. */
  totalChats: number;
  totalMessages: number;
}

interface ChatEntry {
  info: ChatInfo;
  titleWords: string[];
  tags: string[];
}

/** Snippets shown per chat. */
const MESSAGES_PER_CHAT = 3;

/**
 * The library as the search sees it: chat titles and tags, and every message's text in a
 * `WordIndex` (one document per message). Kept up to date one chat or message at a time;
 * a message's words are replaced whole when it changes (remove, then add).
 * Only `content` is indexed: reasoning is hidden in a fold, and a jump to a message whose
 * match sits there would show nothing marked.
 *
 * Chats are numbered too (never reused), so a query counts hits per chat in typed arrays
 * rather than maps: a common word hits most of 200,000 messages.
 */
export class LibraryIndex {
  private words = new WordIndex();
  private chatNo = new Map<string, number>();
  /** By chat number: the entry (undefined until the chat row is known, or once removed), id, documents. */
  private chats: Array<ChatEntry | undefined> = [];
  private chatIdOf: string[] = [];
  private chatDocs: Array<Set<number>> = [];
  private known = 0;
  /** Chat number and message id of each document (index = document number). */
  private docChat: number[] = [];
  private docMessage: string[] = [];
  private byMessage = new Map<string, number>();

  upsertChat(info: ChatInfo): void {
    const no = this.numberOf(info.id);
    if (!this.chats[no]) this.known++;
    this.chats[no] = { info: { ...info, tags: [...info.tags] }, titleWords: [...wordsOf(info.title)], tags: info.tags.map(fold) };
  }

  /** Forgets a chat and all its messages. */
  removeChat(chatId: string): void {
    const no = this.chatNo.get(chatId);
    if (no === undefined) return;
    for (const d of [...this.chatDocs[no]!]) this.dropDoc(d);
    if (this.chats[no]) this.known--;
    this.chats[no] = undefined;
  }

  upsertMessage(m: MessageInfo): void {
    this.removeMessage(m.id);
    const no = this.numberOf(m.chatId);
    const doc = this.words.add(wordsOf(m.content));
    this.docChat[doc] = no;
    this.docMessage[doc] = m.id;
    this.byMessage.set(m.id, doc);
    this.chatDocs[no]!.add(doc);
  }

  removeMessage(id: string): void {
    const doc = this.byMessage.get(id);
    if (doc !== undefined) this.dropDoc(doc);
  }

  /** Many messages at once (the first build): see `WordIndex.beginBulk`. */
  beginBulk(): void {
    this.words.beginBulk();
  }

  endBulk(): void {
    this.words.endBulk();
  }

  chat(chatId: string): ChatInfo | undefined {
    const no = this.chatNo.get(chatId);
    return no === undefined ? undefined : this.chats[no]?.info;
  }

  chatIds(): string[] {
    return this.chats.flatMap((e) => (e ? [e.info.id] : []));
  }

  messageIds(): string[] {
    return [...this.byMessage.keys()];
  }

  hasMessage(id: string): boolean {
    return this.byMessage.has(id);
  }

  /** Ids of the messages indexed for a chat. */
  messagesOf(chatId: string): string[] {
    const no = this.chatNo.get(chatId);
    return no === undefined ? [] : [...this.chatDocs[no]!].map((d) => this.docMessage[d]!);
  }

  get messageCount(): number {
    return this.words.size;
  }

  get chatCount(): number {
    return this.known;
  }

  get wordCount(): number {
    return this.words.wordCount;
  }

  /**
   * Chats whose title holds every term, or with messages that do, filtered by tags. Title
   * matches first, then the most recently updated; archived chats after all others.
   */
  search(q: Query, limit: number): SearchHits {
    const n = this.chats.length;
    // 0: not shown (unknown chat, or tags not all there), 1: shown, 2: and its title matches.
    const state = new Uint8Array(n);
    const listAll = q.terms.length === 0 && q.tags.length > 0;
    for (let c = 0; c < n; c++) {
      const e = this.chats[c];
      if (!e || !q.tags.every((t) => e.tags.includes(t))) continue;
      state[c] = q.terms.length > 0 && q.terms.every((t) => e.titleWords.some((w) => termMatches(w, t))) ? 2 : 1;
    }
    const counts = new Int32Array(n);
    const picks = new Int32Array(n * MESSAGES_PER_CHAT);
    let totalMessages = 0;
    this.words.match(q.terms, (doc) => {
      const c = this.docChat[doc]!;
      if (state[c] === 0) return;
      const k = counts[c]!++;
      if (k < MESSAGES_PER_CHAT) picks[c * MESSAGES_PER_CHAT + k] = doc;
      totalMessages++;
    });
    const found: number[] = [];
    for (let c = 0; c < n; c++) if (state[c] === 2 || (state[c] === 1 && (counts[c]! > 0 || listAll))) found.push(c);
    const info = (c: number) => this.chats[c]!.info;
    found.sort((a, b) => Number(info(a).archived) - Number(info(b).archived) || state[b]! - state[a]! || info(b).updatedAt - info(a).updatedAt);
    const chats = found.slice(0, limit).map((c): ChatHit => {
      const e = info(c);
      const shown = Math.min(counts[c]!, MESSAGES_PER_CHAT);
      const messageIds = Array.from({ length: shown }, (_, k) => this.docMessage[picks[c * MESSAGES_PER_CHAT + k]!]!);
      return { chatId: e.id, title: e.title, titleMatch: state[c] === 2, archived: e.archived, updatedAt: e.updatedAt, count: counts[c]!, messageIds };
    });
    return { chats, totalChats: found.length, totalMessages };
  }

  private numberOf(chatId: string): number {
    let no = this.chatNo.get(chatId);
    if (no === undefined) {
      no = this.chatIdOf.length;
      this.chatNo.set(chatId, no);
      this.chatIdOf.push(chatId);
      this.chatDocs.push(new Set());
      this.chats.push(undefined);
    }
    return no;
  }

  private dropDoc(doc: number): void {
    this.words.remove(doc);
    const id = this.docMessage[doc]!;
    if (this.byMessage.get(id) === doc) this.byMessage.delete(id);
    this.chatDocs[this.docChat[doc]!]!.delete(doc);
  }
}
