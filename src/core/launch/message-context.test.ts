import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { messageSchema, type MessageContext } from '../storage/schema';
import { emptyMessage, sendTurn } from '../storage/chats';
import { editQuestion } from '../storage/tree-ops';
import { openDb } from '../storage/db';

const page: MessageContext = { kind: 'url', url: 'https://example.org/', title: 'Example', text: 'Hello', truncated: true };

describe('a message’s attached pages in the schema (backups, imports)', () => {
  it('keeps them, and reads an older row without them as valid', () => {
    const row = { ...emptyMessage('c', null, 'user', 1), id: 'm', content: 'Q' };
    expect(messageSchema.parse({ ...row, context: [page] }).context).toEqual([page]);
    const old = messageSchema.parse(row);
    expect(old.context).toBeUndefined();
    // A page stored without `truncated` reads as whole.
    const { truncated: _, ...noFlag } = page;
    expect(messageSchema.parse({ ...row, context: [noFlag] }).context).toEqual([{ ...page, truncated: false }]);
  });

  it('refuses a malformed one', () => {
    const row = { ...emptyMessage('c', null, 'user', 1), id: 'm' };
    expect(messageSchema.safeParse({ ...row, context: [{ ...page, kind: 'file' }] }).success).toBe(false);
    expect(messageSchema.safeParse({ ...row, context: [{ ...page, text: 5 }] }).success).toBe(false);
    expect(messageSchema.safeParse({ ...row, context: 'x' }).success).toBe(false);
  });
});

describe('a question’s attached pages in storage', () => {
  it('are written with the turn and kept by an edited copy of the question', async () => {
    const db = openDb('test-message-context');
    try {
      const t = await sendTurn(db, { chatId: null, content: 'Q', model: 'm', connectionId: 'c', now: 1, context: [page] });
      expect((await db.messages.get(t.userId))?.context).toEqual([page]);
      const e = await editQuestion(db, t.chatId, t.userId, 'Q edited', { model: 'm', connectionId: 'c' }, 5);
      expect((await db.messages.get(e.userId))?.context).toEqual([page]);
    } finally {
      await db.delete();
    }
  });
});
