import type { AppError } from '../src/core/errors';
import type { ChatEvent } from '../src/core/providers/types';
import type { Connection } from '../src/core/storage/schema';
import type { ConnectionInput } from '../src/core/storage/connections';
import type { WebGpuLoadProgress } from './webgpu/api';

export type { ModelEntry, ModelSource, ConnectionStatus, ModelList, ModelListPart } from '../src/core/models/types';
import type { ModelList, ModelListPart } from '../src/core/models/types';

export interface ListOptions {
  /** Ask every server again even when the cache is fresh (the refresh button). */
  force?: boolean;
}

/**
 * Which message to stream. `continue`: the message already holds part of an answer and the
 * model is asked to go on from it (the request ends with that partial answer).
 */
export interface GenerateRequest {
  chatId: string;
  messageId: string;
  continue?: boolean;
}

export type VerifyResult = { ok: true; count: number } | { ok: false; error: AppError };

/** What the engine tells the UI while a message streams. Sent as soon as it happens. */
export type StreamUpdate = { messageId: string } & (
  | { type: 'delta'; text: string; reasoning: string; refusal: string }
  /** An in-browser model is being loaded (downloaded, or read from the cache) before it answers. */
  | { type: 'loading'; progress: WebGpuLoadProgress }
  | { type: 'end'; status: 'done' | 'error'; error: AppError | null; finishReason: string | null }
);

/** The engine's whole surface; the UI imports this type only (`import type`). */
export interface EngineApi {
  /**
   * The merged list of every enabled connection. `onPart` hears each connection as soon as it
   * has answered (or timed out), so one slow server never holds back the others.
   */
  listModels(opts?: ListOptions, onPart?: (part: ModelListPart) => void): Promise<ModelList>;
  /** Validates and stores a connection (new, or edited when `id` is given). */
  saveConnection(input: ConnectionInput): Promise<Connection | AppError>;
  verifyConnection(connectionId: string): Promise<VerifyResult>;
  /** First start only: adds a local Ollama if one answers (quietly, see probesQuietly). */
  firstStart(): Promise<Connection | null>;
  /** The empty state's button: looks for Ollama on this computer and adds it. */
  findLocalOllama(): Promise<Connection | AppError>;
  /** Streams the assistant message `messageId` of `chatId`; resolves when it has ended and is stored. */
  generate(req: GenerateRequest, onUpdate: (u: StreamUpdate) => void): Promise<void>;
  stop(messageId: string): Promise<void>;
  /** Marks messages left `streaming` by a dead tab as `interrupted`; returns their ids. */
  recoverInterrupted(): Promise<string[]>;
  /**
   * How the engine reaches the knowledge worker: `open` (a proxied callback on the page) starts
   * it if needed and returns a port to it (transferred). Called once, when the engine starts;
   * `open` runs only when an answer first needs knowledge, so the knowledge worker stays unloaded
   * until then.
   */
  linkKnowledge(open: () => Promise<MessagePort>): Promise<void>;
  /**
   * The same for the in-browser model worker (web-llm): `open` starts it if needed and returns a
   * port to it. It runs only when a `webgpu` connection's answer or model list first needs it.
   */
  linkWebGpu(open: () => Promise<MessagePort>): Promise<void>;
}

export type { ChatEvent };
