import { createEffect, createSignal, onCleanup, type Accessor, type Setter } from 'solid-js';
import type { ChatData } from './chat-layout';

/** The event that asks the open chat view to bring a message into view (search results send it). */
export const REVEAL_MESSAGE_EVENT = 'parley:reveal-message';
export interface RevealRequest {
  chatId: string;
  messageId: string;
  /** The words searched for, marked inside the message. */
  query?: string;
}

export interface RevealDeps {
  chatId: Accessor<string | null>;
  view: Accessor<ChatData | undefined>;
  branchIds: Accessor<string[]>;
  /** Makes the branch through `messageId` the one on screen (it is on another branch). */
  showBranch(chatId: string, messageId: string): Promise<void>;
  /** Renders at least the last `n` messages of the branch. */
  showLast(n: number): void;
  /** Stops following the bottom, so the jump is not undone by a growing answer. */
  unstick(): void;
  scroller(): HTMLElement;
}

/**
 * One run of the reveal effect (reveal-step.ts): reads the request and the view, and acts once
 * the message can be shown. Called inside the effect, so what it reads is tracked.
 */
export type RevealStep = (d: RevealDeps, pending: Accessor<RevealRequest | null>, setPending: Setter<RevealRequest | null>) => void;

/**
 * Brings a message into view when asked: switches to its branch if it is on another, widens a
 * long chat's window down to it, scrolls to it once drawn, and marks it (and the searched words
 * in it) for a moment. A request for a chat not yet open waits until that chat is on screen.
 * Only search results ask, so the code that does it loads with the first request.
 */
export function createReveal(d: RevealDeps): void {
  const [pending, setPending] = createSignal<RevealRequest | null>(null);
  const [step, setStep] = createSignal<RevealStep>();
  let loading = false;
  const onEvent = (e: Event) => {
    const r = (e as CustomEvent<RevealRequest>).detail;
    if (!r || typeof r.chatId !== 'string' || typeof r.messageId !== 'string') return;
    setPending({ ...r });
    if (step() || loading) return;
    loading = true;
    import('./reveal-step').then(
      (m) => setStep(() => m.createRevealStep()),
      () => { loading = false; setPending(null); },
    );
  };
  window.addEventListener(REVEAL_MESSAGE_EVENT, onEvent);
  onCleanup(() => window.removeEventListener(REVEAL_MESSAGE_EVENT, onEvent));
  createEffect(() => step()?.(d, pending, setPending));
}
