import type { Chat, Connection, Folder, Message } from '../storage/schema';
import type { Prompt } from '../prompts/schema';

/** Valid records for the sync tests (full rows, as the app stores them). */

export function chat(id: string, over: Partial<Chat> = {}): Chat {
  return { id, title: `Chat ${id}`, createdAt: 1, updatedAt: 1, pinned: false, archived: false, folderId: null, tags: [], currentId: null, models: [], system: '', params: {}, ...over };
}

export function message(id: string, chatId: string, over: Partial<Message> = {}): Message {
  return {
    id,
    chatId,
    parentId: null,
    role: 'user',
    content: `text ${id}`,
    reasoning: '',
    refusal: '',
    model: '',
    connectionId: '',
    modelIdx: 0,
    status: 'done',
    error: null,
    finishReason: null,
    usage: null,
    metrics: null,
    attachments: [],
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

export function folder(id: string, over: Partial<Folder> = {}): Folder {
  return { id, name: `Folder ${id}`, parentId: null, expanded: true, createdAt: 1, updatedAt: 1, ...over };
}

export function prompt(id: string, command: string, over: Partial<Prompt> = {}): Prompt {
  return { id, command, title: '', content: `Prompt ${id}`, createdAt: 1, updatedAt: 1, ...over };
}

export function connection(id: string, over: Partial<Connection> = {}): Connection {
  return {
    id,
    kind: 'openai',
    name: `Server ${id}`,
    url: 'http://127.0.0.1:1/v1',
    key: 'sk-secret',
    enabled: true,
    modelIds: [],
    prefixId: '',
    tags: [],
    headers: {},
    authType: 'bearer',
    azure: false,
    apiVersion: '',
    timeoutMs: 10_000,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}
