/** A model as the launcher sees it: the id Parley shows and its connection. */
export interface ListedModel {
  id: string;
  connectionId: string;
}

/**
 * The listed models named by `ids` (the id Parley shows, prefix included), in the order asked.
 * An id served by several connections takes the first in the list (the picker's order), as
 * Open WebUI, which has one id per model, would pick one.
 */
export function matchModels(ids: readonly string[], list: readonly ListedModel[]): { found: ListedModel[]; unknown: string[] } {
  const found: ListedModel[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const m = list.find((x) => x.id === id);
    if (!m) unknown.push(id);
    else if (!found.some((f) => f.id === m.id && f.connectionId === m.connectionId)) found.push({ id: m.id, connectionId: m.connectionId });
  }
  return { found, unknown };
}
