/**
 * Every key of the `settings` table, in one place so two features never share a key by
 * accident. Values are validated where they are read.
 */
export const SETTINGS = {
  /** `{ id, connectionId }` of the model a new chat starts with. */
  defaultModel: 'defaultModel',
  /** Milliseconds a cached model list stays fresh (default MODEL_CACHE_TTL_MS). */
  modelCacheTtlMs: 'modelCacheTtlMs',
  /** `string[]` of favourite models, each `connectionId|modelId`. */
  favoriteModels: 'favoriteModels',
  /** ChatParams every chat starts from (a chat's own params win). */
  defaultParams: 'defaultParams',
  /** Default system prompt of new chats. */
  defaultSystem: 'defaultSystem',
  /** Set once the first-start probe for a local Ollama has run. */
  ollamaProbed: 'ollamaProbed',
  /** `'light' | 'dark' | 'system'` (default `system`): the colour theme. */
  theme: 'theme',
  /** `string[]`: ids of the pinned chats at the last full read of the sidebar, so the next start paints them at once (a hint: the full read corrects it). */
  sidebarPinnedHint: 'sidebarPinnedHint',
  /** Background tasks (title, tags, follow-ups): task model, toggles, templates; read by `readTaskSettings`. */
  tasks: 'tasks',
} as const;

/** How long a server's model list is used without asking it again (SETTINGS.modelCacheTtlMs's default). */
export const MODEL_CACHE_TTL_MS = 5 * 60_000;
