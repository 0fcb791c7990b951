/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { KnowledgeApi } from './api';

// Placeholder until the service lands (next commit): every call says so.
const notYet = () => Promise.reject(new Error('The knowledge worker is not built yet.'));
Comlink.expose(new Proxy({}, { get: () => notYet }) as unknown as KnowledgeApi);
