/**
 * The part of web-llm (0.2.86) the WebGPU worker uses, written as our own types so the service,
 * the fake and their tests never load the library. Shapes copied from
 * node_modules/@mlc-ai/web-llm/lib/{types,config,cache_util}.d.ts and
 * openai_api_protocols/chat_completion.d.ts; runtime.test.ts checks at compile time that the
 * real MLCEngine and cache functions fit them, so an upgrade that changes them fails tsc.
 */

/** web-llm's InitProgressReport. */
export interface WebLlmProgressReport {
  /** 0..1 within the current phase. */
  progress: number;
  /** Seconds. */
  timeElapsed: number;
  text: string;
}

/** The subset of ChatOptions (a partial mlc-chat-config.json) we may pass to reload. */
export interface WebLlmChatOptions {
  context_window_size?: number;
  temperature?: number;
  top_p?: number;
}

export type WebLlmContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export type WebLlmMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | WebLlmContentPart[] }
  | { role: 'assistant'; content: string };

/** A streaming chat request (ChatCompletionRequestStreaming, the fields we send). */
export interface WebLlmChatRequest {
  messages: WebLlmMessage[];
  stream: true;
  stream_options?: { include_usage?: boolean };
  /** Only needed when several models are loaded; we load one. */
  model?: string | null;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  repetition_penalty?: number | null;
  /** Qwen3-style models: `enable_thinking: false` skips the think block. */
  extra_body?: { enable_thinking?: boolean | null };
}

/** 'abort' when interruptGenerate stopped it. */
export type WebLlmFinishReason = 'stop' | 'length' | 'tool_calls' | 'abort';

/** CompletionUsage: OpenAI's counters plus web-llm's `extra` timings. */
export interface WebLlmUsage {
  completion_tokens: number;
  prompt_tokens: number;
  total_tokens: number;
  extra: {
    e2e_latency_s: number;
    prefill_tokens_per_s: number;
    decode_tokens_per_s: number;
    time_to_first_token_s: number;
    time_per_output_token_s: number;
    grammar_init_s?: number;
    grammar_per_token_s?: number;
  };
}

/**
 * ChatCompletionChunk as web-llm streams it: every content chunk carries
 * `delta: { content, role: 'assistant' }` (engine.ts makeStreamDeltaChunk), then one chunk with
 * `delta: {}` and the finish reason, then (with include_usage) one with `choices: []` and usage.
 */
export interface WebLlmChunk {
  id: string;
  choices: Array<{
    delta: {
      content?: string | null;
      role?: 'system' | 'user' | 'assistant' | 'tool';
      tool_calls?: Array<{ index: number; id?: string; function?: { arguments?: string; name?: string }; type?: 'function' }>;
    };
    finish_reason: WebLlmFinishReason | null;
    index: number;
    logprobs?: unknown;
  }>;
  created: number;
  model: string;
  object: 'chat.completion.chunk';
  usage?: WebLlmUsage;
}

/**
 * The engine (MLCEngine, or WebWorkerMLCEngine: the same surface). Facts from its source that
 * the service relies on:
 * - reload() unloads whatever is loaded first; unload() during a reload aborts it and the
 *   reload then RESOLVES (web-llm swallows the AbortError), so "cancelled" must be tracked by us.
 * - interruptGenerate() sets a flag the running generation checks before each decode step; the
 *   stream then ends with finish_reason 'abort' (and the usage chunk). The flag is reset when a
 *   generation starts, so an interrupt before the first chunk can be lost.
 */
export interface WebLlmRuntime {
  setInitProgressCallback(callback: (report: WebLlmProgressReport) => void): void;
  reload(modelId: string, chatOpts?: WebLlmChatOptions): Promise<void>;
  chat: { completions: { create(request: WebLlmChatRequest): Promise<AsyncIterable<WebLlmChunk>> } };
  interruptGenerate(): void;
  unload(): Promise<void>;
}

/** ModelRecord (config.d.ts): one entry of appConfig.model_list. */
export interface WebLlmModelRecord {
  model: string;
  model_id: string;
  model_lib: string;
  overrides?: { context_window_size?: number; sliding_window_size?: number };
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  /** ModelType: 0 LLM (also when absent), 1 embedding, 2 VLM. */
  model_type?: number;
}

export interface WebLlmAppConfig {
  model_list: WebLlmModelRecord[];
  cacheBackend?: 'cache' | 'indexeddb' | 'cross-origin' | 'opfs';
}

/**
 * The module-level cache functions (cache_util.d.ts). Both throw ModelNotFoundError for an id
 * not in appConfig.model_list (prebuiltAppConfig when absent).
 */
export interface WebLlmCache {
  hasModelInCache(modelId: string, appConfig?: WebLlmAppConfig): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig?: WebLlmAppConfig): Promise<void>;
}

/** web-llm's engine configuration (MLCEngineConfig), the part we pass. */
export interface WebLlmEngineConfig {
  appConfig?: WebLlmAppConfig;
}

/**
 * What the WebGPU worker takes from `await import('@mlc-ai/web-llm')`: the whole dependency on
 * the library (the e2e stand-in, e2e/webgpu-fake/, exports exactly these).
 */
export interface WebLlmModule extends WebLlmCache {
  MLCEngine: new (config?: WebLlmEngineConfig) => WebLlmRuntime;
  prebuiltAppConfig: WebLlmAppConfig;
}
