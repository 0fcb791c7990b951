import type { AppError } from '../errors';

/**
 * The one normalized event every provider yields while streaming a chat reply.
 * Only choice index 0 feeds these events; other choices are ignored.
 */
export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** A refusal (OpenAI `delta.refusal`): shown instead of content, never mixed into it. */
  | { type: 'refusal'; text: string }
  /** Fragments of tool calls, accumulated by the consumer by `index`. */
  | { type: 'tool-call'; index: number; id?: string; name?: string; arguments: string }
  /** The latest usage object the server reported (a later one replaces an earlier one). */
  | { type: 'usage'; usage: Usage }
  /**
   * The server reported an error (HTTP error body, error event, `{"error":…}` line). Ends the message.
   * `finishReason` is the one seen before the error, if any (OpenRouter sends `length` then the error).
   */
  | { type: 'error'; error: AppError; finishReason?: string | null }
  /** The stream ended. Always the last event unless an `error` came first. */
  | { type: 'done'; finishReason: string | null };

/**
 * Usage as the server sent it (OpenAI `usage`, Ollama counters from the `done` line), plus
 * llama.cpp's `timings` object under the key `timings` when the chunk carried one.
 */
export type Usage = Record<string, unknown>;

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
  /** Images on a user message, base64 without a `data:` prefix; each provider maps them to its wire shape. */
  images?: Array<{ mime: string; base64: string }>;
}

/** Generation parameters; absent means "server default". */
export interface ChatParams {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  /** Ollama only: context window, sampling extras, and how long the model stays loaded ("5m", 0, -1). */
  num_ctx?: number;
  top_k?: number;
  min_p?: number;
  repeat_penalty?: number;
  keep_alive?: string | number;
}

/** Params only Ollama's native API understands; never sent to OpenAI-compatible servers. */
export const OLLAMA_ONLY_PARAMS = ['num_ctx', 'top_k', 'min_p', 'repeat_penalty', 'keep_alive'] as const;

export interface ChatRequest {
  /** The model id as the server knows it (no prefix). */
  model: string;
  messages: ChatMessage[];
  params?: ChatParams;
  /**
   * Ask for the usage chunk (`stream_options.include_usage`) on OpenAI-compatible servers.
   * Default true; false after a server rejected the option (some older ones do).
   */
  usageOption?: boolean;
}

export type ConnectionKind = 'openai' | 'ollama' | 'webgpu';

/** What a provider needs to know about a connection to talk to it. */
export interface Endpoint {
  kind: ConnectionKind;
  /** Base URL as the user typed it, e.g. `http://localhost:11434` or `https://api.openai.com/v1`. */
  url: string;
  key?: string;
  authType?: 'bearer' | 'none';
  headers?: Record<string, string>;
  /** Azure OpenAI: the key goes in `api-key`, the model is a deployment in the path. */
  azure?: { apiVersion: string };
  /** Parley's own origin, sent to OpenRouter as its attribution `HTTP-Referer`. */
  appOrigin?: string;
}

/** One model as a server listed it. */
export interface RemoteModel {
  id: string;
  name: string;
  ownedBy?: string;
  contextLength?: number;
  /** Size of the weights in bytes (Ollama `/api/tags`). */
  size?: number;
}

/** A ready-to-send HTTP request; `fetch(url, { ...init, signal })`. */
export interface HttpRequest {
  url: string;
  /**
   * `redirect: 'manual'` whenever the request carries a key or custom headers: a redirect
   * would hand them to an address the user never entered, so it is reported instead.
   */
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; redirect: 'follow' | 'manual' };
}

/** The platform's fetch, injected so core and the engine run under node with fakes. */
export type FetchPort = (url: string, init: RequestInit) => Promise<Response>;
