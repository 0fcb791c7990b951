import type { ParleyDb } from '../src/core/storage/db';
import type { FetchPort } from '../src/core/providers/types';
import type { ContextRequest, ContextResult } from './knowledge/api';
import type { WebGpuApi } from './webgpu/api';

/** Time, injected so tests drive it. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Cross-tab "is this run alive" bookkeeping. In the browser this is the Web Locks API: a
 * run holds a lock for its whole life, and a lock vanishes with the tab that held it, so a
 * lock that is free means the run died.
 */
export interface RunLocks {
  hold<T>(name: string, fn: () => Promise<T>): Promise<T>;
  isHeld(name: string): Promise<boolean>;
}

export interface EnginePorts {
  db: ParleyDb;
  fetch: FetchPort;
  clock: Clock;
  locks: RunLocks;
  /** The origin Parley runs on (what model servers must allow via CORS). */
  appOrigin: string;
  /**
   * The knowledge worker, for answers in chats with knowledge bases or files attached; null (or
   * absent) when it cannot be reached. In the browser it is reached through a port the page
   * hands over on first need (EngineApi.linkKnowledge).
   */
  knowledge?: () => Promise<KnowledgePort | null>;
  /** Wraps the port `linkKnowledge` brings (Comlink in the worker); without it, and without `knowledge`, answers go without knowledge. */
  wrapKnowledge?: (port: MessagePort) => KnowledgePort;
  /**
   * The in-browser model worker (web-llm), for `webgpu` connections: their answers and their
   * model list. Like `knowledge`: absent or null when it cannot be reached; in the browser it is
   * reached through a port the page hands over on first need (EngineApi.linkWebGpu).
   */
  webgpu?: () => Promise<WebGpuPort | null>;
  /** Wraps the port `linkWebGpu` brings (Comlink, callbacks proxied). */
  wrapWebGpu?: (port: MessagePort) => WebGpuPort;
}

/** What the engine asks of the in-browser model worker (see WebGpuApi). */
export type WebGpuPort = Pick<WebGpuApi, 'stream' | 'cancel' | 'cached'>;

/** What the engine asks of the knowledge worker: the sources for an answer (see KnowledgeApi.context). */
export interface KnowledgePort {
  context(req: ContextRequest): Promise<ContextResult>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Locks that only this instance sees; for tests and for browsers without Web Locks. */
export function memoryLocks(): RunLocks {
  const held = new Set<string>();
  return {
    async hold(name, fn) {
      held.add(name);
      try {
        return await fn();
      } finally {
        held.delete(name);
      }
    },
    async isHeld(name) {
      return held.has(name);
    },
  };
}
