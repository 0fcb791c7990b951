import type { Message } from '../storage/schema';
import { branchFrom } from '../storage/chats';

/**
 * Checks a chat's messages form a tree Parley can show: unique ids, every parent present,
 * no cycles. Returns the problem in words, or null. Iterative, so a 100,000-deep chain is fine.
 */
export function treeProblem(messages: readonly Pick<Message, 'id' | 'parentId'>[]): string | null {
  const parentOf = new Map<string, string | null>();
  for (const m of messages) {
    if (parentOf.has(m.id)) return `message id ${short(m.id)} appears twice`;
    parentOf.set(m.id, m.parentId);
  }
  for (const m of messages) {
    if (m.parentId !== null && !parentOf.has(m.parentId)) return `message ${short(m.id)} answers ${short(m.parentId)}, which is not in the chat`;
  }
  // 0 = unseen, 1 = on the walk in progress, 2 = known to reach a root.
  const state = new Map<string, 1 | 2>();
  for (const m of messages) {
    const path: string[] = [];
    let at: string | null = m.id;
    while (at !== null && state.get(at) !== 2) {
      if (state.get(at) === 1) return `the messages around ${short(at)} form a cycle (a message is its own ancestor)`;
      state.set(at, 1);
      path.push(at);
      at = parentOf.get(at) ?? null;
    }
    for (const id of path) state.set(id, 2);
  }
  return null;
}

/**
 * The leaf to show: `wanted` when it is a message of the chat, else the newest leaf
 * (Open WebUI does the same when `currentId` is missing or stale).
 */
export function pickCurrent(messages: readonly Pick<Message, 'id' | 'parentId' | 'createdAt'>[], wanted: string | null | undefined): string | null {
  if (wanted && messages.some((m) => m.id === wanted)) return wanted;
  const parents = new Set(messages.map((m) => m.parentId));
  let best: Pick<Message, 'id' | 'createdAt'> | null = null;
  for (const m of messages) if (!parents.has(m.id) && (!best || m.createdAt >= best.createdAt)) best = m;
  return best?.id ?? null;
}

/** The visible branch, root first: `currentId` and its ancestors (the chat view's walk, on a list). */
export function branchOf<T extends Pick<Message, 'id' | 'parentId'>>(messages: readonly T[], currentId: string | null): T[] {
  return branchFrom(new Map(messages.map((m) => [m.id, m])), currentId);
}

/** Foreign timestamps are coarse (seconds, or a reply stamped before its question): a child sorts after its parent. */
export function orderAfterParents(messages: Message[]): void {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const done = new Set<string>();
  const fix = (m: Message): void => {
    const stack: Message[] = [];
    let at: Message | undefined = m;
    while (at && !done.has(at.id)) {
      stack.push(at);
      at = at.parentId ? byId.get(at.parentId) : undefined;
    }
    for (let i = stack.length - 1; i >= 0; i--) {
      const x = stack[i]!;
      const p = x.parentId ? byId.get(x.parentId) : undefined;
      if (p && x.createdAt <= p.createdAt) {
        x.createdAt = p.createdAt + 1;
        if (x.updatedAt < x.createdAt) x.updatedAt = x.createdAt;
      }
      done.add(x.id);
    }
  };
  for (const m of messages) fix(m);
}

function short(id: string): string {
  return id.length > 40 ? `${id.slice(0, 37)}…` : id;
}
