import { startSearch, type SearchClient } from '../engine-client';
import type { SearchStatus } from '../../../workers/search-api';

/**
 * One search worker for the whole page, started on first use. It lives outside any component
 * on purpose: the results panel comes and goes with the search field's text, while the index
 * (seconds to build for a large library) must stay.
 */
let shared: { client: SearchClient; listeners: Set<(s: SearchStatus) => void> } | null = null;

export function searchClient(): { client: SearchClient; onChange(fn: (s: SearchStatus) => void): () => void } {
  if (!shared) {
    const listeners = new Set<(s: SearchStatus) => void>();
    const client = startSearch();
    void client.watch((s) => listeners.forEach((l) => l(s)));
    shared = { client, listeners };
  }
  const { client, listeners } = shared;
  return {
    client,
    onChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
