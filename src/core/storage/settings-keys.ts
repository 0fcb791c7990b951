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
  /** Knowledge (src/core/rag/settings.ts reads them all, with defaults): `'local' | 'openai' | 'ollama'`, the embedding engine. */
  ragEngine: 'rag.engine',
  /** Embedding model id (a Hugging Face id for 'local', the server's model name otherwise). */
  ragModel: 'rag.model',
  /** The connection a remote embedding engine goes through. */
  ragConnectionId: 'rag.connectionId',
  /** Where the in-browser engine downloads model files (a mirror with the Hugging Face layout); '' = stored files only. */
  ragLocalBaseUrl: 'rag.localBaseUrl',
  /** `'auto' | 'fp32' | 'q8'`: which weights the in-browser engine loads (auto: fp32 on WebGPU, q8 on WASM). */
  ragLocalDtype: 'rag.localDtype',
  /** Chunk size in characters (default 1000) and overlap (default 100). */
  ragChunkSize: 'rag.chunkSize',
  ragChunkOverlap: 'rag.chunkOverlap',
  /** Passages retrieved per question (default 5). */
  ragTopK: 'rag.topK',
  /** 0 = keywords only, 1 = vectors only (default 0.5). */
  ragHybridWeight: 'rag.hybridWeight',
  /** The RAG prompt template ('' or absent = DEFAULT_RAG_TEMPLATE). */
  ragTemplate: 'rag.template',
  /** Attached files up to this many characters go in whole instead of being retrieved from (0 = never). */
  ragFullContextChars: 'rag.fullContextChars',
  /** In-browser models (web-llm): a mirror base that replaces https://huggingface.co/ for weights ('' = the public host). */
  webgpuWeightsBase: 'webgpu.weightsBase',
  /** A mirror base that replaces https://raw.githubusercontent.com/ for model libraries ('' = the public host). */
  webgpuLibsBase: 'webgpu.libsBase',
  /** `true` once the In-browser connection was added (or removed by the user): it is not added again. */
  webgpuOffered: 'webgpu.offered',
} as const;

/** How long a server's model list is used without asking it again (SETTINGS.modelCacheTtlMs's default). */
export const MODEL_CACHE_TTL_MS = 5 * 60_000;
