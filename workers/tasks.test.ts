import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import { SETTINGS } from '../src/core/storage/settings-keys';
import { isAppError } from '../src/core/errors';
import type { Connection } from '../src/core/storage/schema';
import { TASK_MARKER } from '../src/core/tasks/templates';
import { DEFAULT_TASK_SETTINGS } from '../src/core/tasks/task-settings';
import { createEngine, type Engine } from './engine';
import { memoryLocks, systemClock } from './ports';
import { plannedTasks } from './tasks';
import { TASK_TEMPERATURE, taskParams } from './task-request';

type Kind = 'title' | 'tags' | 'follow_ups';
interface Sent { url: string; headers: Record<string, string>; body: { model: string; max_tokens?: number; temperature?: number; messages: Array<{ role: string; content: string }> }; kind: Kind | 'chat' }

function kindOf(prompt: string): Kind | 'chat' {
  if (!prompt.includes(TASK_MARKER)) return 'chat';
  return prompt.includes('"follow_ups"') ? 'follow_ups' : prompt.includes('"tags"') ? 'tags' : 'title';
}

const ndjson = (text: string) =>
  new Response(`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: text }, done: true, done_reason: 'stop' })}\n`, {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson' },
  });

const sse = (text: string) =>
  new Response(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`, {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
  });

const ANSWERS: Record<Kind, string> = {
  title: 'Here you go:\n```json\n{"title": "Trip to Lisbon"}\n```',
  tags: '{"tags": ["Travel", "Europe"]}',
  follow_ups: '{"follow_ups": ["Where to eat?", "How many days?", "Best season?"]}',
};

/** A server answering chats with "ok" and task prompts with ANSWERS; `before` runs as a task request arrives. */
function taskServer(opts: { fail?: Kind[]; before?: (kind: Kind, signal: AbortSignal) => Promise<void> } = {}) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Sent['body'];
    const kind = kindOf(body.messages.at(-1)?.content ?? '');
    sent.push({ url, headers: init.headers as Record<string, string>, body, kind });
    const reply = url.endsWith('/api/chat') ? ndjson : sse;
    if (kind === 'chat') return reply('ok');
    await opts.before?.(kind, init.signal!);
    if (opts.fail?.includes(kind)) return new Response('{"error":{"message":"boom"}}', { status: 500, headers: { 'content-type': 'application/json' } });
    return reply(ANSWERS[kind]);
  };
  return { fetch, sent, tasks: () => sent.filter((s) => s.kind !== 'chat') };
}

let db: ParleyDb;
let engine: Engine | undefined;
let conn: Connection;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-tasks-${n++}`);
  const c = await saveConnection(db, { kind: 'openai', url: 'http://127.0.0.1:9/v1', key: 'sk-chat', headers: { 'X-Team': 'a' } }, 1);
  if (isAppError(c)) throw new Error(c.message);
  conn = c;
});
afterEach(async () => {
  engine?.close();
  vi.restoreAllMocks();
  await db.delete();
});

function start(server: ReturnType<typeof taskServer>) {
  engine = createEngine({ db, fetch: server.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  return engine;
}

/** Sends `content` (in `chatId`, or a new chat), streams the answer, and waits for its tasks. */
async function ask(e: Engine, content: string, chatId: string | null = null, model = { model: 'big', connectionId: conn.id }) {
  const t = await sendTurn(db, { chatId, content, ...model, now: 10 });
  await e.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
  await e.tasksIdle();
  return t;
}

describe('tasks after an answer', () => {
  it('the first answer: title, follow-ups and tags, one request each, sent like a chat on the chat’s model', async () => {
    const s = taskServer();
    const e = start(s);
    const t = await ask(e, 'Plan a trip to Lisbon');
    expect(s.tasks().map((x) => x.kind)).toEqual(['title', 'follow_ups', 'tags']);
    const chat = await db.chats.get(t.chatId);
    expect(chat).toMatchObject({ title: 'Trip to Lisbon', tags: ['travel', 'europe'] });
    expect((await db.messages.get(t.assistantId))?.followUps).toEqual(['Where to eat?', 'How many days?', 'Best season?']);
    const req = s.tasks()[0]!;
    expect(req.body.model).toBe('big');
    expect(req.body.max_tokens).toBe(256);
    expect(req.body.temperature).toBe(TASK_TEMPERATURE);
    expect(req.body.messages).toHaveLength(1);
    expect(req.body.messages[0]!.content).toContain('USER: Plan a trip to Lisbon\nASSISTANT: ok');
    expect(req.headers['Authorization']).toBe('Bearer sk-chat');
    expect(req.headers['X-Team']).toBe('a');
  });

  it('a later answer asks for follow-ups only, once the chat is named', async () => {
    const s = taskServer();
    const e = start(s);
    const t = await ask(e, 'Plan a trip to Lisbon');
    const second = await ask(e, 'And Porto?', t.chatId);
    expect(s.tasks().map((x) => x.kind)).toEqual(['title', 'follow_ups', 'tags', 'follow_ups']);
    expect((await db.messages.get(second.assistantId))?.followUps).toHaveLength(3);
  });

  it('a rename made while the title task runs wins', async () => {
    let chatId = '';
    const s = taskServer({ before: async (k) => { if (k === 'title') await db.chats.update(chatId, { title: 'Mine' }); } });
    const e = start(s);
    const t = await sendTurn(db, { chatId: null, content: 'Plan a trip to Lisbon', model: 'big', connectionId: conn.id, now: 10 });
    chatId = t.chatId;
    await e.generate({ chatId, messageId: t.assistantId }, () => undefined);
    await e.tasksIdle();
    expect((await db.chats.get(chatId))?.title).toBe('Mine');
  });

  it('a failed task is logged once and changes nothing; the others still run', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const s = taskServer({ fail: ['title', 'tags'] });
    const e = start(s);
    const t = await ask(e, 'Plan a trip to Lisbon');
    expect(await db.chats.get(t.chatId)).toMatchObject({ title: 'Plan a trip to Lisbon', tags: [] });
    expect((await db.messages.get(t.assistantId))?.followUps).toHaveLength(3);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toContain('title task');
    // The title is still the question's, so the next answer tries again.
    await ask(e, 'And Porto?', t.chatId);
    expect(s.tasks().map((x) => x.kind)).toEqual(['title', 'follow_ups', 'tags', 'title', 'follow_ups']);
  });

  it('toggles off: no request at all', async () => {
    await db.settings.put({ key: SETTINGS.tasks, value: { enabled: { title: false, tags: false, followUps: false } } });
    const s = taskServer();
    await ask(start(s), 'Plan a trip to Lisbon');
    expect(s.tasks()).toEqual([]);
  });

  it('the task model from Settings wins; if its connection is gone, the chat’s model does the tasks', async () => {
    const small = await saveConnection(db, { kind: 'openai', url: 'http://127.0.0.1:8/v1', key: 'sk-small', prefixId: 'fast' }, 2);
    if (isAppError(small)) throw new Error(small.message);
    await db.settings.put({ key: SETTINGS.tasks, value: { model: { id: 'fast.tiny', connectionId: small.id } } });
    const s = taskServer();
    const e = start(s);
    await ask(e, 'Plan a trip to Lisbon');
    expect(s.tasks().map((x) => [x.url, x.body.model])).toEqual(Array(3).fill(['http://127.0.0.1:8/v1/chat/completions', 'tiny']));
    expect(s.sent.filter((x) => x.kind === 'chat').map((x) => x.body.model)).toEqual(['big']);

    await db.connections.delete(small.id);
    await ask(e, 'Plan a trip to Porto');
    expect(s.tasks().slice(3).map((x) => x.body.model)).toEqual(['big', 'big', 'big']);
  });

  it('an Ollama task model is asked on its native API, the cap as num_predict', async () => {
    const local = await saveConnection(db, { kind: 'ollama', url: 'http://127.0.0.1:7' }, 2);
    if (isAppError(local)) throw new Error(local.message);
    await db.settings.put({ key: SETTINGS.tasks, value: { model: { id: 'qwen3:0.6b', connectionId: local.id } } });
    const s = taskServer();
    const t = await ask(start(s), 'Plan a trip to Lisbon');
    expect(s.tasks().map((x) => x.url)).toEqual(Array(3).fill('http://127.0.0.1:7/api/chat'));
    expect((s.tasks()[0]!.body as unknown as { options: { num_predict: number } }).options.num_predict).toBe(256);
    expect(await db.chats.get(t.chatId)).toMatchObject({ title: 'Trip to Lisbon', tags: ['travel', 'europe'] });
  });

  it('several models answering one question name the chat once', async () => {
    const s = taskServer();
    const e = start(s);
    const t = await sendTurn(db, { chatId: null, content: 'Plan a trip to Lisbon', model: 'big', connectionId: conn.id, now: 10, also: [{ model: 'other', connectionId: conn.id }] });
    await Promise.all(t.assistantIds.map((id) => e.generate({ chatId: t.chatId, messageId: id }, () => undefined)));
    await e.tasksIdle();
    const kinds = s.tasks().map((x) => x.kind);
    expect(kinds.filter((k) => k === 'title')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'tags')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'follow_ups')).toHaveLength(2);
  });

  it('never delays the chat: generate resolves while the task model has not answered; close aborts the tasks', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let arrived!: () => void;
    const taskArrived = new Promise<void>((r) => (arrived = r));
    // Like a real fetch, the hung request fails when its signal aborts.
    const hang = (signal: AbortSignal) => new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const s = taskServer({ before: (_kind, signal) => { arrived(); return hang(signal); } });
    const e = start(s);
    const t = await sendTurn(db, { chatId: null, content: 'Plan a trip to Lisbon', model: 'big', connectionId: conn.id, now: 10 });
    await e.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
    expect((await db.messages.get(t.assistantId))?.status).toBe('done');
    await taskArrived;
    e.close();
    // The hung request was aborted: the runner ends, having changed nothing.
    await e.tasksIdle();
    expect((await db.chats.get(t.chatId))?.title).toBe('Plan a trip to Lisbon');
    expect(s.tasks()).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a stopped, failed or empty answer runs no task', async () => {
    const t = await sendTurn(db, { chatId: null, content: 'Q', model: 'big', connectionId: conn.id, now: 10 });
    for (const patch of [{ status: 'done' as const, finishReason: 'stopped', content: 'part' }, { status: 'error' as const, content: '' }, { status: 'done' as const, content: ' ' }]) {
      await db.messages.update(t.assistantId, patch);
      const answer = (await db.messages.get(t.assistantId))!;
      const user = (await db.messages.get(t.userId))!;
      expect(plannedTasks(DEFAULT_TASK_SETTINGS, answer, [user, answer], { title: 'Q', tags: [] })).toEqual([]);
    }
  });
});

describe('plannedTasks', () => {
  const user = { role: 'user' as const, content: 'Plan a trip', status: 'done' as const };
  const answer = { role: 'assistant' as const, content: 'ok', status: 'done' as const, finishReason: 'stop' };
  const plan = (chat: { title: string; tags: string[] }, branch: readonly object[] = [user, answer]) =>
    // Only the fields the rules read matter here.
    plannedTasks(DEFAULT_TASK_SETTINGS, answer as never, branch as never, chat);

  it('title while the title is still the first question’s (or New chat); tags on the first turn of an untagged chat', () => {
    expect(plan({ title: 'Plan a trip', tags: [] })).toEqual(['title', 'followUps', 'tags']);
    expect(plan({ title: 'New chat', tags: [] })).toEqual(['title', 'followUps', 'tags']);
    expect(plan({ title: 'Renamed', tags: [] })).toEqual(['followUps', 'tags']);
    expect(plan({ title: 'Plan a trip', tags: ['mine'] })).toEqual(['title', 'followUps']);
    expect(plan({ title: 'Named', tags: [] }, [user, answer, { ...user, content: 'More' }, answer])).toEqual(['followUps']);
  });
});

describe('taskParams', () => {
  const target = (model: string, url: string) => ({ model, label: model, endpoint: { kind: 'openai' as const, url } as never });

  it('short and cool, except for OpenAI’s reasoning models, which refuse a temperature and spend a cap on thinking', () => {
    expect(taskParams(target('gpt-4o-mini', 'https://api.openai.com/v1'), 256)).toEqual({ max_tokens: 256, temperature: TASK_TEMPERATURE });
    expect(taskParams(target('o3-mini', 'https://api.openai.com/v1'), 256)).toEqual({});
    // The same name on another server is an ordinary model there.
    expect(taskParams(target('o3-mini', 'http://127.0.0.1:11434/v1'), 256)).toEqual({ max_tokens: 256, temperature: TASK_TEMPERATURE });
  });
});
