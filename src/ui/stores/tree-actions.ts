import type { Accessor } from 'solid-js';
import type { AppServices } from '../app-context';
import { PICK_A_MODEL, type ModelRef } from './models';
import type { Message } from '../../core/storage/schema';
import { toAppError } from '../../core/errors';
import { sweepOrphanFiles } from './orphan-files';
import {
  addAnswerSibling,
  deleteSubtree,
  editInPlace,
  editQuestion,
  reopenForContinue,
  restoreSubtree,
  showBranch,
} from '../../core/storage/tree-ops';

/** What a message's buttons can do to the conversation tree of the chat on screen. */
export interface TreeActions {
  regenerate(m: Message): Promise<void>;
  /** A question edited and sent again: a new branch. */
  resend(m: Message, text: string): Promise<boolean>;
  /** An answer's text corrected in place; no request. */
  saveAnswer(m: Message, text: string): Promise<boolean>;
  continueAnswer(m: Message): Promise<void>;
  remove(m: Message): Promise<void>;
  show(id: string): Promise<void>;
}

/**
 * The tree writes of `src/core/storage/tree-ops.ts` wired to the UI: the model picked for the
 * chat, the stream runner, and errors as notices. Deletion offers Undo.
 */
export function createTreeActions(app: AppServices, model: Accessor<ModelRef | null>): TreeActions {
  const [, streamActions] = app.streams;
  const fail = (what: string, e: unknown) => app.toast.show('error', `${what}: ${toAppError(e, 'storage').message}`);
  const choice = () => {
    const m = model();
    if (!m) app.toast.show('error', PICK_A_MODEL);
    return m ? { model: m.id, connectionId: m.connectionId } : null;
  };

  return {
    async regenerate(m) {
      const c = choice();
      if (!c) return;
      try {
        const id = await addAnswerSibling(app.db, m.chatId, m.id, c, Date.now());
        void streamActions.run(m.chatId, id);
      } catch (e) {
        fail('Could not regenerate', e);
      }
    },
    async resend(m, text) {
      const c = choice();
      if (!c || text.trim() === '') return false;
      try {
        const r = await editQuestion(app.db, m.chatId, m.id, text, c, Date.now());
        void streamActions.run(m.chatId, r.assistantId);
        return true;
      } catch (e) {
        fail('Could not send the edited message', e);
        return false;
      }
    },
    async saveAnswer(m, text) {
      try {
        await editInPlace(app.db, m.chatId, m.id, text, Date.now());
        return true;
      } catch (e) {
        fail('Could not save the edit', e);
        return false;
      }
    },
    async continueAnswer(m) {
      try {
        await reopenForContinue(app.db, m.chatId, m.id, choice(), Date.now());
        void streamActions.run(m.chatId, m.id, { content: m.content, reasoning: m.reasoning });
      } catch (e) {
        fail('Could not continue', e);
      }
    },
    async remove(m) {
      try {
        const gone = await deleteSubtree(app.db, m.chatId, m.id, Date.now());
        const n = gone.rows.length;
        app.toast.show('info', n === 1 ? 'Message deleted.' : `Deleted ${n} messages.`, {
          label: 'Undo',
          run: () => void restoreSubtree(app.db, gone, Date.now()).catch((e: unknown) => fail('Could not undo', e)),
          expired: () => void sweepOrphanFiles(app.db, { documentIds: gone.rows.flatMap((r) => (r.files ?? []).map((f) => f.documentId)) }),
        });
      } catch (e) {
        fail('Could not delete', e);
      }
    },
    async show(id) {
      const chatId = app.route.chatId();
      if (!chatId) return;
      await showBranch(app.db, chatId, id).catch((e: unknown) => fail('Could not switch branch', e));
    },
  };
}
