/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openDb } from '../src/core/storage/db';
import { createEngine } from './engine';
import { memoryLocks, systemClock, type KnowledgePort, type RunLocks, type WebGpuPort } from './ports';
import type { WebGpuApi } from './webgpu/api';

/** Web Locks when the browser has them (secure contexts); else locks only this tab sees. */
function browserLocks(): RunLocks {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return memoryLocks();
  return {
    hold: (name, fn) => locks.request(name, { mode: 'exclusive' }, fn),
    async isHeld(name) {
      const state = await locks.query();
      return (state.held ?? []).some((l) => l.name === name) || (state.pending ?? []).some((l) => l.name === name);
    },
  };
}

const engine = createEngine({
  db: openDb(),
  fetch: (url, init) => fetch(url, init),
  clock: systemClock,
  locks: browserLocks(),
  appOrigin: self.location.origin,
  wrapKnowledge: (port) => Comlink.wrap<KnowledgePort>(port),
  wrapWebGpu: (port): WebGpuPort => {
    const remote = Comlink.wrap<WebGpuApi>(port);
    return {
      // Callbacks cross as proxies: each event is one message back to this worker.
      stream: (id, req, onEvent, onProgress) => remote.stream(id, req, Comlink.proxy(onEvent), onProgress ? Comlink.proxy(onProgress) : undefined),
      cancel: (id) => remote.cancel(id),
      cached: () => remote.cached(),
    };
  },
});

Comlink.expose(engine);
