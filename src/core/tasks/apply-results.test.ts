import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { sendTurn } from '../storage/chats';
import { addSuggestedTags, applyGeneratedTitle, setFollowUps } from './apply-results';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-task-apply-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const turn = () => sendTurn(db, { chatId: null, content: 'Plan a trip', model: 'm', connectionId: 'c', now: 1 });

describe('task results', () => {
  it('the title is set only over the title the task started from (a rename wins)', async () => {
    const t = await turn();
    expect(await applyGeneratedTitle(db, t.chatId, 'Plan a trip', 'Lisbon trip')).toBe(true);
    expect((await db.chats.get(t.chatId))?.title).toBe('Lisbon trip');
    await db.chats.update(t.chatId, { title: 'My own name' });
    expect(await applyGeneratedTitle(db, t.chatId, 'Lisbon trip', 'Other')).toBe(false);
    expect((await db.chats.get(t.chatId))?.title).toBe('My own name');
    expect(await applyGeneratedTitle(db, 'gone', 'x', 'y')).toBe(false);
  });

  it('tags are added to the user’s, never replacing or repeating one', async () => {
    const t = await turn();
    await db.chats.update(t.chatId, { tags: ['mine', 'travel'] });
    expect(await addSuggestedTags(db, t.chatId, ['travel', 'europe'])).toEqual(['europe']);
    expect((await db.chats.get(t.chatId))?.tags).toEqual(['mine', 'travel', 'europe']);
    expect(await addSuggestedTags(db, 'gone', ['x'])).toEqual([]);
  });

  it('follow-ups go on the answer row, leaving its node alone', async () => {
    const t = await turn();
    const nodeBefore = await db.nodes.get([t.chatId, t.assistantId]);
    expect(await setFollowUps(db, t.assistantId, ['Why?'])).toBe(true);
    expect((await db.messages.get(t.assistantId))?.followUps).toEqual(['Why?']);
    expect(await db.nodes.get([t.chatId, t.assistantId])).toEqual(nodeBefore);
    expect(await setFollowUps(db, t.userId, ['no'])).toBe(false);
    expect(await setFollowUps(db, 'gone', ['no'])).toBe(false);
  });
});
