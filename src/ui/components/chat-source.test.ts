// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createMemo, createRoot, createSignal } from 'solid-js';
import { openDb, type ParleyDb } from '../../core/storage/db';
import { sendTurn } from '../../core/storage/chats';
import { createChatView, createMessageRows } from './chat-source';

let db: ParleyDb;
let n = 0;
let dispose: () => void = () => undefined;
beforeEach(async () => {
  db = openDb(`test-chat-source-${n++}`);
  await db.open();
});
afterEach(async () => {
  dispose();
  await db.delete();
});

const turn = (chatId: string | null, content: string, now: number) => sendTurn(db, { chatId, content, model: 'm', connectionId: 'c', now });

/** The chat view's sources wired as ChatView wires them: one block holds the whole branch. */
function mount() {
  return createRoot((d) => {
    dispose = d;
    const [chatId, setChatId] = createSignal<string | null>(null);
    const errors: unknown[] = [];
    const { rows, seed, follow } = createMessageRows(db, chatId, (e) => errors.push(e));
    const view = createChatView(db, chatId, seed, (e) => errors.push(e));
    const blocks = createMemo(() => {
      const v = view();
      return v && !v.partial && v.branch.length ? [v.branch.map((m) => m.id)] : [];
    });
    follow(blocks, () => undefined);
    /** The contents of the branch's messages as the screen would draw them (missing rows as '?'). */
    const shown = () => (view()?.branch ?? []).map((m) => rows[m.id]?.content ?? '?');
    return { chatId, setChatId, view, shown, errors };
  });
}

it('a chat, New chat and straight Back (before the new chat was read) shows the chat’s messages again', async () => {
  const sent = await turn(null, 'remember me', 1000);
  await db.messages.update(sent.assistantId, { content: 'You said: remember me', status: 'done' });
  const s = mount();
  s.setChatId(sent.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['remember me', 'You said: remember me']));

  // New chat, then the browser's Back, with no chance for the new chat's (empty) query to answer.
  s.setChatId(null);
  s.setChatId(sent.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['remember me', 'You said: remember me']));
  // And it still follows writes.
  await db.messages.update(sent.assistantId, { content: 'Edited.' });
  await vi.waitFor(() => expect(s.shown()).toEqual(['remember me', 'Edited.']));
  expect(s.errors).toEqual([]);
});

it('a new chat shows nothing of the chat before it, at once', async () => {
  const sent = await turn(null, 'first', 1000);
  const s = mount();
  s.setChatId(sent.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['first', '']));
  s.setChatId(null);
  expect(s.view()?.chat ?? null).toBeNull();
  expect(s.shown()).toEqual([]);
});

it('switching chats never shows the previous chat under the new address, and reads the new one', async () => {
  const a = await turn(null, 'in a', 1000);
  const b = await turn(null, 'in b', 2000);
  const s = mount();
  s.setChatId(a.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['in a', '']));
  const seen: Array<string | null> = [];
  const stop = createRoot((d) => {
    createMemo(() => seen.push(s.view()?.chat?.id ?? null));
    return d;
  });
  s.setChatId(b.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['in b', '']));
  // Back to a, then at once to b again: b's rows are read again.
  s.setChatId(a.chatId);
  s.setChatId(b.chatId);
  await vi.waitFor(() => expect(s.shown()).toEqual(['in b', '']));
  stop();
  expect(seen[0]).toBe(a.chatId);
  expect(seen.slice(1)).not.toContain(a.chatId);
  expect(seen).toContain(b.chatId);
});
