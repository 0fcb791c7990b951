/**
 * PLACEHOLDER (the search helper replaces this file): the sidebar renders this while its
 * search field holds text. `onOpen(chatId, messageId)` opens the chat at that message
 * (messageId null: a title match).
 */
export function SearchResults(_props: { query: string; onOpen: (chatId: string, messageId: string | null) => void }) {
  return null;
}
