import { describe, expect, it } from 'vitest';
import { answerColumns, childrenByParent, leafAfterDelete, newestLeaf, siblingPlace, slotPlace, subtreeIds, type TreeNode } from './tree';

/**
 *        u1
 *      /  |  \
 *    a1   a2   a3        (a3 newest)
 *    |         |
 *    u2        u3
 *    |        /  \
 *    a4      a5   a6     (a6 newest)
 */
const n = (id: string, parentId: string | null, createdAt: number): TreeNode => ({ id, parentId, createdAt });
const nodes = [
  n('u1', null, 1), n('a1', 'u1', 2), n('a2', 'u1', 3), n('a3', 'u1', 4),
  n('u2', 'a1', 5), n('a4', 'u2', 6), n('u3', 'a3', 7), n('a5', 'u3', 8), n('a6', 'u3', 9),
];
const tree = childrenByParent(nodes);
const byId = new Map(nodes.map((x) => [x.id, x]));

describe('siblingPlace', () => {
  it.each([
    ['u1', 0, 1, null, null],
    ['a1', 0, 3, null, 'a2'],
    ['a2', 1, 3, 'a1', 'a3'],
    ['a3', 2, 3, 'a2', null],
    ['a6', 1, 2, 'a5', null],
  ])('%s is %i of %i (prev %s, next %s)', (id, index, count, prev, next) => {
    expect(siblingPlace(tree, byId.get(id)!)).toEqual({ index, count, prev, next });
  });

  it('orders siblings by time even when rows arrive in another order', () => {
    const shuffled = childrenByParent([...nodes].reverse());
    expect(shuffled.get('u1')!.map((x) => x.id)).toEqual(['a1', 'a2', 'a3']);
  });
});

describe('newestLeaf', () => {
  it.each([
    ['a1', 'a4'],
    ['a2', 'a2'],
    ['a3', 'a6'],
    ['u1', 'a6'],
    ['a5', 'a5'],
  ])('from %s reaches %s', (from, leaf) => {
    expect(newestLeaf(tree, from)).toBe(leaf);
  });

  it('stops on a cycle', () => {
    const loop = childrenByParent([n('x', 'y', 1), n('y', 'x', 2)]);
    expect(['x', 'y']).toContain(newestLeaf(loop, 'x'));
  });
});

describe('subtreeIds and leafAfterDelete', () => {
  it.each([
    ['a1', ['a1', 'u2', 'a4'], 'a2'],
    ['a3', ['a3', 'u3', 'a5', 'a6'], 'a2'],
    ['a2', ['a2'], 'a6'],
    ['a6', ['a6'], 'a5'],
    ['a4', ['a4'], 'u2'],
    ['u1', ['u1', 'a1', 'a2', 'a3', 'u2', 'a4', 'u3', 'a5', 'a6'], null],
  ])('deleting %s removes %j and shows %s', (id, gone, next) => {
    expect(new Set(subtreeIds(tree, id))).toEqual(new Set(gone));
    expect(leafAfterDelete(tree, byId.get(id)!)).toBe(next);
  });
});

describe('answerColumns and slotPlace', () => {
  const s = (id: string, parentId: string | null, createdAt: number, modelIdx = 0) => ({ id, parentId, createdAt, modelIdx });
  // q has answers from two slots; slot 0 was regenerated once (x0 then y0).
  const rows = [s('q', null, 1), s('x0', 'q', 2, 0), s('x1', 'q', 3, 1), s('y0', 'q', 4, 0), s('solo', 'x1', 5, 0)];
  const t = childrenByParent(rows);
  const get = (id: string) => rows.find((r) => r.id === id)!;

  it('one column per slot: the branch answer for its slot, the newest for the others', () => {
    expect(answerColumns(t, get('x0'))!.map((r) => r.id)).toEqual(['x0', 'x1']);
    expect(answerColumns(t, get('x1'))!.map((r) => r.id)).toEqual(['y0', 'x1']);
    expect(answerColumns(t, get('solo'))).toBeNull();
  });

  it('‹ › inside a column counts that slot only', () => {
    expect(slotPlace(t, get('y0'))).toEqual({ index: 1, count: 2, prev: 'x0', next: null });
    expect(slotPlace(t, get('x1'))).toEqual({ index: 0, count: 1, prev: null, next: null });
  });
});
