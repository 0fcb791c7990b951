import { describe, expect, it } from 'vitest';
import { LibraryIndex, type ChatInfo } from './library-index';
import { parseQuery } from './parse-query';

const chat = (id: string, title: string, updatedAt: number, more: Partial<ChatInfo> = {}): ChatInfo => ({ id, title, updatedAt, archived: false, tags: [], ...more });
const find = (ix: LibraryIndex, q: string) => ix.search(parseQuery(q), 50);

function library(): LibraryIndex {
  const ix = new LibraryIndex();
  ix.upsertChat(chat('c1', 'Trip to Lisbon', 100, { tags: ['Travel'] }));
  ix.upsertChat(chat('c2', 'Rust lifetimes', 300));
  ix.upsertChat(chat('c3', 'Old notes', 200, { archived: true }));
  ix.upsertMessage({ id: 'm1', chatId: 'c1', content: 'Where should I eat pastel de nata?' });
  ix.upsertMessage({ id: 'm2', chatId: 'c2', content: 'The borrow checker and Lisbon trams' });
  ix.upsertMessage({ id: 'm3', chatId: 'c3', content: 'Lisbon in winter' });
  return ix;
}

describe('LibraryIndex', () => {
  it('finds words that are only in message text, with the message ids', () => {
    const r = find(library(), 'nata');
    expect(r.chats.map((c) => [c.chatId, c.messageIds, c.titleMatch])).toEqual([['c1', ['m1'], false]]);
    expect(r.totalMessages).toBe(1);
  });
  it('ranks title matches first, then recent, archived last', () => {
    const r = find(library(), 'lisbon');
    expect(r.chats.map((c) => c.chatId)).toEqual(['c1', 'c2', 'c3']);
    expect(r.chats[0]!.titleMatch).toBe(true);
    expect(r.chats[2]!.archived).toBe(true);
    expect(r.totalChats).toBe(3);
  });
  it('filters by tag:, alone or with words', () => {
    expect(find(library(), 'tag:travel').chats.map((c) => c.chatId)).toEqual(['c1']);
    expect(find(library(), 'tag:travel borrow').chats).toEqual([]);
  });
  it('follows changes: a message edited, a chat renamed, a message and a chat deleted', () => {
    const ix = library();
    ix.upsertMessage({ id: 'm1', chatId: 'c1', content: 'Now about sardines' });
    expect(find(ix, 'nata').chats).toEqual([]);
    expect(find(ix, 'sardine').chats.map((c) => c.messageIds)).toEqual([['m1']]);
    ix.upsertChat(chat('c2', 'Borrowing in Porto', 400));
    expect(find(ix, 'porto').chats.map((c) => [c.chatId, c.titleMatch])).toEqual([['c2', true]]);
    ix.removeMessage('m2');
    expect(find(ix, 'trams').chats).toEqual([]);
    ix.removeChat('c3');
    expect(find(ix, 'winter').chats).toEqual([]);
    expect(ix.messageCount).toBe(1);
    expect(ix.chatCount).toBe(2);
  });
  it('keeps messages that arrive before their chat, and shows them once the chat is known', () => {
    const ix = new LibraryIndex();
    ix.upsertMessage({ id: 'x', chatId: 'late', content: 'imported long ago' });
    expect(find(ix, 'imported').chats).toEqual([]);
    ix.upsertChat(chat('late', 'Imported', 1));
    expect(find(ix, 'long ago').chats.map((c) => c.messageIds)).toEqual([['x']]);
    ix.removeChat('late');
    expect(ix.hasMessage('x')).toBe(false);
  });
});
