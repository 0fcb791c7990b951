import * as Comlink from 'comlink';
import type { EngineApi } from '../../workers/api';

export interface EngineClient extends EngineApi {
  dispose(): void;
}

/** The only place the engine worker is wrapped; everything else receives the client. */
export function startEngine(): EngineClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'parley-engine' });
  const remote = Comlink.wrap<EngineApi>(worker);
  return {
    listModels: (opts, onPart) => remote.listModels(opts, onPart ? Comlink.proxy(onPart) : undefined),
    saveConnection: (input) => remote.saveConnection(input),
    verifyConnection: (id) => remote.verifyConnection(id),
    firstStart: () => remote.firstStart(),
    findLocalOllama: () => remote.findLocalOllama(),
    // The callback crosses the bridge as a proxy: each call is one message back to this thread.
    generate: (req, onUpdate) => remote.generate(req, Comlink.proxy(onUpdate)),
    stop: (id) => remote.stop(id),
    recoverInterrupted: () => remote.recoverInterrupted(),
    dispose: () => worker.terminate(),
  };
}
