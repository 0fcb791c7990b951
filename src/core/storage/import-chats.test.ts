import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { sendTurn } from './chats';
import { cleanupStagedImport, describeImport, importParsed, ImportWriter, NothingToImport, STAGED_KEY } from './import-chats';
import { allChatsAsOpenWebUI, backupOf, chatAsMarkdown } from './export-chats';
import { ImportFileError, readImport, readImportText } from '../library/read-import';
import { exportFixture } from '../library/test-fixtures';
import { chatNodes } from './message-rows';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-import-chats-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const NOW = 1_800_000_000_000;
const read = (text: string) => readImportText(text, { now: NOW });
const importText = async (text: string) => importParsed(db, await read(text));

/** Everything stored, sorted, to compare before and after. */
async function dump(d: ParleyDb = db) {
  const byId = <T extends { id: string }>(xs: T[]) => xs.sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    chats: byId(await d.chats.toArray()),
    messages: byId(await d.messages.toArray()),
    nodes: (await d.nodes.toArray()).sort((a, b) => (a.id < b.id ? -1 : 1)),
    folders: byId(await d.folders.toArray()),
    settings: await d.settings.toArray(),
    connections: byId(await d.connections.toArray()),
    prompts: byId(await d.prompts.toArray()),
  };
}

async function seed() {
  const t1 = await sendTurn(db, { chatId: null, content: 'first <b>bold</b>', model: 'm', connectionId: 'c', now: NOW - 5000, images: [] });
  await sendTurn(db, { chatId: t1.chatId, content: 'second', model: 'm', connectionId: 'c', now: NOW - 4000, images: [] });
  await sendTurn(db, { chatId: null, content: 'other chat', model: 'm2', connectionId: 'c', now: NOW - 3000, images: [] });
  // No engine here: the answers stay `streaming`, which an import turns into `interrupted`.
  await db.messages.where('status').equals('streaming').modify({ status: 'done', content: 'answer', reasoning: 'hmm', usage: { total_tokens: 4 } });
}

async function exportAll(d: ParleyDb = db) {
  return (await allChatsAsOpenWebUI(d)).parts.join('');
}

describe('importing', () => {
  it('imports the ChatGPT sample with nodes for every message, and not twice', async () => {
    const { text } = exportFixture('chatgpt-conversations');
    const r = await importText(text);
    expect(r).toMatchObject({ format: 'chatgpt', chats: 1, messages: 10, already: 0 });
    expect(describeImport(r)).toBe('Imported 1 chat (10 messages).');
    expect(await chatNodes(db, r.chatIds[0]!)).toHaveLength(10);
    const before = await dump();
    const again = await importText(text);
    expect(describeImport(again)).toBe('This chat was already imported; nothing was added.');
    expect(await dump()).toEqual(before);
  });

  it('imports the Open WebUI chat object, twice without a copy', async () => {
    const { text } = exportFixture('openwebui-chat-object');
    expect((await importText(text)).chats).toBe(1);
    expect((await importText(text)).already).toBe(1);
    expect(await db.chats.count()).toBe(1);
  });

  it('exports every chat and imports it into an empty database unchanged', async () => {
    await seed();
    const before = await dump();
    const other = openDb(`test-import-chats-other-${n++}`);
    try {
      const r = await importParsed(other, await read(await exportAll()));
      expect(r).toMatchObject({ chats: 2, messages: 6 });
      expect(await dump(other)).toEqual(before);
    } finally {
      await other.delete();
    }
  });

  it('gives a different chat under a taken id a new id, and remaps message ids other chats hold', async () => {
    await seed();
    const text = await exportAll();
    const row = JSON.parse(text) as Array<{ chat: { timestamp: number; parley: { createdAt: number } }; created_at: number }>;
    for (const r of row) {
      r.chat.parley.createdAt += 1;
    }
    const before = await dump();
    const r = await importText(JSON.stringify(row));
    expect(r.chats).toBe(2);
    const after = await dump();
    expect(after.chats).toHaveLength(4);
    expect(after.messages).toHaveLength(12);
    // The originals are untouched.
    for (const m of before.messages) expect(after.messages.find((x) => x.id === m.id)).toEqual(m);
    const copy = after.chats.find((c) => r.chatIds.includes(c.id))!;
    const copyMessages = after.messages.filter((m) => m.chatId === copy.id);
    expect(copyMessages.map((m) => m.id)).toContain(copy.currentId);
    for (const m of copyMessages) if (m.parentId) expect(copyMessages.some((p) => p.id === m.parentId)).toBe(true);
    // And importing the changed file again adds nothing.
    expect((await importText(JSON.stringify(row))).already).toBe(2);
  });

  it('imports the valid chats of a file, reports the rest, and rejects a file with none, changing nothing', async () => {
    await seed();
    const good = JSON.parse(exportFixture('openwebui-chat-object').text);
    const cyclic = { title: 'Loop', history: { messages: { a: { id: 'a', parentId: 'b', role: 'user', content: '' }, b: { id: 'b', parentId: 'a', role: 'user', content: '' } } } };
    const r = await importText(JSON.stringify([good, cyclic]));
    expect(describeImport(r)).toMatch(/^Imported 1 chat \(2 messages\); skipped 1: “Loop”: the messages around . form a cycle/);
    const before = await dump();
    await expect(importText(JSON.stringify([cyclic]))).rejects.toThrow(NothingToImport);
    expect(await dump()).toEqual(before);
  });

  it.each([
    ['invalid JSON', '[{"title": "x",', /not valid JSON/],
    ['deeply nested JSON', '[{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}]', /nested more than 64/],
    ['an unknown format', '{"hello": "world"}', /not a chat export Parley knows/],
    ['a list of unknown things', '[{"hello": 1}]', /not a chat export Parley knows/],
    ['an empty list', '[]', /empty list/],
    ['a backup from a newer Parley', '{"format":"parley-backup","version":99,"tables":{}}', /newer Parley/],
  ])('refuses %s with a clear message', async (_what, text, message) => {
    await expect(read(text)).rejects.toThrow(ImportFileError);
    await expect(read(text)).rejects.toThrow(message);
  });

  it('restores a backup: chats, folders, settings, prompts, connections without keys', async () => {
    await seed();
    await db.folders.add({ id: 'f1', name: 'Work', parentId: null, expanded: true, createdAt: 1, updatedAt: 1 });
    await db.chats.toCollection().modify({ folderId: 'f1' });
    await db.settings.put({ key: 'theme', value: 'dark' });
    await db.prompts.add({ id: 'p1', command: 'sum', title: 'Sum', content: 'Summarize', createdAt: 1, updatedAt: 1 });
    await db.connections.add({ id: 'k1', kind: 'openai', name: 'x', url: 'http://x', key: 'sk-secret', enabled: true, modelIds: [], prefixId: '', tags: [], headers: { 'X-Api-Key': 'k', Accept: 'a' }, authType: 'bearer', azure: false, apiVersion: '', timeoutMs: 10000, createdAt: 1, updatedAt: 1 });
    // Sync's own rows (server password, key) never go into a backup.
    await db.settings.bulkPut([{ key: 'sync.config', value: { url: 'https://couch.example', password: 'couch-secret' } }, { key: 'sync.checkpoint', value: 7 }]);
    const backup = JSON.stringify(await backupOf(db, { includeKeys: false, now: NOW }));
    expect(backup).not.toContain('sk-secret');
    expect(backup).not.toContain('couch-secret');
    expect(backup).not.toContain('sync.checkpoint');
    const before = await dump();
    const other = openDb(`test-import-chats-other-${n++}`);
    try {
      const r = await importParsed(other, await read(backup));
      expect(r.restored).toEqual({ folders: 1, settings: 1, connections: 1, prompts: 1 });
      const after = await dump(other);
      expect(after.chats).toEqual(before.chats);
      expect(after.messages).toEqual(before.messages);
      expect(after.folders).toEqual(before.folders);
      expect(after.connections[0]).toMatchObject({ key: '', headers: { Accept: 'a' } });
      // Nor does a backup written by an older Parley bring them in.
      const older = JSON.parse(backup);
      older.tables.settings.push({ key: 'sync.config', value: { url: 'https://elsewhere' } });
      const third = openDb(`test-import-chats-other-${n++}`);
      try {
        await importParsed(third, await read(JSON.stringify(older)));
        expect(await third.settings.get('sync.config')).toBeUndefined();
        expect(await third.settings.get('theme')).toEqual({ key: 'theme', value: 'dark' });
      } finally {
        await third.delete();
      }
    } finally {
      await other.delete();
    }
  });

  it('writes Markdown of the visible branch', async () => {
    await seed();
    const chat = (await db.chats.toArray()).find((c) => c.title !== 'other chat')!;
    const md = await chatAsMarkdown(db, chat.id);
    expect(md).toMatch(/^# .+\n\n## User\n\nfirst <b>bold<\/b>\n\n## Assistant \(m\)/);
    expect(md).toContain('## User\n\nsecond');
  });
});

describe('big files, staged in batches', () => {
  it('gives the same result written one message per batch', async () => {
    await seed();
    const before = await dump();
    const other = openDb(`test-import-chats-other-${n++}`);
    try {
      const r = await importParsed(other, await read(await exportAll()), 1);
      expect(r).toMatchObject({ chats: 2, messages: 6 });
      expect(await dump(other)).toEqual(before);
      expect(await other.settings.get(STAGED_KEY)).toBeUndefined();
    } finally {
      await other.delete();
    }
  });

  it('leaves the database as it was when the file breaks after batches were staged', async () => {
    await seed();
    const text = await exportAll();
    const other = openDb(`test-import-chats-other-${n++}`);
    try {
      await other.settings.put({ key: 'theme', value: 'dark' });
      const before = await dump(other);
      const writer = new ImportWriter(other, 1);
      const broken = new TextEncoder().encode(text.replace(/\n]\n$/, ', {"title": "cut'));
      const stream = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(broken); c.close(); } });
      await expect(readImport(stream, { now: NOW, onChat: (c) => writer.add(c) })).rejects.toThrow(ImportFileError);
      // Staged, invisible: messages written, no chat rows.
      expect(await other.messages.count()).toBeGreaterThan(0);
      expect(await other.chats.count()).toBe(0);
      await writer.rollback();
      expect(await dump(other)).toEqual(before);
    } finally {
      await other.delete();
    }
  });

  it('cleans up what a tab that died midway staged, and only that', async () => {
    await seed();
    const text = await exportAll();
    const before = await dump();
    const parsed = await read(text);
    const other = openDb(`test-import-chats-other-${n++}`);
    try {
      const writer = new ImportWriter(other, 1);
      for (const c of parsed.chats) await writer.add(c);
      expect(await other.messages.count()).toBe(6);
      // The writer is dropped without commit or rollback: the tab closed.
      expect(await cleanupStagedImport(other)).toBe(2);
      expect(await other.messages.count()).toBe(0);
      expect(await other.nodes.count()).toBe(0);
      expect(await other.settings.count()).toBe(0);
      // Nothing of the first database was touched by any of this.
      expect(await dump()).toEqual(before);
    } finally {
      await other.delete();
    }
  });
});

