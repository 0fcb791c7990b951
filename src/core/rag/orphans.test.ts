import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { sendTurn } from '../storage/chats';
import { deleteChats, restoreChats } from '../storage/library-ops';
import { deleteSubtree } from '../storage/tree-ops';
import { ORPHAN_GRACE_MS, removeOrphanDocuments } from './orphans';
import { addDocument, batchRows, createKnowledge } from './store';
import type { DocumentRecord } from './schema';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-rag-orphans-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const T0 = 1_000_000;
const LATER = T0 + ORPHAN_GRACE_MS + 1;

/** A question in `chatId` (new chat when null) with one file attached to it, indexed into 3 chunks. */
async function questionWithFile(chatId: string | null, name: string, now = T0) {
  const turn = await sendTurn(db, { chatId, content: `about ${name}`, model: 'm', connectionId: 'c', now });
  const doc = (await addDocument(db, { knowledgeId: null, chatId: turn.chatId, file: new Blob([name]), name, now })).document;
  await db.messages.update(turn.userId, { files: [{ documentId: doc.id, name }] });
  await db.messages.update(turn.assistantId, { status: 'done', content: 'ok' });
  await indexed(doc);
  return { turn, doc };
}

async function indexed(doc: DocumentRecord) {
  const chunks = [0, 1, 2].map((index) => ({ index, text: `${doc.name} ${index}`, start: index, end: index + 1, headings: [] }));
  const rows = batchRows(doc, 'e1', chunks, chunks.map(() => Float32Array.of(1, 0, 0, 0)));
  await db.chunks.bulkPut(rows.chunks);
  await db.vectors.bulkPut(rows.blocks);
  await db.sources.update(doc.id, { extracted: { text: doc.name } });
}

/** Every row left for a document, across the four tables. */
async function rowsOf(id: string) {
  return {
    document: (await db.documents.get(id)) !== undefined,
    source: (await db.sources.get(id)) !== undefined,
    chunks: await db.chunks.where('[documentId+index]').between([id, 0], [id, Infinity]).count(),
    vectors: await db.vectors.where('documentId').equals(id).count(),
  };
}
const ALL = { document: true, source: true, chunks: 3, vectors: 1 };
const NONE = { document: false, source: false, chunks: 0, vectors: 0 };

describe('files of deleted chats and messages', () => {
  it('a deleted chat’s files go with every chunk and vector once the sweep names it; other chats and bases keep theirs', async () => {
    const a = await questionWithFile(null, 'a.md');
    const b = await questionWithFile(null, 'b.md');
    const k = await createKnowledge(db, { name: 'K' });
    const inBase = (await addDocument(db, { knowledgeId: k.id, file: new Blob(['k']), name: 'k.md', now: T0 })).document;
    await indexed(inBase);

    await deleteChats(db, [a.turn.chatId]);
    // Within the Undo time nothing was touched.
    expect(await rowsOf(a.doc.id)).toEqual(ALL);
    expect(await removeOrphanDocuments(db, { chatIds: [a.turn.chatId], now: T0 + 1 })).toBe(1);
    expect(await rowsOf(a.doc.id)).toEqual(NONE);
    expect(await rowsOf(b.doc.id)).toEqual(ALL);
    expect(await rowsOf(inBase.id)).toEqual(ALL);
  });

  it('Undo brings the chat back with its files: a later sweep keeps them', async () => {
    const a = await questionWithFile(null, 'a.md');
    const gone = await deleteChats(db, [a.turn.chatId]);
    await restoreChats(db, gone);
    expect(await removeOrphanDocuments(db, { chatIds: [a.turn.chatId], now: LATER })).toBe(0);
    expect(await rowsOf(a.doc.id)).toEqual(ALL);
  });

  it('the start-up sweep takes the files of missing chats and deleted messages, but leaves recent ones (another tab may be attaching)', async () => {
    const a = await questionWithFile(null, 'a.md');
    const second = await questionWithFile(a.turn.chatId, 'second.md');
    const kept = await questionWithFile(null, 'kept.md');
    await deleteChats(db, [a.turn.chatId]);
    // Attached a moment ago, its message's `files` not written yet.
    const fresh = (await addDocument(db, { knowledgeId: null, chatId: kept.turn.chatId, file: new Blob(['f']), name: 'f.md', now: LATER - 5 })).document;
    // A message deleted (its Undo gone with a closed tab).
    const t = await questionWithFile(kept.turn.chatId, 'deleted-message.md');
    await deleteSubtree(db, kept.turn.chatId, t.turn.userId, T0 + 5);

    expect(await removeOrphanDocuments(db, { now: T0 + 10 })).toBe(0); // all within the grace time
    expect(await removeOrphanDocuments(db, { now: LATER })).toBe(3);
    expect(await rowsOf(a.doc.id)).toEqual(NONE);
    expect(await rowsOf(second.doc.id)).toEqual(NONE);
    expect(await rowsOf(t.doc.id)).toEqual(NONE);
    expect(await rowsOf(kept.doc.id)).toEqual(ALL);
    expect((await rowsOf(fresh.id)).document).toBe(true);
  });

  it('nothing to sweep is cheap and changes nothing', async () => {
    const kept = await questionWithFile(null, 'kept.md');
    expect(await removeOrphanDocuments(db, { now: LATER })).toBe(0);
    expect(await removeOrphanDocuments(db, { chatIds: ['no-such-chat'], now: LATER })).toBe(0);
    expect(await rowsOf(kept.doc.id)).toEqual(ALL);
  });
});

describe('files of a message just deleted', () => {
  it('named documents go at once if no message lists them any more; one still listed stays', async () => {
    const kept = await questionWithFile(null, 'kept.md');
    const t = await questionWithFile(kept.turn.chatId, 'deleted-message.md');
    await deleteSubtree(db, kept.turn.chatId, t.turn.userId, T0 + 5);
    expect(await removeOrphanDocuments(db, { documentIds: [t.doc.id, kept.doc.id], now: T0 + 6 })).toBe(1);
    expect(await rowsOf(t.doc.id)).toEqual(NONE);
    expect(await rowsOf(kept.doc.id)).toEqual(ALL);
  });
});
