import type { RemoteModel } from '../../src/core/providers/types';
import type { CachedModel } from './api';

/** The In-browser connection's model list: the complete models of web-llm's cache, as the picker lists models. */
export function inBrowserList(cached: readonly CachedModel[]): RemoteModel[] {
  return cached.filter((m) => !m.partial).map((m) => (m.bytes === undefined ? { id: m.modelId, name: m.modelId } : { id: m.modelId, name: m.modelId, size: m.bytes }));
}
