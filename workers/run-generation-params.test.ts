import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import { SETTINGS } from '../src/core/storage/settings-keys';
import { isAppError } from '../src/core/errors';
import type { ChatParams } from '../src/core/providers/types';
import { createEngine, type Engine } from './engine';
import { recordingFetch, testServerConnection, withoutTasks } from './test-engine-support';
import { memoryLocks, systemClock } from './ports';


let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-params-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  engine?.close();
  await db.delete();
});

/** Sends one turn in a new chat through a connection of `kind` and returns the body the server got. */
async function sentBody(kind: 'openai' | 'ollama', opts: { defaults?: unknown; chat?: ChatParams }) {
  const conn = await testServerConnection(db, kind);
  if (opts.defaults !== undefined) await db.settings.put({ key: SETTINGS.defaultParams, value: opts.defaults });
  const f = recordingFetch();
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const turn = await sendTurn(db, { chatId: null, content: 'Hi', model: 'm1', connectionId: conn.id, now: 10, params: opts.chat });
  await engine.generate({ chatId: turn.chatId, messageId: turn.assistantId }, () => undefined);
  expect((await db.messages.get(turn.assistantId))?.status).toBe('done');
  expect(f.bodies).toHaveLength(1);
  return f.bodies[0]!;
}

const DEFAULTS: ChatParams = { temperature: 0.2, max_tokens: 64, stop: ['END'], seed: 5, num_ctx: 4096, keep_alive: '10m', top_k: 20 };
const CHAT: ChatParams = { temperature: 1.3, stop: ['STOP', '\n\n'], keep_alive: -1 };

describe('runGeneration sends the merged params', () => {
  it('OpenAI: defaults and the chat’s own values, Ollama-only ones left out', async () => {
    const body = await sentBody('openai', { defaults: DEFAULTS, chat: CHAT });
    expect(body).toMatchObject({ model: 'm1', temperature: 1.3, max_tokens: 64, stop: ['STOP', '\n\n'], seed: 5 });
    for (const k of ['num_ctx', 'keep_alive', 'top_k', 'options']) expect(body, k).not.toHaveProperty(k);
  });

  it('Ollama: options under Ollama’s names and keep_alive at the top level', async () => {
    const body = await sentBody('ollama', { defaults: DEFAULTS, chat: CHAT });
    expect(body.options).toEqual({ temperature: 1.3, num_predict: 64, stop: ['STOP', '\n\n'], seed: 5, num_ctx: 4096, top_k: 20 });
    expect(body.keep_alive).toBe(-1);
    expect(body).not.toHaveProperty('temperature');
  });

  it('the chat’s params alone when no defaults are stored', async () => {
    const body = await sentBody('ollama', { chat: { max_tokens: 9 } });
    expect(body.options).toEqual({ num_predict: 9 });
    expect(body).not.toHaveProperty('keep_alive');
  });

  it('nothing extra when neither is set', async () => {
    const body = await sentBody('openai', {});
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
  });

  it('stored defaults with bad fields still apply their good ones', async () => {
    const body = await sentBody('openai', { defaults: { temperature: 9, max_tokens: 32, top_p: 'high' } });
    expect(body.max_tokens).toBe(32);
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
  });
});
