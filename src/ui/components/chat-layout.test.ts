import { describe, expect, it } from 'vitest';
import { layoutChat } from './chat-layout';
import type { Chat, MessageNode } from '../../core/storage/schema';

const chat = (currentId: string | null): Chat => ({
  id: 'c', title: '', createdAt: 0, updatedAt: 0, pinned: false, archived: false, folderId: null, tags: [], currentId, models: [], system: '', params: {},
});
const node = (id: string, parentId: string | null, at: number, over: Partial<MessageNode> = {}): MessageNode => ({
  id, chatId: 'c', parentId, role: parentId === null || id.startsWith('q') ? 'user' : 'assistant', modelIdx: 0, model: '', connectionId: '', createdAt: at, ...over,
});

describe('layoutChat', () => {
  // q1 → a1 (m1), a1b (m1, regenerated); a1b → q2 → a2 (m1, slot 0) and a2x (m2, slot 1)
  const nodes = [
    node('q1', null, 1),
    node('a1', 'q1', 2, { model: 'm1', connectionId: 'k1' }),
    node('a1b', 'q1', 3, { model: 'm1', connectionId: 'k1' }),
    node('q2', 'a1b', 4),
    node('a2', 'q2', 5, { model: 'm1', connectionId: 'k1' }),
    node('a2x', 'q2', 6, { model: 'm2', connectionId: 'k2', modelIdx: 1 }),
  ];

  it('lays out the branch to the current leaf, with ‹ › places and side-by-side columns', () => {
    const l = layoutChat(chat('a2'), nodes);
    expect(l.branch.map((n) => n.id)).toEqual(['q1', 'a1b', 'q2', 'a2']);
    expect(l.places.get('a1b')).toEqual({ index: 1, count: 2, prev: 'a1', next: null });
    expect(l.columns.get('a2')).toEqual(['a2', 'a2x']);
    expect(l.columns.has('a1b')).toBe(false);
    // Both models of the last turn are where the next question goes.
    expect(l.lastModels).toEqual([{ id: 'm1', connectionId: 'k1' }, { id: 'm2', connectionId: 'k2' }]);
  });

  it('on an older branch, the next question goes to the model that answered there', () => {
    const l = layoutChat(chat('a1'), nodes);
    expect(l.branch.map((n) => n.id)).toEqual(['q1', 'a1']);
    expect(l.places.get('a1')).toEqual({ index: 0, count: 2, prev: null, next: 'a1b' });
    expect(l.lastModels).toEqual([{ id: 'm1', connectionId: 'k1' }]);
  });

  it('a first look from a few newest rows lays out as far as they reach', () => {
    const l = layoutChat(chat('a2'), nodes.slice(3));
    expect(l.branch.map((n) => n.id)).toEqual(['q2', 'a2']);
    expect(layoutChat(chat(null), nodes).branch).toEqual([]);
  });
});
