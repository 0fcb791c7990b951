import * as Comlink from 'comlink';
import type { EngineApi } from '../../workers/api';
import type { DataApi } from '../../workers/data-api';
import type { SearchApi } from '../../workers/search-api';
import type { KnowledgeApi } from '../../workers/knowledge/api';

export interface EngineClient extends Omit<EngineApi, 'linkKnowledge' | 'linkWebGpu'> {
  dispose(): void;
}

/** The only place the engine worker is wrapped; everything else receives the client. */
export function startEngine(): EngineClient {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'parley-engine' });
  const remote = Comlink.wrap<EngineApi>(worker);
  // The engine asks for the knowledge worker only when an answer needs it; its code (and the
  // worker) load then, not with the page.
  void remote.linkKnowledge(
    Comlink.proxy(async () => {
      const port = await (await import('./knowledge-client')).knowledgePort();
      return Comlink.transfer(port, [port]);
    }),
  );
  // The same for the in-browser model worker (web-llm): started when a `webgpu` connection's
  // answer or model list first needs it.
  void remote.linkWebGpu(
    Comlink.proxy(async () => {
      const port = await (await import('./webgpu-client')).webgpuPort();
      return Comlink.transfer(port, [port]);
    }),
  );
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

export interface KnowledgeClient extends KnowledgeApi {
  dispose(): void;
}

/**
 * The knowledge worker (ingestion, search indexes, the embedding model), started by
 * src/ui/knowledge-client.ts on first use: none of its code is in the first load.
 */
export function startKnowledge(): KnowledgeClient {
  const worker = new Worker(new URL('../../workers/knowledge/knowledge.worker.ts', import.meta.url), { type: 'module', name: 'parley-knowledge' });
  const remote = Comlink.wrap<KnowledgeApi>(worker);
  return {
    createKnowledge: (input) => remote.createKnowledge(input),
    updateKnowledge: (id, patch) => remote.updateKnowledge(id, patch),
    deleteKnowledge: (id) => remote.deleteKnowledge(id),
    addFiles: (target, files) => remote.addFiles(target, files),
    cancelDocument: (id) => remote.cancelDocument(id),
    removeDocument: (id) => remote.removeDocument(id),
    reindexDocument: (id) => remote.reindexDocument(id),
    retryDocument: (id) => remote.retryDocument(id),
    subscribe: (onProgress) => remote.subscribe(Comlink.proxy(onProgress)),
    unsubscribe: (id) => remote.unsubscribe(id),
    getSettings: () => remote.getSettings(),
    setSettings: (patch) => remote.setSettings(patch),
    loadEmbedder: (onProgress) => remote.loadEmbedder(onProgress ? Comlink.proxy(onProgress) : undefined),
    embedderState: () => remote.embedderState(),
    reindexAll: (ids) => remote.reindexAll(ids),
    importModel: (modelId, files) => remote.importModel(modelId, files),
    storedModels: () => remote.storedModels(),
    deleteModel: (modelId) => remote.deleteModel(modelId),
    search: (query, scope) => remote.search(query, scope),
    context: (req) => remote.context(req),
    // The port moves to the worker (transferred, not copied).
    connect: (port) => remote.connect(Comlink.transfer(port, [port])),
    dispose: () => worker.terminate(),
  };
}
