import { createSignal, onCleanup } from 'solid-js';

/** Where the app is served from (`/`, or `/parley/` when hosted in a folder). */
const BASE = import.meta.env.BASE_URL;

/** The address of a chat, as in Open WebUI: `<base>c/<id>`. */
export function chatPath(id: string | null, base = BASE): string {
  return id ? `${base}c/${id}` : base;
}

/**
 * The chat named by a location: the path `<base>c/<id>`, or the older hash form `#/c/<id>`
 * (kept so bookmarks from before still open).
 */
export function chatIdFromLocation(pathname: string, hash: string, base = BASE): string | null {
  const fromHash = /^#\/c\/([A-Za-z0-9_-]{1,100})$/.exec(hash);
  if (fromHash) return fromHash[1]!;
  const rel = pathname.startsWith(base) ? pathname.slice(base.length) : '';
  const m = /^c\/([A-Za-z0-9_-]{1,100})\/?$/.exec(rel);
  return m ? m[1]! : null;
}

/**
 * The open chat lives in the URL, so a reload or a bookmark returns to it. A static host
 * must answer `<base>c/…` with index.html (the service worker does so once installed; vite
 * preview does; see README for other servers).
 */
export function createRoute() {
  const read = () => chatIdFromLocation(location.pathname, location.hash);
  const [chatId, setChatId] = createSignal<string | null>(read());
  const onPop = () => setChatId(read());
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onPop);
  onCleanup(() => {
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onPop);
  });
  const open = (id: string | null) => {
    const path = chatPath(id);
    if (location.pathname !== path || location.hash) history.pushState(null, '', path + location.search);
    setChatId(id);
  };
  return [chatId, { open }] as const;
}
