import { createEffect, createSignal, on, type Accessor } from 'solid-js';
import type { AppServices } from '../app-context';
import type { Chat } from '../../core/storage/schema';
import type { ComposerKnowledgeControls } from '../components/Composer';
import { toAppError } from '../../core/errors';

/**
 * A chat view's knowledge: the bases attached to the chat (chat.knowledgeIds; a new chat keeps
 * them in a draft until its first message creates it) and the files sent with one message.
 * Small on purpose: it is part of the chat view's first load; the file work is imported lazily.
 */
export function createChatKnowledge(app: AppServices, chat: Accessor<Chat | null | undefined>) {
  const [draft, setDraft] = createSignal<string[]>([]);
  createEffect(on(() => app.route.chatId(), (id) => { if (id === null) setDraft([]); }, { defer: true }));

  const ids = () => chat()?.knowledgeIds ?? (app.route.chatId() ? [] : draft());
  const controls: ComposerKnowledgeControls = {
    ids,
    toggle(id) {
      const c = chat();
      const now = c ? (c.knowledgeIds ?? []) : draft();
      const next = now.includes(id) ? now.filter((x) => x !== id) : [...now, id];
      if (!c) setDraft(next);
      else void app.db.chats.update(c.id, { knowledgeIds: next }).catch((e) => app.toast.show('error', `Could not attach the knowledge: ${toAppError(e, 'storage').message}`));
    },
    manage: () => app.knowledge.setOpen(true),
  };

  return {
    /** Knowledge lives in the stored database: a temporary chat (in memory) has none. */
    controls: (): ComposerKnowledgeControls | undefined => (app.temporary.active() ? undefined : controls),
    /** After a new chat's first turn is stored: it takes the draft's bases before its answer starts. */
    async adopt(chatId: string): Promise<void> {
      if (draft().length > 0) await app.db.chats.update(chatId, { knowledgeIds: draft() });
    },
    /** Files for the question just stored: indexed first, then `run` starts the answers (also when indexing failed). */
    withFiles(chatId: string, userId: string, files: readonly File[], run: () => void): void {
      if (files.length === 0) return run();
      void import('./attach-files')
        .then((m) => m.attachMessageFiles(app.db, chatId, userId, files))
        .then((problems) => { for (const p of problems) app.toast.show('error', p); })
        .catch((e) => app.toast.show('error', `Could not attach the files: ${toAppError(e).message}`))
        .finally(run);
    },
  };
}
