import { describe, expect, it } from 'vitest';
import { fromChatGPT } from './chatgpt-import';
import { branchOf } from './check-tree';
import { isSkipped, type ImportedChat } from './imported';
import { exportFixture } from './test-fixtures';

const NOW = 1_800_000_000_000;

interface Expected { titles: string[]; currentNode: string[]; visibleThread: Array<Array<{ role: string; contentPrefix: string; model_slug: string | null }>> }

describe('ChatGPT conversations.json', () => {
  const { text, sidecar } = exportFixture('chatgpt-conversations');
  const expected = sidecar.expected as unknown as Expected;
  const convs = JSON.parse(text) as unknown[];

  it('maps the real export: title, visible thread, roles, models, times', () => {
    expect(convs).toHaveLength(1);
    const r = fromChatGPT(convs[0], 0, NOW);
    if (isSkipped(r)) throw new Error(r.reason);
    expect(r.chat.title).toBe(expected.titles[0]);
    expect(r.chat.currentId).toBe(expected.currentNode[0]);
    const thread = branchOf(r.messages, r.chat.currentId);
    expect(thread.map((m) => ({ role: m.role, contentPrefix: m.content.slice(0, 80), model_slug: m.model || null }))).toEqual(expected.visibleThread[0]);
    // Hidden system message and custom instructions are dropped; the first question becomes the root.
    expect(r.messages).toHaveLength(10);
    expect(thread[0]!.parentId).toBeNull();
    expect(r.chat.createdAt).toBe(Math.round(1750537482.970556 * 1000));
    // A reply never sorts before its question, even where ChatGPT stamped it earlier.
    for (const m of thread.slice(1)) expect(m.createdAt).toBeGreaterThan(r.messages.find((p) => p.id === m.parentId)!.createdAt);
  });

  const conv = (mapping: Record<string, unknown>, current: string | null = null) => ({ id: 'conv-1', title: 'T', create_time: 1700000000, update_time: 1700000100, current_node: current, mapping });
  const node = (id: string, parent: string | null, children: string[], role: string | null, text = `text ${id}`, extra: Record<string, unknown> = {}) => ({
    id, parent, children,
    message: role === null ? null : { id, author: { role }, create_time: null, content: { content_type: 'text', parts: [text] }, metadata: {}, ...extra },
  });

  it('keeps every branch, re-parents around dropped tool nodes, inherits missing times', () => {
    const r = fromChatGPT(conv({
      root: node('root', null, ['q'], null),
      q: node('q', 'root', ['a1', 'tool'], 'user'),
      a1: node('a1', 'q', [], 'assistant'),
      tool: node('tool', 'q', ['a2'], 'tool'),
      a2: node('a2', 'tool', [], 'assistant', 'second', { content: { content_type: 'multimodal_text', parts: ['see', { content_type: 'image_asset_pointer' }] } }),
    }, 'a2'), 0, NOW) as ImportedChat;
    expect(isSkipped(r)).toBe(false);
    const byId = Object.fromEntries(r.messages.map((m) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(['a1', 'a2', 'q']);
    expect(byId.a1!.parentId).toBe('q');
    expect(byId.a2!.parentId).toBe('q');
    expect(byId.a2!.content).toBe('see\n[image_asset_pointer not imported]');
    expect(r.chat.currentId).toBe('a2');
    expect(byId.q!.createdAt).toBe(1700000000000);
  });

  it('skips a conversation whose tree has a cycle, or wrong types', () => {
    const cyclic = fromChatGPT(conv({ a: node('a', 'b', ['b'], 'user'), b: node('b', 'a', ['a'], 'assistant') }), 0, NOW);
    expect(isSkipped(cyclic) && cyclic.reason).toMatch(/cycle/);
    const wrong = fromChatGPT({ title: 'x', mapping: { a: { parent: 5 } } }, 0, NOW);
    expect(isSkipped(wrong) && wrong.reason).toMatch(/mapping\.a\.parent/);
    const empty = fromChatGPT(conv({ root: node('root', null, [], null) }), 0, NOW);
    expect(isSkipped(empty) && empty.reason).toMatch(/no messages/);
  });
});
