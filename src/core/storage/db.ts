import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Chat, Connection, Folder, Message, ModelCacheEntry, Setting, StoredBlob } from './schema';
import { nodeOf, type MessageNode } from './message-node';
import type { Prompt } from '../prompts/schema';
import type { ChunkRecord, DocumentRecord, Knowledge, SourceRecord, VectorBlock } from '../rag/schema';
import type { Bm25Record } from '../rag/bm25-store';
import type { OutboxRow, SyncStateRow } from '../sync/types';
import { outboxMiddleware } from '../sync/outbox';

/** Messages read per step while a version upgrade copies them. */
const UPGRADE_PAGE = 2000;

/**
 * The one Parley database. Every schema change is a new `version()` below, never an edit
 * of an old one: browsers holding the old version upgrade through each step in order.
 */
export class ParleyDb extends Dexie {
  connections!: EntityTable<Connection, 'id'>;
  chats!: EntityTable<Chat, 'id'>;
  messages!: EntityTable<Message, 'id'>;
  settings!: EntityTable<Setting, 'key'>;
  modelCache!: EntityTable<ModelCacheEntry, 'connectionId'>;
  prompts!: EntityTable<Prompt, 'id'>;
  blobs!: EntityTable<StoredBlob, 'id'>;
  /** Keyed by [chatId, id]: a chat's nodes sit together, so reading them is one sequential sweep. */
  nodes!: Table<MessageNode, [string, string]>;
  folders!: EntityTable<Folder, 'id'>;
  knowledge!: EntityTable<Knowledge, 'id'>;
  documents!: EntityTable<DocumentRecord, 'id'>;
  /** A document's file, then its extracted text: apart from `documents` so a list never reads them. */
  sources!: EntityTable<SourceRecord, 'documentId'>;
  chunks!: EntityTable<ChunkRecord, 'id'>;
  /** Keyed by [knowledgeId, embedderId, documentId, first]: one base's vectors for one model are one key range (see rag/store.ts). */
  vectors!: Table<VectorBlock, [string, string, string, number]>;
  /** A base's BM25 index, saved so it loads instead of being rebuilt from every chunk (see rag/bm25-store.ts). */
  bm25!: EntityTable<Bm25Record, 'knowledgeId'>;
  /** Sync (issue 9): each synced record's field clocks, tombstone clock and last known server revision. */
  syncState!: EntityTable<SyncStateRow, 'id'>;
  /** Sync: records changed here and not yet pushed; `at` orders them. Written by the outbox middleware. */
  syncOutbox!: EntityTable<OutboxRow, 'id'>;

  constructor(name = 'parley', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      connections: 'id, kind, createdAt',
      // updatedAt orders the sidebar; the list reads chats only, never messages.
      chats: 'id, updatedAt, pinned, archived, folderId',
      // [chatId+createdAt] loads one chat's messages in order; status finds orphaned streams.
      messages: 'id, chatId, [chatId+createdAt], parentId, status',
      settings: 'key',
    });
    // The last model list each connection gave, so the picker fills at once and works offline.
    this.version(2).stores({ modelCache: 'connectionId' });
    // Saved prompts: `&command` makes the slash command unique; updatedAt orders the Settings list.
    this.version(3).stores({ prompts: 'id, &command, updatedAt' });
    // Attached images as Blobs: chatId empties a deleted chat, messageId a deleted subtree.
    this.version(4).stores({ blobs: 'id, chatId, messageId' });
    // Each message's place in its tree, apart from its text: a chat's structure in small rows,
    // keyed by chat first so they are stored side by side (an index would cost one lookup per row).
    this.version(5)
      .stores({ nodes: '[chatId+id]' })
      .upgrade(async (tx) => {
        const messages = tx.table<Message, string>('messages');
        const nodes = tx.table<MessageNode, string>('nodes');
        // In pages, so a large library never sits in memory at once.
        let after: string | null = null;
        for (;;) {
          const page: Message[] = await (after === null ? messages.orderBy(':id') : messages.where(':id').above(after)).limit(UPGRADE_PAGE).toArray();
          if (page.length === 0) break;
          await nodes.bulkPut(page.map(nodeOf));
          after = page[page.length - 1]!.id;
        }
      });
    // Sidebar folders, and a multi-entry index on chat tags so filtering by a tag reads only its chats.
    this.version(6).stores({
      folders: 'id, parentId, updatedAt',
      chats: 'id, updatedAt, pinned, archived, folderId, *tags',
    });
    // Knowledge bases and their documents, chunks and vectors (src/core/rag/store.ts explains the layout).
    // documents: by base (the list), by chat (files attached to a message), by status (unfinished ones
    // resume), by base + content hash (the same file twice). chunks: a document's in order, a base's.
    // vectors: blocks keyed so a base's vectors for one model are one primary-key range; documentId to remove.
    this.version(7).stores({
      knowledge: 'id, updatedAt',
      documents: 'id, knowledgeId, chatId, status, [knowledgeId+sha256]',
      sources: 'documentId',
      chunks: 'id, knowledgeId, [documentId+index]',
      vectors: '[knowledgeId+embedderId+documentId+first], documentId',
    });
    // A base's BM25 index as a snapshot, one row per base (it does not depend on the embedding
    // model). Nothing to copy: bases without a row build it from their chunks once, then save it.
    this.version(8).stores({ bm25: 'knowledgeId' });
    // Sync's bookkeeping, by document id `<type>:<record id>`: the clocks of every synced record,
    // and the outbox of records changed since the last push (by `at`, oldest first). Nothing to
    // copy: records written before have no clocks yet (they count as older than any edit).
    this.version(9).stores({ syncState: 'id', syncOutbox: 'id, at' });
    // Every write to a synced table, in any context, records what it changed in the same
    // transaction (src/core/sync/outbox.ts).
    this.use(outboxMiddleware());
  }
}

export function openDb(name?: string, options?: ConstructorParameters<typeof Dexie>[1]): ParleyDb {
  return new ParleyDb(name, options);
}
