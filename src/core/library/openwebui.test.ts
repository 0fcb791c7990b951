import { describe, expect, it } from 'vitest';
import { fromOpenWebUI, toMs } from './openwebui-import';
import { toOpenWebUIRow } from './openwebui-export';
import { branchOf } from './check-tree';
import { isSkipped, type ImportedChat } from './imported';
import { exportFixture } from './test-fixtures';
import type { Chat, Message } from '../storage/schema';

const NOW = 1_800_000_000_000;

describe('Open WebUI chat object (real sample)', () => {
  const { text, sidecar } = exportFixture('openwebui-chat-object');
  const e = sidecar.expected as { title: string; models: string[]; currentId: string; thread: Array<{ role: string; contentPrefix: string; model: string | null }>; assistantUsage: unknown };

  it('maps title, models, tree, usage and times (seconds per message, ms for the chat)', () => {
    const r = fromOpenWebUI(JSON.parse(text), 0, NOW);
    if (isSkipped(r)) throw new Error(r.reason);
    expect(r.chat.title).toBe(e.title);
    expect(r.chat.models).toEqual(e.models);
    expect(r.chat.currentId).toBe(e.currentId);
    const thread = branchOf(r.messages, r.chat.currentId);
    expect(thread.map((m) => ({ role: m.role, contentPrefix: m.content.slice(0, 80), model: m.model || null }))).toEqual(e.thread);
    expect(thread[1]!.usage).toEqual(e.assistantUsage);
    expect(r.chat.createdAt).toBe(1744577557127);
    expect(thread[0]!.createdAt).toBe(1744577557000);
    expect(thread[1]!.createdAt).toBeGreaterThan(thread[0]!.createdAt);
    expect(r.chat.id).toMatch(/^c[0-9a-f]{16}$/);
    // Stable: the same object gives the same id, so a second import is recognised.
    expect((fromOpenWebUI(JSON.parse(text), 0, NOW + 5) as ImportedChat).chat.id).toBe(r.chat.id);
  });
});

const chat: Chat = { id: 'chat-1', title: 'Round <b>trip</b>', createdAt: 1_700_000_000_123, updatedAt: 1_700_000_050_456, pinned: true, archived: false, folderId: 'f1', tags: ['work'], currentId: 'a2', models: ['gpt-x'], system: 'Be brief.', params: { temperature: 0.5 } };
const base = { chatId: 'chat-1', reasoning: '', refusal: '', model: '', connectionId: '', modelIdx: 0, status: 'done' as const, error: null, finishReason: null, usage: null, metrics: null, attachments: [] };
const messages: Message[] = [
  { ...base, id: 'q', parentId: null, role: 'user', content: '<script>alert(1)</script>', createdAt: 1_700_000_000_200, updatedAt: 1_700_000_000_200 },
  { ...base, id: 'a1', parentId: 'q', role: 'assistant', content: 'one', model: 'gpt-x', connectionId: 'c1', finishReason: 'stop', usage: { total_tokens: 3 }, createdAt: 1_700_000_000_200, updatedAt: 1_700_000_001_000 },
  { ...base, id: 'a2', parentId: 'q', role: 'assistant', content: '\nanswer', reasoning: 'think\n> deeper', model: 'gpt-x', modelIdx: 0, status: 'error', error: { kind: 'http', message: 'boom' }, metrics: { startedAt: 1, reasoningStartedAt: 1000, reasoningEndedAt: 4000 }, followUps: ['more?'], createdAt: 1_700_000_002_000, updatedAt: 1_700_000_003_000 },
];

describe('Open WebUI export', () => {
  it('writes the row Open WebUI imports: seconds, tree with childrenIds, the visible branch flat, reasoning as a details block', () => {
    const row = toOpenWebUIRow(chat, messages);
    expect(row.created_at).toBe(1_700_000_000);
    expect(row.chat.timestamp).toBe(chat.createdAt);
    expect(row.chat.history.currentId).toBe('a2');
    expect(row.chat.history.messages.q!.childrenIds).toEqual(['a1', 'a2']);
    expect(row.chat.history.messages.q!.timestamp).toBe(1_700_000_000);
    expect(row.chat.messages.map((m) => m.id)).toEqual(['q', 'a2']);
    expect(row.chat.history.messages.a2!.content).toMatch(/^<details type="reasoning" done="true" duration="3">\n<summary>Thought for 3 seconds<\/summary>\n> think\n> > deeper\n<\/details>\n\nanswer$/);
    expect(row.meta.tags).toEqual(['work']);
    expect(row.folder_id).toBe('f1');
    expect(row.chat.params.system).toBe('Be brief.');
  });

  it('round-trips through JSON back to the same Parley rows', () => {
    const back = fromOpenWebUI(JSON.parse(JSON.stringify(toOpenWebUIRow(chat, messages))), 0, NOW);
    if (isSkipped(back)) throw new Error(back.reason);
    expect(back.chat).toEqual(chat);
    const sort = (xs: Message[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(sort(back.messages)).toEqual(sort(messages));
  });

  it('reads reasoning out of a foreign details block, failures and unfinished answers', () => {
    const row = toOpenWebUIRow(chat, messages);
    const foreign = JSON.parse(JSON.stringify(row)) as { chat: { parley?: unknown; history: { messages: Record<string, { parley?: unknown; done?: boolean }> } } };
    delete foreign.chat.parley;
    for (const m of Object.values(foreign.chat.history.messages)) delete m.parley;
    foreign.chat.history.messages.a1!.done = false;
    const r = fromOpenWebUI(foreign, 0, NOW) as ImportedChat;
    const a2 = r.messages.find((m) => m.id === 'a2')!;
    expect(a2.reasoning).toBe('think\n> deeper');
    expect(a2.content).toBe('answer');
    expect(a2.status).toBe('error');
    expect(a2.error?.message).toBe('boom');
    expect(r.messages.find((m) => m.id === 'a1')!.status).toBe('interrupted');
    expect(r.chat.system).toBe('Be brief.');
    expect(r.chat.params).toEqual({ temperature: 0.5 });
  });

  it('accepts very old exports with only a flat messages list', () => {
    const r = fromOpenWebUI({ title: 'old', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, 0, NOW) as ImportedChat;
    expect(r.messages.map((m) => m.parentId === null)).toEqual([true, false]);
    expect(r.chat.currentId).toBe(r.messages[1]!.id);
  });

  const tree = (messages: Record<string, unknown>) => ({ id: 'x', title: 'bad', chat: { title: 'bad', history: { currentId: null, messages } } });
  it.each([
    ['a cycle', tree({ a: { id: 'a', parentId: 'b', role: 'user', content: '' }, b: { id: 'b', parentId: 'a', role: 'assistant', content: '' } }), /cycle/],
    ['a missing parent', tree({ a: { id: 'a', parentId: 'zzz', role: 'user', content: '' } }), /not in the chat/],
    ['content of the wrong type', tree({ a: { id: 'a', parentId: null, role: 'user', content: 42 } }), /history\.messages\.a\.content/],
    ['an id that disagrees with its key', tree({ a: { id: 'b', parentId: null, role: 'user', content: '' } }), /says its id is b/],
    ['an unknown role', tree({ a: { id: 'a', parentId: null, role: 'wizard', content: '' } }), /role “wizard”/],
    ['a title that is not text', { id: 'x', title: 5, chat: { history: { messages: {} } } }, /^title/],
  ])('skips a chat with %s', (_what, value, reason) => {
    const r = fromOpenWebUI(value, 0, NOW);
    expect(isSkipped(r) && r.reason).toMatch(reason);
  });

  it('reads seconds and milliseconds', () => {
    expect(toMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(toMs(null)).toBeNull();
  });
});
