import { describe, expect, it } from 'vitest';
import { messageSchema } from '../storage/schema';
import { emptyMessage } from '../storage/chats';

const page = { kind: 'url', url: 'https://example.org/', title: 'Example', text: 'Hello', truncated: true };

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
