/**
 * A conversation is a tree of messages (`parentId`), as in Open WebUI; the chat's `currentId`
 * is the leaf on screen. These are pure functions over the rows of one chat.
 */

/** The fields of a message the tree needs. */
export interface TreeNode {
  id: string;
  parentId: string | null;
  createdAt: number;
}

/** Children of every message (key null: the roots), oldest first (ties by id, so the order is total). */
export function childrenByParent<T extends TreeNode>(nodes: readonly T[]): Map<string | null, T[]> {
  const out = new Map<string | null, T[]>();
  for (const n of nodes) {
    const list = out.get(n.parentId);
    if (list) list.push(n);
    else out.set(n.parentId, [n]);
  }
  for (const list of out.values()) list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

/** Where a message stands among its siblings: `index` of `count`, and its neighbours' ids. */
export interface SiblingPlace {
  index: number;
  count: number;
  prev: string | null;
  next: string | null;
}

export function siblingPlace<T extends TreeNode>(byParent: ReadonlyMap<string | null, readonly T[]>, node: T): SiblingPlace {
  const sibs = byParent.get(node.parentId) ?? [node];
  const index = Math.max(0, sibs.findIndex((s) => s.id === node.id));
  return { index, count: sibs.length, prev: sibs[index - 1]?.id ?? null, next: sibs[index + 1]?.id ?? null };
}

/**
 * The leaf reached from `id` by following, at each step, the newest child: what Open WebUI
 * shows when you switch to a sibling. Stops on a cycle.
 */
export function newestLeaf<T extends TreeNode>(byParent: ReadonlyMap<string | null, readonly T[]>, id: string): string {
  const seen = new Set<string>([id]);
  let at = id;
  for (;;) {
    const kids = byParent.get(at);
    const last = kids?.[kids.length - 1];
    if (!last || seen.has(last.id)) return at;
    seen.add(last.id);
    at = last.id;
  }
}

/** `id` and every message under it. */
export function subtreeIds<T extends TreeNode>(byParent: ReadonlyMap<string | null, readonly T[]>, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(at);
    for (const k of byParent.get(at) ?? []) stack.push(k.id);
  }
  return out;
}

/**
 * Where the view goes once `id`'s subtree is gone: the nearest remaining sibling's newest
 * leaf (the next one, else the previous), else the parent, else nothing.
 */
export function leafAfterDelete<T extends TreeNode>(byParent: ReadonlyMap<string | null, readonly T[]>, node: T): string | null {
  const place = siblingPlace(byParent, node);
  const other = place.next ?? place.prev;
  if (other) return newestLeaf(byParent, other);
  return node.parentId;
}

/** A tree node that answers in a model slot (Open WebUI's `modelIdx`). */
export interface SlotNode extends TreeNode {
  modelIdx: number;
}

/**
 * Answers side by side: when the answers to one question come from more than one model slot,
 * one column per slot (in slot order) holding the answer on the branch for its own slot, else
 * that slot's newest. Null when the question has a single slot (plain ‹ › versions).
 */
export function answerColumns<T extends SlotNode>(byParent: ReadonlyMap<string | null, readonly T[]>, onBranch: T): T[] | null {
  const sibs = byParent.get(onBranch.parentId) ?? [onBranch];
  const slots = new Map<number, T>();
  for (const s of sibs) slots.set(s.modelIdx, s); // oldest first: the last one kept is the newest
  if (slots.size < 2) return null;
  slots.set(onBranch.modelIdx, onBranch);
  return [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

/** Like siblingPlace, among the answers of the same slot only (‹ › inside one column). */
export function slotPlace<T extends SlotNode>(byParent: ReadonlyMap<string | null, readonly T[]>, node: T): SiblingPlace {
  const same = (byParent.get(node.parentId) ?? [node]).filter((s) => s.modelIdx === node.modelIdx);
  return siblingPlace(new Map([[node.parentId, same]]), node);
}
