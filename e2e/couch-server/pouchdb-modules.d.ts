// Just enough typing for the CommonJS packages the test CouchDB server is built from.
declare module 'pouchdb-core' {
  export interface PouchDatabase {
    destroy(): Promise<unknown>;
  }
  export interface PouchDBStatic {
    new (name: string, opts?: Record<string, unknown>): PouchDatabase;
    plugin(plugin: unknown): PouchDBStatic;
    defaults(opts: Record<string, unknown>): PouchDBStatic;
    /** Set by express-pouchdb: the databases it opened, by name. */
    __dbCacheMap?: { values(): Iterable<PouchDatabase> };
    allDbs?: unknown;
  }
  const PouchDB: PouchDBStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { PouchDBStatic } from 'pouchdb-core';
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  function expressPouchDB(PouchDB: PouchDBStatic, opts: { mode: 'minimumForPouchDB' | 'fullCouchDB'; inMemoryConfig?: boolean; logPath?: string }): Handler;
  export default expressPouchDB;
}
