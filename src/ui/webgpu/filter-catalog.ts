import type { CatalogEntry } from '../../../workers/webgpu/api';

/** The catalog's filter controls. */
export interface CatalogFilter {
  /** Words that must all appear in the name, family, id or quantization (any case). */
  query: string;
  /** '' = every family. */
  family: string;
  /** Also list what this GPU cannot run (hidden by default: most of the list on a weak adapter). */
  showBlocked: boolean;
  /** Only models with files in the cache (downloaded or partly downloaded). */
  downloadedOnly: boolean;
}

export const EMPTY_FILTER: CatalogFilter = { query: '', family: '', showBlocked: false, downloadedOnly: false };

/**
 * The rows to show, downloaded models first (each group in web-llm's order). `stored` are models
 * with files in the cache, downloaded or partly: they are listed even when blocked, since they
 * take space the user may want back. `pinned` (the model being downloaded, one with an error on
 * screen) is listed whatever the filter says, so a click never makes its own row vanish.
 */
export function filterCatalog(
  entries: readonly CatalogEntry[],
  filter: CatalogFilter,
  stored: ReadonlySet<string>,
  pinned: ReadonlySet<string> = new Set(),
): CatalogEntry[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (e: CatalogEntry): boolean => {
    if (filter.family && e.family !== filter.family) return false;
    if (filter.downloadedOnly && !stored.has(e.modelId)) return false;
    if (!e.runnable && !filter.showBlocked && !stored.has(e.modelId)) return false;
    const hay = `${e.displayName} ${e.family} ${e.modelId} ${e.quantization}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const shown = entries.filter((e) => pinned.has(e.modelId) || matches(e));
  return [...shown.filter((e) => stored.has(e.modelId)), ...shown.filter((e) => !stored.has(e.modelId))];
}

/** The families in the catalog, sorted, for the family select. */
export function catalogFamilies(entries: readonly CatalogEntry[]): string[] {
  return [...new Set(entries.map((e) => e.family))].sort((a, b) => a.localeCompare(b));
}
