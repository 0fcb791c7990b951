import { interruptOrphans } from '../src/core/storage/chats';
import { appError, toAppError } from '../src/core/errors';
import { saveConnection } from '../src/core/storage/connections';
import type { EngineApi, StreamUpdate } from './api';
import type { EnginePorts, KnowledgePort, WebGpuPort } from './ports';
import { runGeneration, runLockName } from './run-generation';
import { verify } from './list-all-models';
import { createCatalog, inBrowserModels } from './catalog';
import { findLocalOllama, firstStartProbe } from './local-ollama';
import type { TaskRunner } from './tasks';

export interface Engine extends EngineApi {
  /** Stops every run and releases timers. */
  close(): void;
  /** Resolves when the background tasks (title, tags, follow-ups) started so far have ended. */
  tasksIdle(): Promise<void>;
}

/** Builds the engine from its ports; no browser globals are read here, so node tests can run it. */
export function createEngine(ports: EnginePorts): Engine {
  const runs = new Map<string, AbortController>();
  // The task runner (templates, parsing) loads after the first answer: it is not part of the
  // worker's first fetch. Started synchronously on first use, so tasksIdle() sees it at once.
  let tasks: Promise<TaskRunner> | null = null;
  const taskRunner = () => (tasks ??= import('./tasks').then((m) => m.createTaskRunner(ports)));

  // The knowledge and in-browser model workers, reached on the first answer (or model list)
  // that needs them (see EngineApi.linkKnowledge / linkWebGpu).
  const knowledgeLink = lazyLink<KnowledgePort>(ports.knowledge, ports.wrapKnowledge);
  const webgpuLink = lazyLink<WebGpuPort>(ports.webgpu, ports.wrapWebGpu);
  const runPorts: EnginePorts = { ...ports, knowledge: knowledgeLink.get, webgpu: webgpuLink.get };
  const catalog = createCatalog(runPorts);

  return {
    async listModels(opts, onPart) {
      return catalog.list(opts, onPart);
    },

    async saveConnection(input) {
      try {
        return await saveConnection(ports.db, input, ports.clock.now());
      } catch (e) {
        return toAppError(e, 'storage');
      }
    },

    async verifyConnection(connectionId) {
      const c = await ports.db.connections.get(connectionId);
      if (!c) return { ok: false, error: appError('invalid', 'This connection no longer exists.') };
      if (c.kind === 'webgpu') {
        // Nothing to reach: "verified" means the worker answers; the count is what is downloaded.
        try {
          return { ok: true, count: (await inBrowserModels(runPorts)).length };
        } catch (e) {
          return { ok: false, error: toAppError(e, 'internal') };
        }
      }
      return verify(ports.fetch, c, ports.appOrigin);
    },

    async firstStart() {
      return firstStartProbe(ports).catch(() => null);
    },

    async findLocalOllama() {
      return findLocalOllama(ports).catch((e: unknown) => toAppError(e, 'storage'));
    },

    async generate(req, onUpdate: (u: StreamUpdate) => void) {
      if (runs.has(req.messageId)) return;
      const ac = new AbortController();
      runs.set(req.messageId, ac);
      try {
        await ports.locks.hold(runLockName(req.messageId), () => runGeneration(runPorts, req, ac.signal, onUpdate));
      } finally {
        runs.delete(req.messageId);
      }
      // After the answer is stored; never awaited, so the chat goes on at once (see tasks.ts).
      taskRunner()
        .then((t) => t.afterAnswer(req.chatId, req.messageId))
        .catch((e: unknown) => console.warn('Parley: the background tasks could not start', e));
    },

    async stop(messageId) {
      runs.get(messageId)?.abort();
    },

    async recoverInterrupted() {
      return interruptOrphans(ports.db, (id) => (runs.has(id) ? Promise.resolve(true) : ports.locks.isHeld(runLockName(id))), ports.clock.now());
    },

    async linkKnowledge(open) {
      knowledgeLink.set(open);
    },

    async linkWebGpu(open) {
      webgpuLink.set(open);
    },

    close() {
      for (const ac of runs.values()) ac.abort();
      runs.clear();
      void tasks?.then((t) => t.close());
    },

    tasksIdle: async () => {
      if (tasks) await (await tasks).idle();
    },
  };
}

/**
 * A worker reached through a port the page hands over (`set(open)`): opened on the first `get`,
 * shared after; a failed open is tried again next time (the page may have been busy). `direct`
 * (tests, or a port given at creation) wins.
 */
function lazyLink<P>(direct: (() => Promise<P | null>) | undefined, wrap: ((port: MessagePort) => P) | undefined) {
  let open: (() => Promise<MessagePort>) | null = null;
  let link: Promise<P> | null = null;
  return {
    set(fn: () => Promise<MessagePort>) {
      open = fn;
      link = null;
    },
    get: async (): Promise<P | null> => {
      if (direct) return direct();
      if (!open || !wrap) return null;
      const opening = (link ??= open().then((port) => wrap(port)));
      try {
        return await opening;
      } catch (e) {
        if (link === opening) link = null;
        throw e;
      }
    },
  };
}
