import { branchFrom } from '../../core/storage/chats';
import type { Chat, MessageNode } from '../../core/storage/schema';
import { answerColumns, childrenByParent, siblingPlace, slotPlace, type SiblingPlace } from '../../core/tree/tree';
import type { ModelRef } from '../stores/models';

/** What the chat view draws, worked out from a chat and its nodes (pure; no rows, no DOM). */
export interface ChatData {
  chat: Chat | null;
  /** The branch on screen, as nodes (the tree only; the rows are read per block). */
  branch: MessageNode[];
  /** Where each message of the branch stands among its siblings (for ‹ 2/3 ›). */
  places: Map<string, SiblingPlace>;
  /** For an answer of the branch given by several models at once: the ids of every model's answer, side by side. */
  columns: Map<string, string[]>;
  /** The models that answered the last question (the set the next question goes to). */
  lastModels: ModelRef[];
  /** A first look from the newest rows only, until the whole tree is read. */
  partial?: boolean;
}

export const EMPTY: ChatData = { chat: null, branch: [], places: new Map(), columns: new Map(), lastModels: [] };

/** The branch and, for each turn answered by several models, its columns, with ‹ › per column. */
export function layoutChat(chat: Chat, all: MessageNode[]): ChatData {
  const branch = branchFrom(new Map(all.map((m) => [m.id, m])), chat.currentId);
  const tree = childrenByParent(all);
  const places = new Map<string, SiblingPlace>();
  const columns = new Map<string, string[]>();
  const lastModels: ModelRef[] = [];
  for (const m of branch) {
    const cols = m.role === 'assistant' ? answerColumns(tree, m) : null;
    if (cols) {
      columns.set(m.id, cols.map((c) => c.id));
      for (const c of cols) places.set(c.id, slotPlace(tree, c));
    } else {
      places.set(m.id, siblingPlace(tree, m));
    }
    if (m.role === 'assistant' && m.model) {
      lastModels.length = 0;
      for (const a of cols ?? [m]) if (a.model) lastModels.push({ id: a.model, connectionId: a.connectionId });
    }
  }
  return { chat, branch, places, columns, lastModels };
}

export const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
