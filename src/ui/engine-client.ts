import * as Comlink from 'comlink';
import type { EngineApi } from '../../workers/api';
import type { DataApi } from '../../workers/data-api';
import type { SearchApi } from '../../workers/search-api';

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

export interface DataClient extends DataApi {
  dispose(): void;
}

/** The import/export worker, started when Settings › Chats & data needs it (its code is not in the first load). */
export function startData(): DataClient {
  const worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module', name: 'parley-data' });
  const remote = Comlink.wrap<DataApi>(worker);
  return {
    importFile: (file, onProgress) => remote.importFile(file, onProgress ? Comlink.proxy(onProgress) : undefined),
    exportAll: () => remote.exportAll(),
    exportBackup: (includeKeys) => remote.exportBackup(includeKeys),
    dispose: () => worker.terminate(),
  };
}

export interface SearchClient extends SearchApi {
  dispose(): void;
}

/** The search worker (its own index of the library), started when the search field is first focused. */
export function startSearch(): SearchClient {
  const worker = new Worker(new URL('../../workers/search.worker.ts', import.meta.url), { type: 'module', name: 'parley-search' });
  const remote = Comlink.wrap<SearchApi>(worker);
  return {
    search: (query, limit) => remote.search(query, limit),
    watch: (onChange) => remote.watch(Comlink.proxy(onChange)),
    status: () => remote.status(),
    memory: () => remote.memory(),
    dispose: () => worker.terminate(),
  };
}
