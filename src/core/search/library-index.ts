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
 */
export class LibraryIndex {
  private words = new WordIndex();
  private chats = new Map<string, ChatEntry>();
  /** Chat of each document (index = document number), and the message it is. */
  private docChat: string[] = [];
  private docMessage: string[] = [];
  private byMessage = new Map<string, number>();
  /** Each chat's documents, apart from its entry: a message may be indexed before its chat row arrives. */
  private chatDocs = new Map<string, Set<number>>();

  upsertChat(info: ChatInfo): void {
    const titleWords = [...wordsOf(info.title)];
    const tags = info.tags.map(fold);
    this.chats.set(info.id, { info: { ...info, tags: [...info.tags] }, titleWords, tags });
  }

  /** Forgets a chat and all its messages. */
  removeChat(chatId: string): void {
    for (const d of [...(this.chatDocs.get(chatId) ?? [])]) this.dropDoc(d);
    this.chatDocs.delete(chatId);
    this.chats.delete(chatId);
  }

  upsertMessage(m: MessageInfo): void {
    this.removeMessage(m.id);
    const doc = this.words.add(wordsOf(m.content));
    this.docChat[doc] = m.chatId;
    this.docMessage[doc] = m.id;
    this.byMessage.set(m.id, doc);
    this.docsOf(m.chatId).add(doc);
  }

  removeMessage(id: string): void {
    const doc = this.byMessage.get(id);
    if (doc === undefined) return;
    this.dropDoc(doc);
  }

  /** Many messages at once (the first build): see `WordIndex.beginBulk`. */
  beginBulk(): void {
    this.words.beginBulk();
  }

  endBulk(): void {
    this.words.endBulk();
  }

  chat(chatId: string): ChatInfo | undefined {
    return this.chats.get(chatId)?.info;
  }

  chatIds(): IterableIterator<string> {
    return this.chats.keys();
  }

  hasMessage(id: string): boolean {
    return this.byMessage.has(id);
  }

  /** Ids of the messages indexed for a chat. */
  messagesOf(chatId: string): string[] {
    return [...(this.chatDocs.get(chatId) ?? [])].map((d) => this.docMessage[d]!);
  }

  get messageCount(): number {
    return this.words.size;
  }

  get chatCount(): number {
    return this.chats.size;
  }

  get wordCount(): number {
    return this.words.wordCount;
  }

  /**
   * Chats whose title holds every term, or with messages that do, filtered by tags. Title
   * matches first, then the most recently updated; archived chats after all others.
   */
  search(q: Query, limit: number): SearchHits {
    const hits = new Map<string, ChatHit>();
    const wanted = (e: ChatEntry) => q.tags.every((t) => e.tags.includes(t));
    const hitOf = (e: ChatEntry): ChatHit => {
      let h = hits.get(e.info.id);
      if (!h) {
        h = { chatId: e.info.id, title: e.info.title, titleMatch: false, archived: e.info.archived, updatedAt: e.info.updatedAt, count: 0, messageIds: [] };
        hits.set(e.info.id, h);
      }
      return h;
    };
    for (const e of this.chats.values()) {
      if (!wanted(e)) continue;
      if (q.terms.length === 0) {
        if (q.tags.length > 0) hitOf(e);
      } else if (q.terms.every((t) => e.titleWords.some((w) => termMatches(w, t)))) hitOf(e).titleMatch = true;
    }
    let totalMessages = 0;
    this.words.match(q.terms, (doc) => {
      const e = this.chats.get(this.docChat[doc]!);
      // A message whose chat is not (yet, or any more) known is not shown.
      if (!e || !wanted(e)) return;
      const h = hitOf(e);
      h.count++;
      totalMessages++;
      if (h.messageIds.length < MESSAGES_PER_CHAT) h.messageIds.push(this.docMessage[doc]!);
    });
    const chats = [...hits.values()].sort(
      (a, b) => Number(a.archived) - Number(b.archived) || Number(b.titleMatch) - Number(a.titleMatch) || b.updatedAt - a.updatedAt,
    );
    return { chats: chats.slice(0, limit), totalChats: chats.length, totalMessages };
  }

  private docsOf(chatId: string): Set<number> {
    let docs = this.chatDocs.get(chatId);
    if (!docs) this.chatDocs.set(chatId, (docs = new Set()));
    return docs;
  }

  private dropDoc(doc: number): void {
    this.words.remove(doc);
    const id = this.docMessage[doc]!;
    if (this.byMessage.get(id) === doc) this.byMessage.delete(id);
    this.chatDocs.get(this.docChat[doc]!)?.delete(doc);
  }
}
