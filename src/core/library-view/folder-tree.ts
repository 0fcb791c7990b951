import type { Folder } from '../storage/schema';

/** The fields of a folder the tree needs. */
export type FolderLike = Pick<Folder, 'id' | 'name' | 'parentId'>;

const byName = (a: FolderLike, b: FolderLike) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.id < b.id ? -1 : 1);

/** Whether walking up from `f` comes back to a folder already passed (only a damaged import does that). */
function inCycle(byId: ReadonlyMap<string, FolderLike>, f: FolderLike): boolean {
  const seen = new Set<string>([f.id]);
  for (let p = f.parentId; p !== null; p = byId.get(p)?.parentId ?? null) {
    if (seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

/**
 * Folders by parent id, each list sorted by name. A folder whose parent is missing (deleted
 * elsewhere), or whose parents loop back to it, sits at the top level (key `null`), so
 * nothing is ever out of reach.
 */
export function foldersByParent<F extends FolderLike>(folders: readonly F[]): Map<string | null, F[]> {
  const byId = new Map<string, FolderLike>(folders.map((f) => [f.id, f]));
  const out = new Map<string | null, F[]>();
  for (const f of folders) {
    const p = f.parentId !== null && byId.has(f.parentId) && !inCycle(byId, f) ? f.parentId : null;
    const list = out.get(p);
    if (list) list.push(f);
    else out.set(p, [f]);
  }
  for (const list of out.values()) list.sort(byName);
  return out;
}

/**
 * `id` and every folder under it. A cycle of parent links (only a damaged import makes one)
 * stops at the first folder seen twice.
 */
export function folderAndDescendants(folders: readonly FolderLike[], id: string): string[] {
  const children = new Map<string, string[]>();
  for (const f of folders) if (f.parentId !== null) children.set(f.parentId, [...(children.get(f.parentId) ?? []), f.id]);
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (x: string) => {
    if (seen.has(x)) return;
    seen.add(x);
    out.push(x);
    for (const c of children.get(x) ?? []) walk(c);
  };
  walk(id);
  return out;
}

/** Whether moving folder `id` under `parentId` would put it inside itself. */
export function wouldCycle(folders: readonly FolderLike[], id: string, parentId: string | null): boolean {
  return parentId !== null && folderAndDescendants(folders, id).includes(parentId);
}
