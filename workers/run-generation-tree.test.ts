import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn, loadBranch } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import { addAnswerSibling, editQuestion, reopenForContinue } from '../src/core/storage/tree-ops';
import { isAppError } from '../src/core/errors';
import { SETTINGS } from '../src/core/storage/settings-keys';
import { withoutTasks } from './test-engine-support';
import { createEngine, type Engine } from './engine';
import { memoryLocks, systemClock } from './ports';

/** Answers every request with `reply`, recording the messages each request carried. */
function server(replies: string[]) {
  const sent: Array<Array<{ role: string; content: string }>> = [];
  const fetch = async (_url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { messages: Array<{ role: string; content: string }> };
    sent.push(body.messages);
    const reply = replies.shift() ?? 'ok';
    const sse = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: reply, reasoning_content: 'thinking' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
    return new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, sent };
}

let db: ParleyDb;
let engine: Engine;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-tree-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  engine.close();
  await db.delete();
});

async function setup(replies: string[]) {
  const conn = await saveConnection(db, { kind: 'openai', url: 'http://127.0.0.1:9/v1' }, 1);
  if (isAppError(conn)) throw new Error(conn.message);
  const s = server(replies);
  engine = createEngine({ db, fetch: s.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: '' });
  const choice = { model: 'm1', connectionId: conn.id };
  return { s, choice, conn };
}

describe('requests follow the branch', () => {
  it('an edited question sends only its own branch; reasoning never goes back to the model', async () => {
    const { s, choice } = await setup(['A1', 'A2', 'B1']);
    const t1 = await sendTurn(db, { chatId: null, content: 'Q1', ...choice, now: 10 });
    await engine.generate({ chatId: t1.chatId, messageId: t1.assistantId }, () => undefined);
    const t2 = await sendTurn(db, { chatId: t1.chatId, content: 'Q2', ...choice, now: 20 });
    await engine.generate({ chatId: t1.chatId, messageId: t2.assistantId }, () => undefined);
    expect(s.sent[1]).toEqual([
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2' },
    ]);
    const e = await editQuestion(db, t1.chatId, t2.userId, 'Q2 edited', choice, 30);
    await engine.generate({ chatId: t1.chatId, messageId: e.assistantId }, () => undefined);
    expect(s.sent[2]).toEqual([
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1' },
      { role: 'user', content: 'Q2 edited' },
    ]);
  });

  it('a regenerated answer is asked with the same question, and continue goes on from the partial text', async () => {
    const { s, choice } = await setup(['first', 'second', ' and more']);
    const t = await sendTurn(db, { chatId: null, content: 'Q', ...choice, now: 10 });
    await engine.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
    const again = await addAnswerSibling(db, t.chatId, t.assistantId, choice, 20);
    await engine.generate({ chatId: t.chatId, messageId: again }, () => undefined);
    expect(s.sent[1]).toEqual([{ role: 'user', content: 'Q' }]);
    await reopenForContinue(db, t.chatId, again, null, 30);
    await engine.generate({ chatId: t.chatId, messageId: again, continue: true }, () => undefined);
    expect(s.sent[2]).toEqual([
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'second' },
    ]);
    const branch = await loadBranch(db, t.chatId);
    expect(branch.map((m) => m.content)).toEqual(['Q', 'second and more']);
    expect(branch[1]!.status).toBe('done');
  });
});

describe('system prompt', () => {
  it('a chat without its own uses the default from Settings; its own wins', async () => {
    const { s, choice } = await setup([]);
    await db.settings.put({ key: SETTINGS.defaultSystem, value: 'Be brief.' });
    const a = await sendTurn(db, { chatId: null, content: 'Q', ...choice, now: 10 });
    await engine.generate({ chatId: a.chatId, messageId: a.assistantId }, () => undefined);
    expect(s.sent[0]![0]).toEqual({ role: 'system', content: 'Be brief.' });
    const b = await sendTurn(db, { chatId: null, content: 'Q', ...choice, now: 20, system: 'Answer in French.' });
    await engine.generate({ chatId: b.chatId, messageId: b.assistantId }, () => undefined);
    expect(s.sent[1]![0]).toEqual({ role: 'system', content: 'Answer in French.' });
  });
});
