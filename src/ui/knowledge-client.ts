import { startKnowledge, type KnowledgeClient } from './engine-client';
import type { KnowledgeProgress } from '../../workers/knowledge/api';
import type { DocumentStatus } from '../core/rag/schema';
import type { ParleyDb } from '../core/storage/db';

/**
 * One knowledge worker for the page, started on first use (import this module lazily:
 * `await import('./knowledge-client')`). It resumes unfinished ingestion as it starts, so
 * opening the knowledge screen after a reload continues where the last tab stopped.
 *
 * Progress fans out here: the worker sends each event once to this thread, and any number of
 * components listen with `onProgress` (removed with the function it returns).
 */
let shared: { client: KnowledgeClient; listeners: Set<(p: KnowledgeProgress) => void> } | null = null;

export function knowledgeClient(): { client: KnowledgeClient; onProgress(fn: (p: KnowledgeProgress) => void): () => void } {
  if (!shared) {
    const listeners = new Set<(p: KnowledgeProgress) => void>();
    const client = startKnowledge();
    void client.subscribe((p) => listeners.forEach((l) => l(p)));
    shared = { client, listeners };
  }
  const { client, listeners } = shared;
  return {
    client,
    onProgress: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/**
 * A new channel to the knowledge worker, for the engine worker (which asks for it the first
 * time an answer needs knowledge): one end is served by the knowledge worker, the other is
 * returned to be transferred to the engine.
 */
export async function knowledgePort(): Promise<MessagePort> {
  const { client } = knowledgeClient();
  const channel = new MessageChannel();
  await client.connect(channel.port1);
  return channel.port2;
}

/** Statuses ingestion has not finished (as src/core/rag/store.ts's UNFINISHED, without loading that module). */
const UNFINISHED: readonly DocumentStatus[] = ['queued', 'extracting', 'chunking', 'embedding'];

/**
 * Starts the knowledge worker when a document was left unfinished (a tab closed mid-indexing),
 * so indexing resumes without waiting for the Knowledge panel or an answer that needs it. Meant
 * to run once, after start-up, from a lazy import. Returns whether it started the worker.
 */
export async function resumeUnfinished(db: ParleyDb): Promise<boolean> {
  const left = await db.documents.where('status').anyOf([...UNFINISHED]).count();
  if (left > 0) knowledgeClient();
  return left > 0;
}
