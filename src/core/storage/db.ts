import Dexie, { type EntityTable } from 'dexie';
import type { Chat, Connection, Message, ModelCacheEntry, Setting, StoredBlob } from './schema';
import type { Prompt } from '../prompts/schema';

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
  }
}

export function openDb(name?: string, options?: ConstructorParameters<typeof Dexie>[1]): ParleyDb {
  return new ParleyDb(name, options);
}
