import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openDb, type ParleyDb } from '../../core/storage/db';
import { newId } from '../../core/id';
import { createEngine } from '../../../workers/engine';
import { memoryLocks, systemClock } from '../../../workers/ports';
import type { EngineClient } from '../engine-client';

/**
 * A temporary chat lives in memory only. It runs on the same code as every other chat — the
 * same Dexie schema, tree operations, chat view and engine — against an IndexedDB that is a
 * JavaScript object in this tab (fake-indexeddb), so nothing of it ever reaches the browser's
 * storage, and a reload, or leaving the chat, takes it away.
 *
 * The engine runs in this thread, beside the page: the worker's engine only sees the real
 * database, and a temporary chat's rows exist only here. One stream costs the page little.
 */
export interface TemporarySession {
  db: ParleyDb;
  engine: EngineClient;
}

/** Tables a chat's run reads (its connection, default params and system prompt, / prompts), copied from the real database. */
async function copyConfig(from: ParleyDb, to: ParleyDb): Promise<void> {
  const [connections, settings, prompts] = await from.transaction('r', from.connections, from.settings, from.prompts, () =>
    Promise.all([from.connections.toArray(), from.settings.toArray(), from.prompts.toArray()]),
  );
  await to.transaction('rw', to.connections, to.settings, to.prompts, async () => {
    await Promise.all([to.connections.clear(), to.settings.clear(), to.prompts.clear()]);
    await Promise.all([to.connections.bulkPut(connections), to.settings.bulkPut(settings), to.prompts.bulkPut(prompts)]);
  });
}

export async function startTemporarySession(real: ParleyDb): Promise<TemporarySession> {
  // A factory of its own: nothing is shared with another temporary chat, and dropping the
  // session drops every byte of it.
  const db = openDb(`parley-temporary-${newId()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  await copyConfig(real, db);
  const engine = createEngine({
    db,
    fetch: (url, init) => fetch(url, init),
    clock: systemClock,
    locks: memoryLocks(),
    appOrigin: location.origin,
    // In-browser models: the page's own client of the one WebGPU worker (the Settings panel's too).
    webgpu: async () => (await import('../webgpu-client')).webgpuClient(),
  });
  return {
    db,
    engine: {
      ...engine,
      // Connections edited in Settings while the chat is open count from the next message on.
      generate: async (req, onUpdate) => {
        await copyConfig(real, db);
        return engine.generate(req, onUpdate);
      },
      dispose: () => {
        engine.close();
        db.close();
      },
    },
  };
}
