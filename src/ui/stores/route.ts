import { createSignal, onCleanup } from 'solid-js';

/** The open chat lives in the URL hash (`#/c/<id>`), so a reload returns to it. */
export function parseHash(hash: string): string | null {
  const m = /^#\/c\/([A-Za-z0-9_-]{1,100})$/.exec(hash);
  return m ? m[1]! : null;
}

export function createRoute() {
  const [chatId, setChatId] = createSignal<string | null>(parseHash(location.hash));
  const onHash = () => setChatId(parseHash(location.hash));
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));
  const open = (id: string | null) => {
    const h = id ? `#/c/${id}` : '#/';
    if (location.hash !== h) history.pushState(null, '', h);
    setChatId(id);
  };
  return [chatId, { open }] as const;
}
