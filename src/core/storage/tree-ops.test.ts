import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from './db';
import { loadBranch, sendTurn } from './chats';
import { nodeOf } from './schema';
import { addAnswerSibling, deleteSubtree, editInPlace, editQuestion, reopenForContinue, restoreSubtree, showBranch } from './tree-ops';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-tree-ops-${n++}`);
  await db.open();
});
afterEach(async () => {
  // Whatever a test did to the tree, every message's node says what the message says.
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
  expect(await db.nodes.count()).toBe(await db.messages.count());
  expect((await db.nodes.toArray()).sort(byId)).toEqual((await db.messages.toArray()).map(nodeOf).sort(byId));
  await db.delete();
});

const choice = { model: 'm2', connectionId: 'c2' };
const done = (id: string, content: string) => db.messages.update(id, { status: 'done', content });
const shown = async (chatId: string) => (await loadBranch(db, chatId)).map((m) => m.content || `(${m.status})`);

/** A chat "Q1 → A1 → Q2 → A2", every answer finished. */
async function twoTurns() {
  const t1 = await sendTurn(db, { chatId: null, content: 'Q1', model: 'm1', connectionId: 'c1', now: 1000 });
  await done(t1.assistantId, 'A1');
  const t2 = await sendTurn(db, { chatId: t1.chatId, content: 'Q2', model: 'm1', connectionId: 'c1', now: 2000 });
  await done(t2.assistantId, 'A2');
  return { chatId: t1.chatId, t1, t2 };
}

describe('tree operations', () => {
  it('regenerate adds a streaming sibling and shows it; the old answer is one switch away', async () => {
    const { chatId, t2 } = await twoTurns();
    const id = await addAnswerSibling(db, chatId, t2.assistantId, choice, 3000);
    expect(await shown(chatId)).toEqual(['Q1', 'A1', 'Q2', '(streaming)']);
    const fresh = await db.messages.get(id);
    expect(fresh).toMatchObject({ parentId: t2.userId, model: 'm2', connectionId: 'c2', status: 'streaming' });
    await done(id, 'A2 again');
    await showBranch(db, chatId, t2.assistantId);
    expect(await shown(chatId)).toEqual(['Q1', 'A1', 'Q2', 'A2']);
  });

  it('editing a question branches from its parent and keeps the old branch whole', async () => {
    const { chatId, t1 } = await twoTurns();
    const r = await editQuestion(db, chatId, t1.userId, 'Q1 edited', choice, 3000);
    await done(r.assistantId, 'A1 new');
    expect(await shown(chatId)).toEqual(['Q1 edited', 'A1 new']);
    await showBranch(db, chatId, t1.userId);
    // Switching back reaches the newest leaf under the old question.
    expect(await shown(chatId)).toEqual(['Q1', 'A1', 'Q2', 'A2']);
  });

  it('an edited question keeps the files attached to the old one', async () => {
    const { chatId, t1 } = await twoTurns();
    const files = [{ documentId: 'd1', name: 'policy.pdf', size: 12 }];
    await db.messages.update(t1.userId, { files });
    const r = await editQuestion(db, chatId, t1.userId, 'Q1 edited', choice, 3000);
    expect((await db.messages.get(r.userId))?.files).toEqual(files);
    const plain = await editQuestion(db, chatId, r.userId, 'Q1 again', choice, 4000);
    await db.messages.update(r.userId, { files: [] });
    const again = await editQuestion(db, chatId, r.userId, 'Q1 bare', choice, 5000);
    expect((await db.messages.get(again.userId))?.files).toBeUndefined();
    expect((await db.messages.get(plain.userId))?.files).toEqual(files);
  });

  it('edits in place, refusing a message that is still streaming', async () => {
    const { chatId, t2 } = await twoTurns();
    await editInPlace(db, chatId, t2.assistantId, 'A2 fixed', 4000);
    expect(await shown(chatId)).toEqual(['Q1', 'A1', 'Q2', 'A2 fixed']);
    const id = await addAnswerSibling(db, chatId, t2.assistantId, choice, 5000);
    await expect(editInPlace(db, chatId, id, 'x', 6000)).rejects.toThrow(/finish/);
  });

  it('continue reopens the same answer as streaming without its old error', async () => {
    const { chatId, t2 } = await twoTurns();
    await db.messages.update(t2.assistantId, { finishReason: 'length', error: { kind: 'http', message: 'x' } });
    await reopenForContinue(db, chatId, t2.assistantId, choice, 7000);
    expect(await db.messages.get(t2.assistantId)).toMatchObject({ status: 'streaming', finishReason: null, error: null, content: 'A2', model: 'm1' });
  });

  it('deletes a subtree, moves the view to a sibling, and undo puts every row back', async () => {
    const { chatId, t1, t2 } = await twoTurns();
    const other = await addAnswerSibling(db, chatId, t1.assistantId, choice, 3000);
    await done(other, 'A1 other');
    await showBranch(db, chatId, t1.assistantId);
    const before = await db.messages.where('chatId').equals(chatId).toArray();
    const d = await deleteSubtree(db, chatId, t1.assistantId, 4000);
    expect(d.rows.map((m) => m.id).sort()).toEqual([t1.assistantId, t2.userId, t2.assistantId].sort());
    expect(await shown(chatId)).toEqual(['Q1', 'A1 other']);
    await restoreSubtree(db, d, 5000);
    expect(await db.messages.where('chatId').equals(chatId).toArray()).toEqual(expect.arrayContaining(before));
    expect(await shown(chatId)).toEqual(['Q1', 'A1', 'Q2', 'A2']);
  });

  it('refuses to delete a subtree that is streaming, and changes nothing', async () => {
    const { chatId, t2 } = await twoTurns();
    await addAnswerSibling(db, chatId, t2.assistantId, choice, 3000);
    const count = await db.messages.count();
    await expect(deleteSubtree(db, chatId, t2.userId, 4000)).rejects.toThrow(/Stop/);
    expect(await db.messages.count()).toBe(count);
  });
});
