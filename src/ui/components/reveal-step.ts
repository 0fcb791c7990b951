import type { RevealDeps, RevealRequest, RevealStep } from './reveal-message';

/** How long the message stays marked. */
const FLASH_MS = 2500;
/** How long to wait for the message's row to be read and drawn before giving up. */
const GIVE_UP_MS = 4000;
/** How long after the jump the message is kept in view while the rows around it settle. */
const SETTLE_MS = 1500;

/** The reveal effect's body (see createReveal in reveal-message.ts), with the branch it last asked for. */
export function createRevealStep(): RevealStep {
  let branchAsked = '';
  return (d: RevealDeps, pending, setPending) => {
    const r = pending();
    const v = d.view();
    if (!r) return;
    if (d.chatId() !== r.chatId) return;
    if (!v?.chat || v.chat.id !== r.chatId || v.partial) return;
    const ids = d.branchIds();
    // A side-by-side answer sits in the slot of the answer chosen for its question.
    let slot = ids.indexOf(r.messageId);
    if (slot < 0) {
      for (const [chosen, cols] of v.columns) if (cols.includes(r.messageId)) slot = ids.indexOf(chosen);
    }
    if (slot < 0) {
      if (branchAsked === r.messageId) return setPending(null);
      branchAsked = r.messageId;
      void d.showBranch(r.chatId, r.messageId).catch(() => setPending(null));
      return;
    }
    branchAsked = '';
    setPending(null);
    d.unstick();
    d.showLast(ids.length - slot);
    void scrollWhenDrawn(d.scroller(), r);
  };
}

async function scrollWhenDrawn(scroller: HTMLElement, r: RevealRequest): Promise<void> {
  const until = performance.now() + GIVE_UP_MS;
  let el: HTMLElement | null = null;
  while (!(el = scroller.querySelector<HTMLElement>(`[data-testid="message"][data-message-id="${CSS.escape(r.messageId)}"]`))) {
    if (performance.now() > until) return;
    await new Promise((res) => requestAnimationFrame(res));
  }
  el.scrollIntoView({ block: 'center' });
  el.classList.add('revealed');
  setTimeout(() => el.classList.remove('revealed'), FLASH_MS);
  if (r.query) markWords(el, r.query);
  void keepInView(scroller, el);
}

/**
 * The rows around the message may still be arriving (their heights replace estimates) or the
 * chat's rows be read again just after the jump: for a moment the message is brought back into
 * view whenever the layout moved it out, unless the user scrolls meanwhile.
 */
async function keepInView(scroller: HTMLElement, target: HTMLElement): Promise<void> {
  let userMoved = false;
  const stop = () => (userMoved = true);
  const events = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  for (const e of events) scroller.addEventListener(e, stop, { passive: true, once: true });
  const until = performance.now() + SETTLE_MS;
  try {
    while (!userMoved && performance.now() < until) {
      await new Promise((res) => requestAnimationFrame(res));
      // The same message may be drawn by a new element after its rows were read again.
      const el = target.isConnected ? target : scroller.querySelector<HTMLElement>(`[data-testid="message"][data-message-id="${CSS.escape(target.dataset.messageId ?? '')}"]`);
      if (!el) continue;
      const box = el.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      if (box.bottom < view.top || box.top > view.bottom) el.scrollIntoView({ block: 'center' });
    }
  } finally {
    for (const e of events) scroller.removeEventListener(e, stop);
  }
}

/** Marks the searched words in the message with the CSS Custom Highlight API: no change to its DOM. */
function markWords(el: HTMLElement, query: string): void {
  const registry = (globalThis.CSS as { highlights?: Map<string, unknown> } | undefined)?.highlights;
  const HighlightCtor = (globalThis as { Highlight?: new (...r: Range[]) => unknown }).Highlight;
  if (!registry || !HighlightCtor) return;
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0 && !w.includes(':'));
  if (words.length === 0) return;
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').toLowerCase();
    for (const w of words) {
      for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + w.length)) {
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + w.length);
        ranges.push(range);
      }
    }
  }
  registry.set('parley-reveal', new HighlightCtor(...ranges));
  setTimeout(() => registry.delete('parley-reveal'), FLASH_MS * 2);
}
