import type { ConnectionStatus, ModelEntry } from '../../../workers/api';
import { clockTime } from '../format-time';
import { favoriteKey } from '../stores/models';

/** A model with the text a query is matched against, lower-cased once per list. */
export interface IndexedModel {
  m: ModelEntry;
  hay: string;
  tags: readonly string[];
}

export function indexModels(models: readonly ModelEntry[]): IndexedModel[] {
  return models.map((m) => {
    const tags = m.tags.map((t) => t.toLowerCase());
    return { m, tags, hay: `${m.id} ${m.name} ${m.connectionName} ${tags.map((t) => `#${t}`).join(' ')}`.toLowerCase() };
  });
}

/**
 * Every word of the query must appear (in id, name, connection name or a `#tag`); a word
 * starting with `#` matches tags only. With tags picked as chips, a model needs one of them.
 */
export function filterModels(index: readonly IndexedModel[], query: string, tags: ReadonlySet<string> = new Set()): ModelEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 && tags.size === 0) return index.map((x) => x.m);
  const tagWords = words.filter((w) => w.startsWith('#') && w.length > 1).map((w) => w.slice(1));
  const textWords = words.filter((w) => !w.startsWith('#'));
  const out: ModelEntry[] = [];
  for (const x of index) {
    if (tags.size > 0 && !x.tags.some((t) => tags.has(t))) continue;
    if (!tagWords.every((w) => x.tags.some((t) => t.startsWith(w)))) continue;
    if (!textWords.every((w) => x.hay.includes(w))) continue;
    out.push(x.m);
  }
  return out;
}

/** A heading in the picker: favourites, or one connection with how fresh its list is. */
export interface GroupRow {
  group: string;
  label: string;
  note: string;
  warn: boolean;
}
export type PickerRow = GroupRow | ModelEntry;

export function isGroupRow(r: PickerRow): r is GroupRow {
  return 'group' in r;
}

export interface PickerLayout {
  rows: PickerRow[];
  /** The selectable models in screen order (keyboard navigation walks these). */
  options: ModelEntry[];
  /** For each row, its place in `options` (-1 for a heading). */
  optionOfRow: number[];
  /** For each option, its row. */
  rowOfOption: number[];
  /** Matches left out (beyond `max`). */
  hidden: number;
}


export function groupNote(s: ConnectionStatus | undefined): { note: string; warn: boolean } {
  if (!s) return { note: '', warn: false };
  if (s.source === 'stale') return { note: `offline · last known list from ${clockTime(s.fetchedAt ?? 0)}`, warn: true };
  if (s.source === 'cache') return { note: `listed ${clockTime(s.fetchedAt ?? 0)}`, warn: false };
  return { note: '', warn: false };
}

/**
 * Favourites first, then one group per connection in list order, at most `max` models in
 * all. `groupRow` hands back one object per distinct heading so a keyed list keeps its DOM.
 */
export function layoutPicker(
  hits: readonly ModelEntry[],
  favorites: ReadonlySet<string>,
  statuses: readonly ConnectionStatus[],
  max: number,
  groupRow: (r: GroupRow) => GroupRow = (r) => r,
): PickerLayout {
  const fav: ModelEntry[] = [];
  const byConn = new Map<string, ModelEntry[]>();
  const anyFav = favorites.size > 0;
  for (const m of hits) {
    if (anyFav && favorites.has(favoriteKey(m))) fav.push(m);
    else {
      let g = byConn.get(m.connectionId);
      if (!g) byConn.set(m.connectionId, (g = []));
      g.push(m);
    }
  }
  const rows: PickerRow[] = [];
  const options: ModelEntry[] = [];
  const optionOfRow: number[] = [];
  const rowOfOption: number[] = [];
  let room = max;
  const put = (head: GroupRow, items: ModelEntry[]) => {
    if (items.length === 0 || room <= 0) return;
    rows.push(groupRow(head));
    optionOfRow.push(-1);
    const n = Math.min(room, items.length);
    for (let i = 0; i < n; i++) {
      rowOfOption.push(rows.length);
      optionOfRow.push(options.length);
      rows.push(items[i]!);
      options.push(items[i]!);
    }
    room -= n;
  };
  put({ group: 'favorites', label: 'Favourites', note: '', warn: false }, fav);
  for (const [connId, items] of byConn) {
    const { note, warn } = groupNote(statuses.find((s) => s.connectionId === connId));
    put({ group: `c:${connId}`, label: items[0]!.connectionName, note, warn }, items);
  }
  return { rows, options, optionOfRow, rowOfOption, hidden: hits.length - options.length };
}
