import { createEffect, createSignal, lazy, on, Show, Suspense } from 'solid-js';
import { useApp } from '../app-context';
import type { Chat } from '../../core/storage/schema';
import type { ChatParams } from '../../core/providers/types';

const ChatControlsPanel = lazy(() => import('./ChatControlsPanel').then((m) => ({ default: m.ChatControlsPanel })));

export interface ChatDraftValue {
  system: string;
  params: ChatParams;
}

const EMPTY_DRAFT: ChatDraftValue = { system: '', params: {} };

/**
 * System prompt and params set on a new chat before its first message: the chat row does not
 * exist yet, so they wait here and `sendTurn` writes them with the row.
 */
export function createChatDraft() {
  const [draft, setDraft] = createSignal<ChatDraftValue>(EMPTY_DRAFT);
  return [draft, { set: (v: ChatDraftValue) => setDraft(v), reset: () => setDraft(EMPTY_DRAFT) }] as const;
}
export type ChatDraft = ReturnType<typeof createChatDraft>;

/** The header button and the panel that edits the current chat's system prompt and params. */
export function ChatControls(props: { chat: Chat | null; draft: ChatDraft }) {
  const app = useApp();
  const [open, setOpen] = createSignal(false);
  // The panel edits the chat it opened on, so another chat closes it; a fresh new chat starts
  // from an empty draft (the previous draft went into the chat it created).
  createEffect(
    on(
      () => app.route.chatId(),
      (id) => {
        setOpen(false);
        if (id === null) props.draft[1].reset();
      },
      { defer: true },
    ),
  );
  return (
    <>
      <button
        class="icon-btn chat-controls-btn"
        data-testid="chat-controls"
        aria-label="Chat settings: system prompt and parameters"
        title="System prompt and parameters"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
      >
        <svg class="icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
          <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M14 4v4M8 10v4M16 16v4" />
        </svg>
      </button>
      <Show when={open()}>
        <Suspense>
          <ChatControlsPanel chat={props.chat} draft={props.draft} onClose={() => setOpen(false)} />
        </Suspense>
      </Show>
    </>
  );
}
